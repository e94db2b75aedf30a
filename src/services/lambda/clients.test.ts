import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from "@aws-sdk/client-lambda";
import { awsCli, useTestServer } from "../../../test/helpers.js";

// The client scenarios end to end: the AWS CLI deploying and invoking, a Python
// function using boto3 with no endpoint in its code, and a provided.al2023 function
// whose bootstrap is a shell script speaking the Runtime API with curl.

const server = await useTestServer();
const lambda = server.client(LambdaClient);
const dynamodb = server.client(DynamoDBClient);
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const work = mkdtempSync(join(tmpdir(), "lambda-clients-"));

function zipFile(name: string, files: Record<string, string>): string {
  const path = join(work, name);
  writeFileSync(path, zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));
  return path;
}

test("the AWS CLI: create-function from a zip file, wait, invoke with --log-type Tail", async () => {
  const zip = zipFile("cli.zip", { "index.mjs": "export const handler = async (e) => { console.log('cli says', e.n); return { twice: e.n * 2 }; };" });
  const created = await awsCli(server.endpoint, [
    "lambda", "create-function", "--function-name", "cli-made", "--runtime", "nodejs20.x", "--role", ROLE,
    "--handler", "index.handler", "--zip-file", `fileb://${zip}`, "--memory-size", "256", "--timeout", "5",
  ]);
  assert.equal(created.FunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:cli-made");
  assert.equal(created.MemorySize, 256);
  await awsCli(server.endpoint, ["lambda", "wait", "function-active-v2", "--function-name", "cli-made"]);
  const out = join(work, "out.json");
  const meta = await awsCli(server.endpoint, [
    "lambda", "invoke", "--function-name", "cli-made", "--payload", '{"n":21}', "--log-type", "Tail", out,
  ]);
  assert.equal(meta.StatusCode, 200);
  assert.equal(meta.ExecutedVersion, "$LATEST");
  assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), { twice: 42 });
  const log = Buffer.from(meta.LogResult, "base64").toString("utf8");
  assert.match(log, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
  assert.match(log, /cli says 21/);
  assert.match(log, /^END RequestId: [0-9a-f-]{36}$/m);
  assert.match(log, /^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/m);
  const config = await awsCli(server.endpoint, ["lambda", "get-function-configuration", "--function-name", "cli-made"]);
  assert.equal(config.State, "Active");
  assert.equal(config.Timeout, 5);
});

test("a Python function writes to DynamoDB through boto3 with no endpoint in its code (128 MB)", async () => {
  await dynamodb.send(new CreateTableCommand({
    TableName: "py-writes", KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST",
  }));
  const code = [
    "import boto3",
    "table = boto3.resource('dynamodb').Table('py-writes')",
    "def handler(event, context):",
    "    table.put_item(Item={'id': event['id'], 'by': context.function_name})",
    "    return table.get_item(Key={'id': event['id']})['Item']",
  ].join("\n");
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "py-dynamo", Runtime: "python3.12", Role: ROLE, Handler: "app.handler", MemorySize: 128, Timeout: 30,
    Code: { ZipFile: zipSync({ "app.py": strToU8(code) }) },
  }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: "py-dynamo" });
  const out = await lambda.send(new InvokeCommand({ FunctionName: "py-dynamo", Payload: Buffer.from('{"id": "a1"}') }));
  const payload = Buffer.from(out.Payload ?? []).toString("utf8");
  assert.equal(out.FunctionError, undefined, payload);
  assert.deepEqual(JSON.parse(payload), { id: "a1", by: "py-dynamo" });
  const item = await dynamodb.send(new GetItemCommand({ TableName: "py-writes", Key: { id: { S: "a1" } } }));
  assert.deepEqual(item.Item, { id: { S: "a1" }, by: { S: "py-dynamo" } });
});

test("provided.al2023: a shell bootstrap speaking the Runtime API with curl, deployed with the CLI", async () => {
  const bootstrap = `#!/bin/sh
set -eu
. "$LAMBDA_TASK_ROOT/$(echo "$_HANDLER" | cut -d. -f1).sh"
while true; do
  HEADERS=$(mktemp)
  EVENT=$(curl -sS -D "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d' ' -f2 | tr -d '\\r\\n')
  rm -f "$HEADERS"
  RESPONSE=$(handler "$EVENT")
  curl -sS -o /dev/null -X POST "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE"
done
`;
  const zip = zipFile("shell.zip", {
    bootstrap,
    "function.sh": `handler() { echo "{\\"shell\\":$1,\\"fn\\":\\"$AWS_LAMBDA_FUNCTION_NAME\\"}"; }\n`,
  });
  await awsCli(server.endpoint, [
    "lambda", "create-function", "--function-name", "shell-fn", "--runtime", "provided.al2023", "--role", ROLE,
    "--handler", "function.handler", "--zip-file", `fileb://${zip}`,
  ]);
  await awsCli(server.endpoint, ["lambda", "wait", "function-active-v2", "--function-name", "shell-fn"]);
  for (const n of [1, 2]) {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "shell-fn", Payload: Buffer.from(JSON.stringify({ n })) }));
    const payload = Buffer.from(out.Payload ?? []).toString("utf8");
    assert.equal(out.FunctionError, undefined, payload);
    assert.deepEqual(JSON.parse(payload), { shell: { n }, fn: "shell-fn" });
  }
});
