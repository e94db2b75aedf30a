import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  CreateEventSourceMappingCommand, CreateFunctionCommand, DeleteEventSourceMappingCommand, DeleteFunctionConcurrencyCommand, GetEventSourceMappingCommand,
  LambdaClient, PutFunctionConcurrencyCommand, ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, awsCli, python, useTestServer } from "../../../test/helpers.js";

// SQS event source mappings: the control plane (SDK, boto3, CLI) and the poller:
// batches, filters, partial batch responses, redrive to a dead-letter queue on the clock.

const server = await useTestServer();
const lambda = server.client(LambdaClient);
const sqs = server.client(SQSClient);
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const dir = mkdtempSync(join(tmpdir(), "terrarium-esm-"));

const CONSUMER = `
const fs = require("fs");
exports.handler = async (event) => {
  const failures = [];
  fs.appendFileSync(process.env.OUT, JSON.stringify(event.Records.map((r) => ({ body: r.body, count: r.attributes.ApproximateReceiveCount,
    source: r.eventSource, arn: r.eventSourceARN, region: r.awsRegion, attr: r.messageAttributes.kind && r.messageAttributes.kind.stringValue }))) + "\\n");
  for (const r of event.Records) if (r.body.includes("fail")) failures.push({ itemIdentifier: r.messageId });
  return { batchItemFailures: failures };
};`;

async function consumer(name: string) {
  const out = join(dir, `${name}.jsonl`);
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler",
    Code: { ZipFile: zipSync({ "index.js": strToU8(CONSUMER) }) }, Environment: { Variables: { OUT: out } },
  }));
  return () => (existsSync(out) ? readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { body: string; count: string }[]) : []);
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function queueCounts(url: string) {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return { visible: Number(out.Attributes!.ApproximateNumberOfMessages), inFlight: Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible) };
}

test("create, get, list, update, delete (SDK, boto3, CLI) and AWS's errors", async () => {
  await consumer("esm-crud");
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: "esm-crud-q" }));
  const arn = "arn:aws:sqs:us-east-1:000000000000:esm-crud-q";
  const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-crud", EventSourceArn: arn, Enabled: false }));
  assert.equal(created.State, "Creating");
  assert.equal(created.BatchSize, 10);
  assert.equal(created.MaximumBatchingWindowInSeconds, 0);
  assert.equal(created.FunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:esm-crud");
  assert.equal(created.EventSourceMappingArn, `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID}`);
  assert.ok(created.LastModified instanceof Date);
  const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
  assert.equal(got.State, "Disabled");
  assert.equal(got.LastProcessingResult, "No records processed");

  await assertAwsError(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-crud", EventSourceArn: arn })), {
    code: "ResourceConflictException",
    message: `An event source mapping with SQS arn (" ${arn} ") and function (" esm-crud ") already exists. Please update or delete the existing mapping with UUID ${created.UUID}`,
  });
  await assertAwsError(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-crud", EventSourceArn: arn.replace("esm-crud-q", "nope") })), {
    code: "InvalidParameterValueException", message: /NonExistentQueue/,
  });
  await assertAwsError(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "missing-fn", EventSourceArn: arn })), {
    code: "ResourceNotFoundException", message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing-fn",
  });
  await assertAwsError(lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 100 })), {
    code: "InvalidParameterValueException", message: "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
  });

  const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true, BatchSize: 5 }));
  assert.equal(updated.State, "Enabling");
  assert.equal(updated.BatchSize, 5);
  const viaBoto = await python(server.endpoint, [
    "c = client('lambda')",
    "ms = c.list_event_source_mappings(FunctionName='esm-crud')['EventSourceMappings']",
    "print(json.dumps([[m['UUID'], m['State'], m['BatchSize']] for m in ms]))",
  ].join("\n"));
  assert.deepEqual(viaBoto, [[created.UUID, "Enabled", 5]]);
  const viaCli = await awsCli(server.endpoint, ["lambda", "list-event-source-mappings", "--event-source-arn", arn]);
  assert.equal(viaCli.EventSourceMappings.length, 1);
  const listed = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:esm-crud" }));
  assert.equal(listed.EventSourceMappings?.length, 1);

  const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  assert.equal(deleted.State, "Deleting");
  await assertAwsError(lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })), {
    code: "ResourceNotFoundException", message: "The resource you requested does not exist.", status: 404,
  });
  void queue;
});

test("an SQS mapping: batches, filters, a partial batch failure, redrive to the DLQ on the clock", async () => {
  const seen = await consumer("esm-worker");
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "esm-dlq" }));
  const src = await sqs.send(new CreateQueueCommand({
    QueueName: "esm-src",
    Attributes: {
      VisibilityTimeout: "30",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:esm-dlq", maxReceiveCount: 2 }),
    },
  }));
  await sqs.send(new SendMessageBatchCommand({
    QueueUrl: src.QueueUrl,
    Entries: [
      { Id: "1", MessageBody: JSON.stringify({ kind: "keep", n: 1 }) },
      { Id: "2", MessageBody: JSON.stringify({ kind: "keep", n: 2, fail: true }) },
      { Id: "3", MessageBody: JSON.stringify({ kind: "drop", n: 3 }) },
      { Id: "4", MessageBody: JSON.stringify({ kind: "keep", n: 4 }), MessageAttributes: { kind: { DataType: "String", StringValue: "attr" } } },
    ],
  }));
  await lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: "esm-worker",
    EventSourceArn: "arn:aws:sqs:us-east-1:000000000000:esm-src",
    BatchSize: 10,
    MaximumBatchingWindowInSeconds: 1,
    FunctionResponseTypes: ["ReportBatchItemFailures"],
    FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ["keep"] } }) }] },
  }));

  // The first pass: every kept message is delivered, the dropped one deleted unseen,
  // the failed one stays (in flight until its visibility timeout ends).
  await until("the first batch", async () => {
    const bodies = seen().flat().map((r) => JSON.parse(r.body).n as number);
    const counts = await queueCounts(src.QueueUrl!);
    return bodies.length >= 3 && counts.visible === 0 && counts.inFlight === 1 ? bodies : undefined;
  });
  const first = seen().flat();
  assert.deepEqual(first.map((r) => JSON.parse(r.body).n).sort(), [1, 2, 4]);
  assert.ok(first.every((r) => (r as any).source === "aws:sqs" && (r as any).arn === "arn:aws:sqs:us-east-1:000000000000:esm-src"));
  assert.equal(first.find((r) => JSON.parse(r.body).n === 4 && (r as any).attr === "attr") !== undefined, true);

  // After the visibility timeout it comes back (receive count 2) and fails again...
  await server.advanceClock(31);
  await until("the retry", () => (seen().flat().some((r) => r.count === "2") ? true : undefined));
  assert.deepEqual(seen().flat().filter((r) => r.count === "2").map((r) => JSON.parse(r.body).n), [2]);
  // ...and past maxReceiveCount SQS moves it to the dead-letter queue.
  await server.advanceClock(31);
  const dead = await until("the dead-letter queue", async () => {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, WaitTimeSeconds: 0 }));
    return out.Messages?.length ? out.Messages : undefined;
  });
  assert.equal(JSON.parse(dead[0].Body!).n, 2);
  assert.deepEqual(await queueCounts(src.QueueUrl!), { visible: 0, inFlight: 0 });
});

test("a DynamoDB stream mapping: records in order, filters, retries then the OnFailure destination", async () => {
  const { DynamoDBClient, CreateTableCommand, PutItemCommand, DeleteItemCommand } = await import("@aws-sdk/client-dynamodb");
  const ddb = server.client(DynamoDBClient);
  const table = await ddb.send(new CreateTableCommand({
    TableName: "esm-table",
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  }));
  const streamArn = table.TableDescription!.LatestStreamArn!;
  const out = join(dir, "stream.jsonl");
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "esm-stream", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Environment: { Variables: { OUT: out } },
    Code: { ZipFile: zipSync({ "index.js": strToU8(`const fs = require("fs");
exports.handler = async (event) => {
  fs.appendFileSync(process.env.OUT, JSON.stringify(event.Records.map((r) => ({ name: r.eventName, id: r.dynamodb.Keys.id.S, arn: r.eventSourceARN,
    created: typeof r.dynamodb.ApproximateCreationDateTime }))) + "\\n");
};`) }) },
  }));
  await assertAwsError(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: "esm-stream", EventSourceArn: streamArn })), {
    code: "InvalidParameterValueException",
  });
  const created = await lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: "esm-stream", EventSourceArn: streamArn, StartingPosition: "TRIM_HORIZON", BatchSize: 10,
    FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ["INSERT", "REMOVE"] }) }] },
  }));
  assert.equal(created.StartingPosition, "TRIM_HORIZON");
  assert.equal(created.MaximumRetryAttempts, -1);
  for (const id of ["a", "b", "c"]) await ddb.send(new PutItemCommand({ TableName: "esm-table", Item: { id: { S: id } } }));
  await ddb.send(new PutItemCommand({ TableName: "esm-table", Item: { id: { S: "a" }, v: { N: "2" } } })); // MODIFY: filtered out
  await ddb.send(new DeleteItemCommand({ TableName: "esm-table", Key: { id: { S: "b" } } }));
  const read = () => (existsSync(out) ? readFileSync(out, "utf8").trim().split("\n").flatMap((l) => JSON.parse(l) as { name: string; id: string; arn: string; created: string }[]) : []);
  await until("the stream records", () => (read().length >= 4 ? true : undefined));
  assert.deepEqual(read().map((r) => `${r.name}:${r.id}`), ["INSERT:a", "INSERT:b", "INSERT:c", "REMOVE:b"]);
  assert.ok(read().every((r) => r.arn === streamArn && r.created === "number"));

  // A function that always fails: one retry, then the batch's description goes to the queue.
  const failures = await sqs.send(new CreateQueueCommand({ QueueName: "esm-stream-failures" }));
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "esm-stream-fail", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler",
    Code: { ZipFile: zipSync({ "index.js": strToU8(`exports.handler = async () => { throw new Error("nope"); };`) }) },
  }));
  await lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: "esm-stream-fail", EventSourceArn: streamArn, StartingPosition: "TRIM_HORIZON", BatchSize: 100, MaximumRetryAttempts: 1,
    DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:us-east-1:000000000000:esm-stream-failures" } },
  }));
  const failed = await until("the OnFailure record", async () => {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: failures.QueueUrl, WaitTimeSeconds: 0 }));
    return got.Messages?.[0];
  }, 15_000);
  const record = JSON.parse(failed.Body!);
  assert.equal(record.requestContext.condition, "RetryAttemptsExhausted");
  assert.equal(record.requestContext.approximateInvokeCount, 2);
  assert.equal(record.requestContext.functionArn, "arn:aws:lambda:us-east-1:000000000000:function:esm-stream-fail");
  assert.equal(record.responseContext.functionError, "Unhandled");
  assert.equal(record.DDBStreamBatchInfo.batchSize, 5);
  assert.equal(record.DDBStreamBatchInfo.streamArn, streamArn);
});

test("a throttled stream batch is retried until it runs, not counted against MaximumRetryAttempts", async () => {
  const { DynamoDBClient, CreateTableCommand, PutItemCommand } = await import("@aws-sdk/client-dynamodb");
  const ddb = server.client(DynamoDBClient);
  const table = await ddb.send(new CreateTableCommand({
    TableName: "esm-throttled", AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" },
  }));
  const out = join(dir, "throttled.jsonl");
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "esm-throttled", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Environment: { Variables: { OUT: out } },
    Code: { ZipFile: zipSync({ "index.js": strToU8(`exports.handler = async (e) => { require("fs").appendFileSync(process.env.OUT, e.Records.length + "\\n"); };`) }) },
  }));
  // Reserved concurrency 0: every invocation is throttled.
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: "esm-throttled", ReservedConcurrentExecutions: 0 }));
  const failures = await sqs.send(new CreateQueueCommand({ QueueName: "esm-throttled-failures" }));
  await lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: "esm-throttled", EventSourceArn: table.TableDescription!.LatestStreamArn!, StartingPosition: "TRIM_HORIZON", MaximumRetryAttempts: 0,
    DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:us-east-1:000000000000:esm-throttled-failures" } },
  }));
  await ddb.send(new PutItemCommand({ TableName: "esm-throttled", Item: { id: { S: "x" } } }));
  // Let the poller meet the throttle a few times (it polls every 100 ms): nothing is given up.
  await new Promise((r) => setTimeout(r, 1000));
  const early = await sqs.send(new ReceiveMessageCommand({ QueueUrl: failures.QueueUrl, WaitTimeSeconds: 0 }));
  assert.equal(early.Messages, undefined);
  assert.equal(existsSync(out), false);
  await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: "esm-throttled" }));
  await until("the throttled batch", () => (existsSync(out) ? readFileSync(out, "utf8") : undefined));
  assert.equal(readFileSync(out, "utf8"), "1\n");
});
