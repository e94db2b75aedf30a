import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand,
  DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand,
  SetQueueAttributesCommand, SQSClient,
} from "@aws-sdk/client-sqs";
import { assertAwsError, clientConfig, python, startTestServer, useTestServer } from "../../../test/helpers.js";

// Messages through the real clients: the SDKs verify MD5OfMessageBody and
// MD5OfMessageAttributes, so a wrong digest fails these tests. Time-based
// behaviour (visibility, delays, retention) is driven by Terrarium's clock.

const server = await useTestServer();
const sqs = server.client(SQSClient);

async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

async function counts(QueueUrl: string): Promise<[string, string, string]> {
  const { Attributes: a } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
  return [a!.ApproximateNumberOfMessages!, a!.ApproximateNumberOfMessagesNotVisible!, a!.ApproximateNumberOfMessagesDelayed!];
}

describe("SQS send and receive", () => {
  it("round-trips a message with attributes and system attributes", async () => {
    const QueueUrl = await queue("m-basic");
    const sent = await sqs.send(new SendMessageCommand({
      QueueUrl,
      MessageBody: "héllo wörld",
      MessageAttributes: {
        s: { DataType: "String", StringValue: "v" },
        n: { DataType: "Number.int", StringValue: "42" },
        b: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        "app.x": { DataType: "String", StringValue: "x" },
      },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-5759e988-bd862e3fe1be46a994272793" } },
    }));
    assert.equal(sent.MD5OfMessageBody, createHash("md5").update("héllo wörld", "utf8").digest("hex"));
    assert.match(sent.MessageId!, /^[0-9a-f-]{36}$/);
    assert.ok(sent.MD5OfMessageAttributes && sent.MD5OfMessageSystemAttributes);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }));
    const m = got.Messages![0];
    assert.equal(m.Body, "héllo wörld");
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(Buffer.from(m.MessageAttributes!.b.BinaryValue!), Buffer.from([1, 2, 3]));
    assert.equal(m.MessageAttributes!.n.StringValue, "42");
    assert.equal(m.Attributes!.ApproximateReceiveCount, "1");
    assert.equal(m.Attributes!.SenderId, "000000000000");
    assert.equal(m.Attributes!.AWSTraceHeader, "Root=1-5759e988-bd862e3fe1be46a994272793");
    assert.ok(Number(m.Attributes!.SentTimestamp) > 1.6e12);
    assert.equal(m.Attributes!.ApproximateFirstReceiveTimestamp !== undefined, true);
  });

  it("filters message attributes by name and prefix", async () => {
    const QueueUrl = await queue("m-filter");
    const MessageAttributes = {
      "app.a": { DataType: "String", StringValue: "1" },
      "app.b": { DataType: "String", StringValue: "2" },
      other: { DataType: "String", StringValue: "3" },
    };
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageAttributes }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["app.*"], VisibilityTimeout: 0 }));
    assert.deepEqual(Object.keys(got.Messages![0].MessageAttributes!).sort(), ["app.a", "app.b"]);
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(none.Messages![0].MessageAttributes, undefined);
    assert.equal(none.Messages![0].Attributes, undefined);
  });

  it("hides a received message for the visibility timeout, on Terrarium's clock", async () => {
    const QueueUrl = await queue("m-visibility", { VisibilityTimeout: "30" });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "one" }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(first.Messages?.length, 1);
    assert.deepEqual(await counts(QueueUrl), ["0", "1", "0"]);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    await server.advanceClock(31);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
    assert.equal(again.Messages![0].Attributes!.ApproximateReceiveCount, "2");
    // The older receipt handle can no longer change visibility; the new one can.
    await assertAwsError(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.Messages![0].ReceiptHandle, VisibilityTimeout: 10 })), {
      code: "InvalidParameterValue",
      message: /Reason: Message does not exist or is not available for visibility timeout change\.$/,
    });
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again.Messages![0].ReceiptHandle, VisibilityTimeout: 0 }));
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third.Messages![0].ReceiptHandle }));
    assert.deepEqual(await counts(QueueUrl), ["0", "0", "0"]);
    await assertAwsError(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "garbage" })), {
      code: "ReceiptHandleIsInvalid",
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      status: 404,
    });
  });

  it("delays messages per queue and per message", async () => {
    const QueueUrl = await queue("m-delay", { DelaySeconds: "10" });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "queue delay" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "no delay", DelaySeconds: 0 }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "long delay", DelaySeconds: 100 }));
    assert.deepEqual(await counts(QueueUrl), ["1", "0", "2"]);
    await server.advanceClock(10);
    assert.deepEqual(await counts(QueueUrl), ["2", "0", "1"]);
    await assertAwsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", DelaySeconds: 901 })), {
      code: "InvalidParameterValue",
      message: "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.",
    });
  });

  it("long polling returns as soon as a message arrives", async () => {
    const QueueUrl = await queue("m-longpoll");
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 50));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "wake up" }));
    const got = await polling;
    // Answered by the send, not by the end of the 20-second wait (the clock did not move).
    assert.equal(got.Messages?.[0].Body, "wake up");
    // A long poll ends when the clock passes its wait.
    const empty = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 50));
    await server.advanceClock(21);
    assert.equal((await empty).Messages, undefined);
  });

  it("expires messages after the retention period", async () => {
    const QueueUrl = await queue("m-retention", { MessageRetentionPeriod: "60" });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "old" }));
    await server.advanceClock(61);
    assert.deepEqual(await counts(QueueUrl), ["0", "0", "0"]);
  });

  it("expires by the retention period in force, after receives and deletes at the front", async () => {
    const QueueUrl = await queue("m-retention-2", { MessageRetentionPeriod: "600" });
    for (const MessageBody of ["a", "b", "c"]) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 0 }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.Messages![0].ReceiptHandle! }));
    await server.advanceClock(120);
    assert.deepEqual(await counts(QueueUrl), ["2", "0", "0"]);
    // A shorter period applies to the messages already queued.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MessageRetentionPeriod: "60" } }));
    assert.deepEqual(await counts(QueueUrl), ["0", "0", "0"]);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "d" }));
    await server.advanceClock(59);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }))).Messages?.[0].Body, "d");
    await server.advanceClock(2);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  });

  it("validates sends and receives with AWS's errors", async () => {
    const QueueUrl = await queue("m-errors", { MaximumMessageSize: "1024" });
    await assertAwsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x".repeat(1025) })), {
      code: "InvalidParameterValue",
      message: "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
    });
    await assertAwsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "bad \u0001" })), {
      code: "InvalidMessageContents",
      message: /^Invalid binary character '#x1' was found in the message body/,
    });
    await assertAwsError(sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })), {
      code: "InvalidParameterValue",
      message: "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
    });
    // Standard queues take MessageGroupId (fair queues), with the FIFO rules for its value.
    await assertAwsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g".repeat(129) })), {
      code: "InvalidParameterValue", message: /^Value g+ for parameter MessageGroupId is invalid\. Reason: /,
    });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "fair", MessageGroupId: "tenant-1" }));
    const fair = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ["MessageGroupId"] }));
    assert.equal(fair.Messages![0].Attributes!.MessageGroupId, "tenant-1");
  });
});

describe("SQS batches", () => {
  it("sends, deletes and changes visibility in batches with per-entry results", async () => {
    const QueueUrl = await queue("b-basic");
    const sent = await sqs.send(new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: "a", MessageBody: "1", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
        { Id: "b", MessageBody: "2" },
        { Id: "c", MessageBody: "3", DelaySeconds: 1000 },
      ],
    }));
    assert.deepEqual(sent.Successful!.map((e) => e.Id), ["a", "b"]);
    assert.deepEqual(sent.Failed, [{ Id: "c", SenderFault: true, Code: "InvalidParameterValue", Message: "Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900." }]);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
    assert.equal(got.Messages?.length, 2);
    const changed = await sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl,
      Entries: [{ Id: "x", ReceiptHandle: got.Messages![0].ReceiptHandle, VisibilityTimeout: 100 }, { Id: "y", ReceiptHandle: "bogus", VisibilityTimeout: 1 }],
    }));
    assert.deepEqual(changed.Successful, [{ Id: "x" }]);
    assert.equal(changed.Failed![0].Code, "ReceiptHandleIsInvalid");
    const deleted = await sqs.send(new DeleteMessageBatchCommand({
      QueueUrl,
      Entries: got.Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
    }));
    assert.deepEqual(deleted.Successful, [{ Id: "d0" }, { Id: "d1" }]);
    assert.deepEqual(deleted.Failed ?? [], []);
  });

  it("refuses empty, oversized and ambiguous batches", async () => {
    const QueueUrl = await queue("b-errors");
    await assertAwsError(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })), {
      code: "AWS.SimpleQueueService.EmptyBatchRequest",
      message: "There should be at least one SendMessageBatchRequestEntry in the request.",
    });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: "x" }));
    await assertAwsError(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: eleven })), {
      code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
      message: "Maximum number of entries per request are 10. You have sent 11.",
    });
    await assertAwsError(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "x" }, { Id: "a", MessageBody: "y" }] })), {
      code: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
      message: "Id a repeated.",
    });
    await assertAwsError(sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a b", ReceiptHandle: "x" }] })), {
      code: "AWS.SimpleQueueService.InvalidBatchEntryId",
    });
  });
});

describe("SQS dead-letter queues and FIFO", () => {
  it("moves a message to the dead-letter queue after maxReceiveCount receives", async () => {
    const dlq = await queue("d-dlq");
    const QueueUrl = await queue("d-src", {
      VisibilityTimeout: "0",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:d-dlq", maxReceiveCount: 2 }),
    });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "poison" }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.length, 1);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.length, 1);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    const moved = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageSystemAttributeNames: ["All"] }));
    assert.equal(moved.Messages![0].Body, "poison");
    assert.equal(moved.Messages![0].Attributes!.DeadLetterQueueSourceArn, "arn:aws:sqs:us-east-1:000000000000:d-src");
  });

  it("keeps group order, blocks a group in flight and deduplicates", async () => {
    const QueueUrl = await queue("f-basic.fifo", { FifoQueue: "true" });
    await assertAwsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })), {
      code: "MissingParameter",
      message: "The request must contain the parameter MessageGroupId.",
    });
    await assertAwsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g" })), {
      code: "InvalidParameterValue",
      message: "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    });
    const s1 = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a1", MessageGroupId: "a", MessageDeduplicationId: "1" }));
    const dup = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a1 again", MessageGroupId: "a", MessageDeduplicationId: "1" }));
    assert.equal(dup.MessageId, s1.MessageId);
    assert.equal(dup.SequenceNumber, s1.SequenceNumber);
    assert.match(s1.SequenceNumber!, /^\d{20}$/);
    const s2 = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a2", MessageGroupId: "a", MessageDeduplicationId: "2" }));
    assert.ok(BigInt(s2.SequenceNumber!) > BigInt(s1.SequenceNumber!));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "b1", MessageGroupId: "b", MessageDeduplicationId: "3" }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ["All"] }));
    assert.equal(first.Messages![0].Body, "a1");
    assert.equal(first.Messages![0].Attributes!.MessageGroupId, "a");
    // Group a is blocked while a1 is in flight: only b1 comes next.
    const next = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(next.Messages!.map((m) => m.Body), ["b1"]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0].ReceiptHandle }));
    const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(after.Messages!.map((m) => m.Body), ["a2"]);
    // The deduplication window is 5 minutes.
    await server.advanceClock(301);
    const late = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a1", MessageGroupId: "a", MessageDeduplicationId: "1" }));
    assert.notEqual(late.MessageId, s1.MessageId);
  });

  it("deduplicates by content when ContentBasedDeduplication is on", async () => {
    const QueueUrl = await queue("f-cbd.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    const a = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "same", MessageGroupId: "g" }));
    const b = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "same", MessageGroupId: "g" }));
    assert.equal(a.MessageId, b.MessageId);
    assert.deepEqual(await counts(QueueUrl), ["1", "0", "0"]);
  });
});

describe("SQS with boto3", () => {
  const code = `
sqs = client('sqs')
url = sqs.create_queue(QueueName=NAME)['QueueUrl']
sent = sqs.send_message(QueueUrl=url, MessageBody='hello', MessageAttributes={'a': {'DataType': 'String', 'StringValue': 'x'}, 'b': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\x01'}, '__proto__': {'DataType': 'String', 'StringValue': 'p'}})
batch = sqs.send_message_batch(QueueUrl=url, Entries=[{'Id': 'one', 'MessageBody': 'b1'}, {'Id': 'two', 'MessageBody': 'b2', 'DelaySeconds': 999}])
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=['All'])['Messages']
deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[{'Id': str(i), 'ReceiptHandle': m['ReceiptHandle']} for i, m in enumerate(got)])
try:
    sqs.send_message_batch(QueueUrl=url, Entries=[])
    err = None
except botocore.exceptions.ClientError as e:
    err = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps({
  'md5': sent['MD5OfMessageBody'], 'bodies': sorted(m['Body'] for m in got),
  'ok': [e['Id'] for e in batch['Successful']], 'failed': [[e['Id'], e['Code']] for e in batch.get('Failed', [])],
  'deleted': len(deleted['Successful']), 'err': err,
  'names': sorted(next(m for m in got if m['Body'] == 'hello')['MessageAttributes']),
}))
`;
  it("sends, receives and batches (boto3 1.43, JSON)", async () => {
    const out = await python(server.endpoint, `NAME = "py-msg-json"\n${code}`);
      assert.equal(out.md5, "5d41402abc4b2a76b9719d911017c592");
      assert.deepEqual(out.bodies, ["b1", "hello"]);
      assert.deepEqual(out.ok, ["one"]);
      assert.deepEqual(out.failed, [["two", "InvalidParameterValue"]]);
      assert.equal(out.deleted, 2);
    assert.deepEqual(out.err, ["AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one SendMessageBatchRequestEntry in the request."]);
    // An attribute named __proto__ is kept, and counted in the MD5s boto3 checks on send and receive.
    assert.deepEqual(out.names, ["__proto__", "a", "b"]);
  });

  // Debian's boto3 speaks query: flattened <Message>, <Attribute>, <MessageAttribute>
  // and batch entries in answers come from the model patch's xmlName.
  it("sends messages and reports errors over query (Debian's boto3)", async () => {
    const out = await python(server.endpoint, `
sqs = client('sqs')
url = sqs.create_queue(QueueName='py-msg-query', Attributes={'VisibilityTimeout': '7'})['QueueUrl']
sent = sqs.send_message(QueueUrl=url, MessageBody='hello', MessageAttributes={'a': {'DataType': 'String', 'StringValue': 'x'}, 'b': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\x01'}})
sqs.send_message(QueueUrl=url, MessageBody='second', DelaySeconds=30)
def error(fn, **kw):
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps({
  'md5': sent['MD5OfMessageBody'], 'attrs': sent['MD5OfMessageAttributes'],
  'empty': error(sqs.send_message_batch, QueueUrl=url, Entries=[]),
  'missing': error(sqs.send_message, QueueUrl=url + 'x', MessageBody='x'),
  'receipt': error(sqs.delete_message, QueueUrl=url, ReceiptHandle='nope'),
  'received': sqs.receive_message(QueueUrl=url, MessageAttributeNames=['All'], AttributeNames=['All']).get('Messages', []),
  'batch': sqs.send_message_batch(QueueUrl=url, Entries=[{'Id': 'one', 'MessageBody': 'b1'}, {'Id': 'two', 'MessageBody': 'b2', 'DelaySeconds': 901}]),
}, default=str))
`, "/usr/bin/python3");
    assert.equal(out.md5, "5d41402abc4b2a76b9719d911017c592");
    assert.match(out.attrs, /^[0-9a-f]{32}$/);
    assert.deepEqual(out.empty, ["AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one SendMessageBatchRequestEntry in the request."]);
    assert.deepEqual(out.missing, ["AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."]);
    assert.deepEqual(out.receipt, ["ReceiptHandleIsInvalid", 'The input receipt handle "nope" is not a valid receipt handle.']);
    assert.equal(out.received.length, 1);
    const [message] = out.received;
    assert.equal(message.Body, "hello");
    assert.equal(message.MD5OfBody, "5d41402abc4b2a76b9719d911017c592");
    assert.equal(message.Attributes.ApproximateReceiveCount, "1");
    assert.deepEqual(message.MessageAttributes.a, { StringValue: "x", DataType: "String" });
    assert.deepEqual(out.batch.Successful.map((e: { Id: string }) => e.Id), ["one"]);
    assert.deepEqual(out.batch.Failed.map((e: { Id: string; Code: string }) => [e.Id, e.Code]), [["two", "InvalidParameterValue"]]);
    const url = "http://localhost/000000000000/py-msg-query";
    assert.deepEqual(await counts(url), ["1", "1", "1"]);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["VisibilityTimeout"] }));
    assert.equal(Attributes?.VisibilityTimeout, "7");
  });
});

describe("SQS receipt handles", () => {
  it("a handle from before a reset does not delete a message of the queue made again", async () => {
    const own = await startTestServer();
    try {
      const client = new SQSClient(clientConfig(own.endpoint));
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: "epoch" }));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "before" }));
      const old = (await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0];
      assert.equal((await fetch(`${own.endpoint}/_terrarium/reset?service=sqs`, { method: "POST" })).status, 200);
      await client.send(new CreateQueueCommand({ QueueName: "epoch" }));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "after" }));
      // Places in the queue start again after a reset; the old handle names none of them.
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: old.ReceiptHandle! }));
      assert.equal((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0].Body, "after");
      client.destroy();
    } finally {
      await own.stop();
    }
  });
});

async function counts2(client: SQSClient, QueueUrl: string): Promise<[string, string, string]> {
  const { Attributes: a } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
  return [a!.ApproximateNumberOfMessages!, a!.ApproximateNumberOfMessagesNotVisible!, a!.ApproximateNumberOfMessagesDelayed!];
}

describe("SQS persistence", () => {
  it("keeps acknowledged messages and queues across a restart with a data directory", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "terrarium-sqs-"));
    try {
      const first = await startTestServer({ dataDir });
      const a = new SQSClient(clientConfig(first.endpoint));
      const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: "durable", tags: { t: "1" } }));
      await a.send(new SendMessageCommand({ QueueUrl, MessageBody: "kept", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } }));
      a.destroy();
      await first.stop();
      const second = await startTestServer({ dataDir });
      const b = new SQSClient(clientConfig(second.endpoint));
      const got = await b.send(new ReceiveMessageCommand({ QueueUrl: "http://localhost:4566/000000000000/durable", MessageAttributeNames: ["All"] }));
      assert.equal(got.Messages?.[0].Body, "kept");
      assert.equal(got.Messages?.[0].MessageAttributes?.k.StringValue, "v");
      b.destroy();
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps a message in flight across a restart, and its receipt handle working", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "terrarium-sqs-"));
    try {
      const first = await startTestServer({ dataDir });
      const a = new SQSClient(clientConfig(first.endpoint));
      const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: "in-flight" }));
      await a.send(new SendMessageBatchCommand({ QueueUrl, Entries: ["one", "two", "three"].map((MessageBody, i) => ({ Id: String(i), MessageBody })) }));
      const held = await a.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 600 }));
      assert.deepEqual(held.Messages?.map((m) => m.Body), ["one", "two"]);
      await a.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: held.Messages![1].ReceiptHandle! }));
      a.destroy();
      await first.stop();
      const second = await startTestServer({ dataDir });
      const b = new SQSClient(clientConfig(second.endpoint));
      const url = QueueUrl!.replace(first.endpoint, second.endpoint);
      assert.deepEqual(await counts2(b, url), ["1", "1", "0"]);
      const next = await b.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      assert.deepEqual(next.Messages?.map((m) => m.Body), ["three"]);
      // The handle from before the restart still names the receive in force.
      await b.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: held.Messages![0].ReceiptHandle!, VisibilityTimeout: 0 }));
      const again = await b.send(new ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ["All"] }));
      assert.equal(again.Messages?.[0].Body, "one");
      assert.equal(again.Messages?.[0].Attributes?.ApproximateReceiveCount, "2");
      b.destroy();
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
