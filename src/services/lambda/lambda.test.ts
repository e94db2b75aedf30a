import assert from "node:assert/strict";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand,
  GetFunctionCodeSigningConfigCommand, GetPolicyCommand, AddPermissionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, ListVersionsByFunctionCommand,
  PublishLayerVersionCommand, PublishVersionCommand, PutFunctionConcurrencyCommand, UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand, PutFunctionEventInvokeConfigCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, ListTagsCommand, TagResourceCommand,
} from "@aws-sdk/client-lambda";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, awsCli, python, useTestServer } from "../../../test/helpers.js";

const server = await useTestServer();
const lambda = server.client(LambdaClient);
const sqs = server.client(SQSClient);
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const NODE_MODULES = new URL("../../../node_modules", import.meta.url).pathname;

const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
const decode = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString("utf8"));

async function createNode(name: string, code: string, extra: Record<string, unknown> = {}) {
  return lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler",
    Code: { ZipFile: zip({ "index.js": code }) }, ...extra,
  }));
}

test("create, wait active, invoke a node handler, get and list", async () => {
  const created = await createNode("echo", "let inits = 0; inits++; exports.handler = async (e) => ({ got: e, inits, env: process.env.GREETING });", {
    Environment: { Variables: { GREETING: "hi" } }, Tags: { team: "a" },
  });
  assert.equal(created.State, "Pending");
  assert.equal(created.FunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:echo");
  assert.match(created.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  assert.match(created.CodeSha256!, /^[A-Za-z0-9+/]{43}=$/);
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: "echo" });
  const first = await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.from(JSON.stringify({ a: 1 })), LogType: "Tail" }));
  assert.equal(first.StatusCode, 200);
  assert.equal(first.ExecutedVersion, "$LATEST");
  assert.equal(first.FunctionError, undefined);
  assert.deepEqual(decode(first.Payload), { got: { a: 1 }, inits: 1, env: "hi" });
  const log = Buffer.from(first.LogResult!, "base64").toString("utf8");
  assert.match(log, /START RequestId/);
  assert.match(log, /REPORT RequestId/);
  // Warm: the init code ran once.
  const second = await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: Buffer.from("{}") }));
  assert.equal(decode(second.Payload).inits, 1);

  const got = await lambda.send(new GetFunctionCommand({ FunctionName: "echo" }));
  assert.equal(got.Configuration?.State, "Active");
  assert.equal(got.Configuration?.LastUpdateStatus, "Successful");
  assert.deepEqual(got.Tags, { team: "a" });
  assert.equal(got.Code?.RepositoryType, "S3");
  const listed = await lambda.send(new ListFunctionsCommand({}));
  assert.ok(listed.Functions?.some((f) => f.FunctionName === "echo"));
  const tags = await lambda.send(new ListTagsCommand({ Resource: created.FunctionArn }));
  assert.deepEqual(tags.Tags, { team: "a" });
  await lambda.send(new TagResourceCommand({ Resource: created.FunctionArn, Tags: { b: "2" } }));
  assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: created.FunctionArn }))).Tags, { team: "a", b: "2" });
});

test("errors as AWS words them", async () => {
  await createNode("dup", "exports.handler = async () => 1;");
  await assertAwsError(createNode("dup", "exports.handler = async () => 1;"), {
    code: "ResourceConflictException", message: "Function already exist: dup", status: 409,
  });
  await assertAwsError(lambda.send(new GetFunctionCommand({ FunctionName: "nope" })), {
    code: "ResourceNotFoundException", message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope", status: 404,
  });
  await assertAwsError(createNode("old", "x", { Runtime: "nodejs12.x" }), {
    code: "InvalidParameterValueException",
    message: /^The runtime parameter of nodejs12.x is no longer supported/,
  });
  await assertAwsError(createNode("envbad", "x", { Environment: { Variables: { AWS_REGION: "x" } } }), {
    code: "InvalidParameterValueException", message: /Reserved keys used in this request: AWS_REGION$/,
  });
  await assertAwsError(createNode("img", "x", { PackageType: "Image", Code: { ImageUri: "x:latest" } }), {
    code: "InvalidParameterValueException", message: /container engine/,
  });
  await assertAwsError(lambda.send(new CreateFunctionCommand({
    FunctionName: "badzip", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: Buffer.from("not a zip") },
  })), { code: "InvalidParameterValueException", message: "Could not unzip uploaded file. Please check your file, then try to upload again." });
  await assertAwsError(createNode("s3code", "x", { Code: { S3Bucket: "code-bucket", S3Key: "k.zip" } }), { code: "InvalidParameterValueException" });
  await assertAwsError(lambda.send(new InvokeCommand({ FunctionName: "dup", Payload: Buffer.alloc(6 * 1024 * 1024 + 1, 32) })), {
    code: "RequestTooLargeException", message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation", status: 413,
  });
});

test("a thrown error and a timeout", async () => {
  await createNode("thrower", "exports.handler = async () => { const e = new Error('boom'); e.name = 'MyError'; throw e; };");
  const failed = await lambda.send(new InvokeCommand({ FunctionName: "thrower" }));
  assert.equal(failed.StatusCode, 200);
  assert.equal(failed.FunctionError, "Unhandled");
  const body = decode(failed.Payload);
  assert.equal(body.errorType, "MyError");
  assert.equal(body.errorMessage, "boom");

  await createNode("sleeper", "exports.handler = () => new Promise((resolve) => setTimeout(resolve, 10_000));", { Timeout: 1 });
  const timedOut = await lambda.send(new InvokeCommand({ FunctionName: "sleeper" }));
  assert.equal(timedOut.FunctionError, "Unhandled");
  assert.match(decode(timedOut.Payload).errorMessage, /Task timed out after 1\.\d\d seconds/);
});

test("a function calls Terrarium through the AWS SDK (AWS_ENDPOINT_URL)", async () => {
  await createNode("caller", `const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");
    exports.handler = async () => { const out = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      return { account: out.Account, endpoint: process.env.AWS_ENDPOINT_URL }; };`, {
    Environment: { Variables: { NODE_PATH: NODE_MODULES } }, Timeout: 30,
  });
  const out = await lambda.send(new InvokeCommand({ FunctionName: "caller" }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  const body = decode(out.Payload);
  assert.equal(body.account, "000000000000");
  assert.match(body.endpoint, /^http:\/\/(127\.0\.0\.1|localhost):\d+$/);
});

test("python handler", async () => {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "py", Runtime: "python3.12", Role: ROLE, Handler: "app.handler",
    Code: { ZipFile: zip({ "app.py": "import os\ndef handler(event, context):\n    return {'n': event['n'] * 2, 'fn': context.function_name}\n" }) },
  }));
  const out = await lambda.send(new InvokeCommand({ FunctionName: "py", Payload: Buffer.from('{"n": 21}') }));
  assert.deepEqual(decode(out.Payload), { n: 42, fn: "py" });
});

test("versions, aliases with weights, update code and configuration", async () => {
  await createNode("versioned", "exports.handler = async () => 'v1';", { Publish: true });
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "versioned", ZipFile: zip({ "index.js": "exports.handler = async () => 'v2';" }) }));
  await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: "versioned" });
  const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: "versioned" }));
  assert.equal(v2.Version, "2");
  assert.equal(v2.FunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:versioned:2");
  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "versioned" }));
  assert.deepEqual(versions.Versions?.map((v) => v.Version), ["$LATEST", "1", "2"]);
  const v1Out = await lambda.send(new InvokeCommand({ FunctionName: "versioned", Qualifier: "1" }));
  assert.equal(decode(v1Out.Payload), "v1");
  assert.equal(v1Out.ExecutedVersion, "1");
  await lambda.send(new CreateAliasCommand({ FunctionName: "versioned", Name: "live", FunctionVersion: "1" }));
  const viaAlias = await lambda.send(new InvokeCommand({ FunctionName: "versioned:live" }));
  assert.equal(decode(viaAlias.Payload), "v1");
  await lambda.send(new CreateAliasCommand({
    FunctionName: "versioned", Name: "canary", FunctionVersion: "1", RoutingConfig: { AdditionalVersionWeights: { "2": 1 } },
  }));
  const routed = await lambda.send(new InvokeCommand({ FunctionName: "versioned", Qualifier: "canary" }));
  assert.equal(routed.ExecutedVersion, "2");
  assert.equal(decode(routed.Payload), "v2");

  const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "versioned", Timeout: 10, Environment: { Variables: { XX: "1" } } }));
  assert.equal(updated.LastUpdateStatus, "InProgress");
  await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: "versioned" });
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "versioned" }));
  assert.equal(config.Timeout, 10);
  assert.deepEqual(config.Environment?.Variables, { XX: "1" });

  await assertAwsError(lambda.send(new DeleteFunctionCommand({ FunctionName: "versioned", Qualifier: "2" })), {
    code: "ResourceConflictException", message: "Unable to delete version because the following aliases reference it: [canary]",
  });
  await lambda.send(new DeleteFunctionCommand({ FunctionName: "versioned" }));
  await assertAwsError(lambda.send(new InvokeCommand({ FunctionName: "versioned" })), { code: "ResourceNotFoundException" });
});

test("GetFunctionCodeSigningConfig: no configuration (what Terraform reads after a create)", async () => {
  await createNode("unsigned", "exports.handler = async () => 1;");
  const out = await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "unsigned" }));
  assert.equal(out.CodeSigningConfigArn, undefined);
  await assertAwsError(lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: "nope" })), {
    code: "ResourceNotFoundException", message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope", status: 404,
  });
});

test("permissions and reserved concurrency throttling", async () => {
  await createNode("guarded", "exports.handler = async () => 1;");
  const added = await lambda.send(new AddPermissionCommand({
    FunctionName: "guarded", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com",
    SourceArn: "arn:aws:s3:::bucket",
  }));
  assert.deepEqual(JSON.parse(added.Statement!), {
    Sid: "s3", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "lambda:InvokeFunction",
    Resource: "arn:aws:lambda:us-east-1:000000000000:function:guarded", Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:s3:::bucket" } },
  });
  const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: "guarded" }))).Policy!);
  assert.equal(policy.Version, "2012-10-17");
  assert.equal(policy.Statement.length, 1);
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "guarded", ReservedConcurrentExecutions: 0 }));
  await assertAwsError(lambda.send(new InvokeCommand({ FunctionName: "guarded" })), { code: "TooManyRequestsException", status: 429 });
});

test("layers are applied at invoke", async () => {
  const layer = await lambda.send(new PublishLayerVersionCommand({
    LayerName: "helpers", Content: { ZipFile: zip({ "nodejs/node_modules/greet/index.js": "module.exports = (n) => 'hello ' + n;" }) },
    CompatibleRuntimes: ["nodejs20.x"],
  }));
  assert.equal(layer.Version, 1);
  assert.equal(layer.LayerVersionArn, "arn:aws:lambda:us-east-1:000000000000:layer:helpers:1");
  await createNode("layered", "const greet = require('greet'); exports.handler = async (e) => greet(e.name);", { Layers: [layer.LayerVersionArn!] });
  const out = await lambda.send(new InvokeCommand({ FunctionName: "layered", Payload: Buffer.from('{"name":"ada"}') }));
  assert.equal(decode(out.Payload), "hello ada");
});

test("Event invoke runs asynchronously (a side effect in SQS), DryRun answers 204", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "lambda-side-effect" }));
  await createNode("async", `const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
    exports.handler = async (e) => { await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: e.queue, MessageBody: "done " + e.n })); };`, {
    Environment: { Variables: { NODE_PATH: NODE_MODULES } }, Timeout: 30,
  });
  const dry = await lambda.send(new InvokeCommand({ FunctionName: "async", InvocationType: "DryRun" }));
  assert.equal(dry.StatusCode, 204);
  const queued = await lambda.send(new InvokeCommand({ FunctionName: "async", InvocationType: "Event", Payload: Buffer.from(JSON.stringify({ queue: QueueUrl, n: 7 })) }));
  assert.equal(queued.StatusCode, 202);
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  assert.equal(received.Messages?.[0]?.Body, "done 7");
});

test("boto3 and the AWS CLI", async () => {
  await createNode("cli-echo", "exports.handler = async (e) => ({ echo: e });");
  const viaBoto = await python(server.endpoint, [
    "c = client('lambda')",
    "r = c.invoke(FunctionName='cli-echo', Payload=b'{\"x\": 1}')",
    "print(json.dumps({'status': r['StatusCode'], 'payload': json.loads(r['Payload'].read()), 'version': r['ExecutedVersion']}))",
  ].join("\n"));
  assert.deepEqual(viaBoto, { status: 200, payload: { echo: { x: 1 } }, version: "$LATEST" });
  const { mkdtempSync, readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const out = join(mkdtempSync(join(tmpdir(), "lambda-cli-")), "out.json");
  const meta = await awsCli(server.endpoint, ["lambda", "invoke", "--function-name", "cli-echo", "--payload", '{"y":2}', out]);
  assert.equal(meta.StatusCode, 200);
  assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), { echo: { y: 2 } });
  const fns = await awsCli(server.endpoint, ["lambda", "list-functions"]);
  assert.ok(fns.Functions.some((f: { FunctionName: string }) => f.FunctionName === "cli-echo"));
});

test("Event invoke retries twice on the clock, then sends the record to the OnFailure destination", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "lambda-on-failure" }));
  // Each attempt leaves a line in a file, so the test moves the clock only once an attempt is over.
  const { mkdtempSync, readFileSync, existsSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const marks = join(mkdtempSync(join(tmpdir(), "lambda-attempts-")), "attempts");
  const attempts = () => (existsSync(marks) ? readFileSync(marks, "utf8").split("\n").filter(Boolean).length : 0);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const until = async (n: number) => {
    for (let i = 0; i < 400 && attempts() < n; i++) await sleep(25);
    assert.equal(attempts(), n);
  };
  // The retry is scheduled once the failure reaches the service, just after the line
  // is written: move the clock a minute at a time until the next attempt shows.
  const retryUntil = async (n: number) => {
    for (let k = 0; k < 50 && attempts() < n; k++) {
      await server.advanceClock(60);
      for (let i = 0; i < 20 && attempts() < n; i++) await sleep(25);
    }
    assert.equal(attempts(), n);
  };
  await createNode("always-fails", "exports.handler = async () => { require('fs').appendFileSync(process.env.MARKS, 'x\\n'); throw new Error('nope'); };", {
    Environment: { Variables: { MARKS: marks } },
  });
  await lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: "always-fails",
    DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:us-east-1:000000000000:lambda-on-failure" } },
  }));
  await lambda.send(new InvokeCommand({ FunctionName: "always-fails", InvocationType: "Event", Payload: Buffer.from('{"k":1}') }));
  const waitForMessage = async () => {
    for (let i = 0; i < 200; i++) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
      if (out.Messages?.length) return out.Messages[0];
      await new Promise((r) => setTimeout(r, 25));
    }
    return undefined;
  };
  await until(1);
  await retryUntil(2); // a minute later
  await retryUntil(3); // two minutes after that
  const message = await waitForMessage();
  assert.ok(message, "no destination record arrived");
  const record = JSON.parse(message.Body!);
  assert.equal(record.requestContext.condition, "RetriesExhausted");
  assert.equal(record.requestContext.approximateInvokeCount, 3);
  assert.deepEqual(record.requestPayload, { k: 1 });
  assert.equal(record.responseContext.functionError, "Unhandled");
});
