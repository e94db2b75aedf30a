import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  CreateFunctionCommand, GetAccountSettingsCommand, InvokeCommand, LambdaClient, PublishVersionCommand, PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand, PutProvisionedConcurrencyConfigCommand, waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, useTestServer } from "../../../test/helpers.js";

// The account concurrency limit (Config.lambdaConcurrentExecutions), small here so that
// two held invocations use it up: what functions without reserved concurrency share.

const server = await useTestServer({ lambdaConcurrentExecutions: 2 });
const lambda = server.client(LambdaClient);
const sqs = server.client(SQSClient);
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const decode = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString("utf8"));

// The handler marks its start in the event's directory, then holds its environment until
// the test writes "go" there; without a directory it answers at once.
const HOLDING = `const fs = require("fs");
exports.handler = async (event) => {
  if (!event.dir) return "quick";
  fs.writeFileSync(event.dir + "/started", "1");
  while (!fs.existsSync(event.dir + "/go")) await new Promise((r) => setTimeout(r, 10));
  return "released";
};`;

async function create(name: string): Promise<void> {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Timeout: 30,
    Code: { ZipFile: zipSync({ "index.js": strToU8(HOLDING) }) },
  }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
}

/** Starts an invocation that holds its environment, and waits until it runs. */
async function hold(name: string) {
  const dir = mkdtempSync(join(tmpdir(), "lambda-hold-"));
  const result = lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ dir })) }));
  for (let i = 0; i < 1000 && !existsSync(join(dir, "started")); i++) await sleep(10);
  assert.ok(existsSync(join(dir, "started")), `${name} never started`);
  return { result, release: () => writeFileSync(join(dir, "go"), "1") };
}

const accountThrottle = (e: { name: string; Reason?: string; message: string; $metadata?: { httpStatusCode?: number } }) => {
  assert.equal(e.name, "TooManyRequestsException");
  assert.equal(e.message, "Rate Exceeded.");
  assert.equal(e.Reason, "ConcurrentInvocationLimitExceeded");
  assert.equal(e.$metadata?.httpStatusCode, 429);
  return true;
};

test("GetAccountSettings reports the configured limit; reservations may not go below it", async () => {
  const settings = await lambda.send(new GetAccountSettingsCommand({}));
  assert.equal(settings.AccountLimit?.ConcurrentExecutions, 2);
  assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 2);
  // An account whose limit is under 100 keeps all of it unreserved (AWS answers "[10]" to accounts limited to 10).
  await create("acct-reserve");
  await assertAwsError(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "acct-reserve", ReservedConcurrentExecutions: 1 })), {
    code: "InvalidParameterValueException",
    message: "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [2].",
  });
  await lambda.send(new PublishVersionCommand({ FunctionName: "acct-reserve" }));
  await assertAwsError(
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "acct-reserve", Qualifier: "1", ProvisionedConcurrentExecutions: 1 })),
    { code: "InvalidParameterValueException", message: "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [2]." },
  );
});

test("the account limit throttles invokes across functions; an Event invoke waits for concurrency instead", async () => {
  await create("acct-a");
  await create("acct-b");
  await create("acct-c");
  const a = await hold("acct-a");
  const b = await hold("acct-b");
  // Two invocations of two functions use the whole account: a third, of either or another function, is throttled.
  await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: "acct-a" })), accountThrottle);
  await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: "acct-c" })), accountThrottle);
  // An asynchronous invocation is accepted; throttled, it goes back to the queue and is retried
  // (1 second, then doubling), not failed and not counted against its two retries.
  const later = mkdtempSync(join(tmpdir(), "lambda-later-"));
  writeFileSync(join(later, "go"), "1");
  const queued = await lambda.send(new InvokeCommand({ FunctionName: "acct-c", InvocationType: "Event", Payload: Buffer.from(JSON.stringify({ dir: later })) }));
  assert.equal(queued.StatusCode, 202);
  a.release();
  b.release();
  assert.equal(decode((await a.result).Payload), "released");
  assert.equal(decode((await b.result).Payload), "released");
  // The throttle retries are due within seconds (a function error's retry comes a minute
  // later): the clock moves less than a minute in all.
  for (let i = 0; i < 25 && !existsSync(join(later, "started")); i++) {
    await server.advanceClock(2);
    await sleep(50);
  }
  assert.ok(existsSync(join(later, "started")), "the throttled Event invoke never ran");
  // Concurrency freed: synchronous invokes run again.
  assert.equal(decode((await lambda.send(new InvokeCommand({ FunctionName: "acct-a", Payload: Buffer.from("{}") }))).Payload), "quick");
});

test("a throttled Event invoke past MaximumEventAgeInSeconds goes to OnFailure as EventAgeExceeded", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "acct-on-failure" }));
  await create("acct-aged");
  await create("acct-busy");
  await lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: "acct-aged", MaximumEventAgeInSeconds: 60,
    DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:us-east-1:000000000000:acct-on-failure" } },
  }));
  const first = await hold("acct-busy");
  const second = await hold("acct-busy");
  await lambda.send(new InvokeCommand({ FunctionName: "acct-aged", InvocationType: "Event", Payload: Buffer.from('{"k":1}') }));
  // Each retry is scheduled once the previous throttle is known: move the clock step by step.
  let message;
  let advanced = 0;
  for (let i = 0; i < 60 && !message; i++) {
    await server.advanceClock(10);
    advanced += 10;
    await sleep(20);
    message = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }))).Messages?.[0];
  }
  // Retried at 1, 2, 4, 8... seconds: discarded only when the next try would pass the 60 seconds.
  assert.ok(advanced >= 20, `discarded after ${advanced} s`);
  first.release();
  second.release();
  await Promise.all([first.result, second.result]);
  assert.ok(message, "no destination record arrived");
  const record = JSON.parse(message.Body!);
  assert.equal(record.requestContext.condition, "EventAgeExceeded");
  assert.deepEqual(record.requestPayload, { k: 1 });
});
