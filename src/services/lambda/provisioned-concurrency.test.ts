import assert from "node:assert/strict";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteAliasCommand, DeleteProvisionedConcurrencyConfigCommand, GetAccountSettingsCommand,
  GetProvisionedConcurrencyConfigCommand, InvokeCommand, LambdaClient, ListProvisionedConcurrencyConfigsCommand, PublishVersionCommand,
  PutFunctionConcurrencyCommand, PutProvisionedConcurrencyConfigCommand, UpdateAliasCommand, UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

const server = await useTestServer();
const lambda = server.client(LambdaClient);
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const ARN = "arn:aws:lambda:us-east-1:000000000000:function";

const decode = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString("utf8"));

async function createPublished(name: string): Promise<void> {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler",
    Code: { ZipFile: zipSync({ "index.js": strToU8("exports.handler = async () => ({ type: process.env.AWS_LAMBDA_INITIALIZATION_TYPE, pid: process.pid });") }) },
  }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
}

/** Get until the status leaves IN_PROGRESS (the workers' init), as a deployment tool polls. */
async function settled(name: string, qualifier: string) {
  for (;;) {
    const got = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }));
    if (got.Status !== "IN_PROGRESS") return got;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("only a published version or an alias, with AWS's errors", async () => {
  await createPublished("pc-rules");
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-rules", Qualifier: "$LATEST", ProvisionedConcurrentExecutions: 1 })),
    { code: "InvalidParameterValueException", message: "Provisioned Concurrency Configs cannot be applied to unpublished function versions.", status: 400 },
  );
  await assertAwsError(
    lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "pc-rules", Qualifier: "$LATEST" })),
    { code: "InvalidParameterValueException", message: "The function resource provided must be an alias or a published version." },
  );
  await assertAwsError(
    lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "pc-rules", Qualifier: "1" })),
    { code: "ProvisionedConcurrencyConfigNotFoundException", message: "No Provisioned Concurrency Config found for this function", status: 404 },
  );
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-rules", Qualifier: "7", ProvisionedConcurrentExecutions: 1 })),
    { code: "ResourceNotFoundException", message: `Function not found: ${ARN}:pc-rules:7`, status: 404 },
  );
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-rules", Qualifier: "nope", ProvisionedConcurrentExecutions: 1 })),
    { code: "ResourceNotFoundException", message: `Cannot find alias arn: ${ARN}:pc-rules:nope` },
  );
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-rules", Qualifier: "1", ProvisionedConcurrentExecutions: 0 })),
    { code: "ValidationException", message: /Member must have value greater than or equal to 1/ },
  );
  // Reserved concurrency bounds the provisioned concurrency of all the function's versions and aliases.
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "pc-rules", ReservedConcurrentExecutions: 2 }));
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-rules", Qualifier: "1", ProvisionedConcurrentExecutions: 3 })),
    { code: "InvalidParameterValueException", message: "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function" },
  );
  // The account keeps at least 100 unreserved.
  await createPublished("pc-greedy");
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-greedy", Qualifier: "1", ProvisionedConcurrentExecutions: 999 })),
    { code: "InvalidParameterValueException", message: "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]." },
  );
});

test("an alias's provisioned concurrency: IN_PROGRESS, then READY with its workers started; invokes find them warm; delete", async () => {
  await createPublished("pc-live");
  await lambda.send(new CreateAliasCommand({ FunctionName: "pc-live", Name: "live", FunctionVersion: "1" }));
  const before = (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit!.UnreservedConcurrentExecutions!;

  const put = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-live", Qualifier: "live", ProvisionedConcurrentExecutions: 2 }));
  assert.equal(put.$metadata.httpStatusCode, 202);
  assert.equal(put.Status, "IN_PROGRESS");
  assert.equal(put.RequestedProvisionedConcurrentExecutions, 2);
  assert.equal(put.AllocatedProvisionedConcurrentExecutions, 0);
  assert.match(put.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

  const ready = await settled("pc-live", "live");
  assert.equal(ready.Status, "READY");
  assert.equal(ready.AllocatedProvisionedConcurrentExecutions, 2);
  assert.equal(ready.AvailableProvisionedConcurrentExecutions, 2);
  // It comes out of the account's unreserved concurrency.
  assert.equal((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit!.UnreservedConcurrentExecutions, before - 2);

  // The workers were initialized ahead of traffic: no cold start in the REPORT line.
  const out = await lambda.send(new InvokeCommand({ FunctionName: "pc-live", Qualifier: "live", LogType: "Tail" }));
  assert.equal(decode(out.Payload).type, "provisioned-concurrency");
  const log = Buffer.from(out.LogResult!, "base64").toString("utf8");
  assert.match(log, /REPORT RequestId/);
  assert.doesNotMatch(log, /Init Duration/);
  // Two invokes at once, both served by the two provisioned workers.
  const both = await Promise.all([1, 2].map(() => lambda.send(new InvokeCommand({ FunctionName: "pc-live:live", LogType: "Tail" }))));
  for (const r of both) assert.doesNotMatch(Buffer.from(r.LogResult!, "base64").toString("utf8"), /Init Duration/);

  // The version the alias points to cannot get its own configuration, nor the alias a second one through it.
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-live", Qualifier: "1", ProvisionedConcurrentExecutions: 1 })),
    { code: "ResourceConflictException", message: "Version is pointed by a Provisioned Concurrency alias", status: 409 },
  );

  const listed = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "pc-live" }));
  assert.equal(listed.ProvisionedConcurrencyConfigs?.length, 1);
  assert.equal(listed.ProvisionedConcurrencyConfigs![0].FunctionArn, `${ARN}:pc-live:live`);
  assert.equal(listed.ProvisionedConcurrencyConfigs![0].Status, "READY");

  await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "pc-live", Qualifier: "live" }));
  await assertAwsError(
    lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "pc-live", Qualifier: "live" })),
    { code: "ProvisionedConcurrencyConfigNotFoundException", message: "No Provisioned Concurrency Config found for this function" },
  );
  // Idempotent, as on AWS.
  await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "pc-live", Qualifier: "live" }));
  assert.equal((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit!.UnreservedConcurrentExecutions, before);
});

test("a version's configuration blocks an alias to it; boto3 sees READY; deleting the alias drops its configuration", async () => {
  await createPublished("pc-version");
  await lambda.send(new CreateAliasCommand({ FunctionName: "pc-version", Name: "prod", FunctionVersion: "1" }));
  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-version", Qualifier: "1", ProvisionedConcurrentExecutions: 1 }));
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-version", Qualifier: "prod", ProvisionedConcurrentExecutions: 1 })),
    { code: "ResourceConflictException", message: "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version" },
  );
  await settled("pc-version", "1");
  const out = await python(server.endpoint, `
c = client("lambda")
got = c.get_provisioned_concurrency_config(FunctionName="pc-version", Qualifier="1")
items = c.list_provisioned_concurrency_configs(FunctionName="pc-version")["ProvisionedConcurrencyConfigs"]
print(json.dumps({"status": got["Status"], "allocated": got["AllocatedProvisionedConcurrentExecutions"], "arns": [i["FunctionArn"] for i in items]}))
`);
  assert.deepEqual(out, { status: "READY", allocated: 1, arns: [`${ARN}:pc-version:1`] });
  await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "pc-version", Qualifier: "1" }));

  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-version", Qualifier: "prod", ProvisionedConcurrentExecutions: 1 }));
  await lambda.send(new DeleteAliasCommand({ FunctionName: "pc-version", Name: "prod" }));
  const left = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "pc-version" }));
  assert.deepEqual(left.ProvisionedConcurrencyConfigs, []);
});

test("pointing an alias at another version moves its provisioned workers there", async () => {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "pc-move", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler",
    Code: { ZipFile: zipSync({ "index.js": strToU8("exports.handler = async () => 'v1';") }) }, Publish: true,
  }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: "pc-move" });
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "pc-move", ZipFile: zipSync({ "index.js": strToU8("exports.handler = async () => 'v2';") }) }));
  await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: "pc-move" });
  assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: "pc-move" }))).Version, "2");
  await lambda.send(new CreateAliasCommand({ FunctionName: "pc-move", Name: "live", FunctionVersion: "1" }));
  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-move", Qualifier: "live", ProvisionedConcurrentExecutions: 1 }));
  assert.equal((await settled("pc-move", "live")).Status, "READY");

  await lambda.send(new UpdateAliasCommand({ FunctionName: "pc-move", Name: "live", FunctionVersion: "2" }));
  assert.equal((await settled("pc-move", "live")).Status, "READY");
  const out = await lambda.send(new InvokeCommand({ FunctionName: "pc-move:live", LogType: "Tail" }));
  assert.equal(decode(out.Payload), "v2");
  assert.equal(out.ExecutedVersion, "2");
  assert.doesNotMatch(Buffer.from(out.LogResult!, "base64").toString("utf8"), /Init Duration/);
});

test("reserved concurrency caps the function as a whole, across its versions", async () => {
  const { mkdtempSync, existsSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "lambda-reserved-"));
  // The handler holds its environment until the test lets it go.
  const code = `const fs = require("fs");
    exports.handler = async () => { fs.writeFileSync(process.env.DIR + "/started", "1");
      while (!fs.existsSync(process.env.DIR + "/go")) await new Promise((r) => setTimeout(r, 10)); return "done"; };`;
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "pc-reserved", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Timeout: 30,
    Environment: { Variables: { DIR: dir } }, Code: { ZipFile: zipSync({ "index.js": strToU8(code) }) }, Publish: true,
  }));
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "pc-reserved", ReservedConcurrentExecutions: 1 }));
  const first = lambda.send(new InvokeCommand({ FunctionName: "pc-reserved" }));
  for (let i = 0; i < 2000 && !existsSync(join(dir, "started")); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(existsSync(join(dir, "started")), "the first invoke never started");
  await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: "pc-reserved", Qualifier: "1" })), (e: { name: string; Reason?: string; message: string }) => {
    assert.equal(e.name, "TooManyRequestsException");
    assert.equal(e.message, "Rate Exceeded.");
    assert.equal(e.Reason, "ReservedFunctionConcurrentInvocationLimitExceeded");
    return true;
  });
  writeFileSync(join(dir, "go"), "1");
  assert.equal(decode((await first).Payload), "done");
  assert.equal(decode((await lambda.send(new InvokeCommand({ FunctionName: "pc-reserved", Qualifier: "1" }))).Payload), "done");
});

test("reserved concurrency may not go below the function's provisioned concurrency", async () => {
  await createPublished("pc-floor");
  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "pc-floor", Qualifier: "1", ProvisionedConcurrentExecutions: 2 }));
  await assertAwsError(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "pc-floor", ReservedConcurrentExecutions: 1 })), {
    code: "InvalidParameterValueException",
    message: "ReservedConcurrentExecutions  1 should not be lower than function's total provisioned concurrency [2].",
    status: 400,
  });
  const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "pc-floor", ReservedConcurrentExecutions: 2 }));
  assert.equal(put.ReservedConcurrentExecutions, 2);
  // The provisioned concurrency now comes out of the reservation, not the unreserved pool.
  const settings = await lambda.send(new GetAccountSettingsCommand({}));
  await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: "pc-floor", Qualifier: "1" }));
  assert.equal(
    (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions,
    settings.AccountLimit?.UnreservedConcurrentExecutions,
  );
});
