import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  AddPermissionCommand, CancelMessageMoveTaskCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand,
  GetQueueUrlCommand, ListMessageMoveTasksCommand, ReceiveMessageCommand, RemovePermissionCommand, SendMessageBatchCommand,
  SendMessageCommand, SetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { assertAwsError, clientConfig, python, startTestServer, useTestServer } from "../../../test/helpers.js";

// The operations beyond send and receive: Add/RemovePermission, the message move
// tasks (DLQ redrive) on Terrarium's clock, RedriveAllowPolicy, cross-account queue
// URLs, ReceiveRequestAttemptId, FIFO send and handle rules; and the queue's indexes
// (counts, long polls woken one per message, FIFO dedup kept across a restart).

const server = await useTestServer();
const sqs = server.client(SQSClient);
const other = server.client(SQSClient, { account: "111111111111" });

async function queue(name: string, Attributes?: Record<string, string>, client = sqs): Promise<{ url: string; arn: string }> {
  const url = (await client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  return { url, arn };
}

async function attributes(QueueUrl: string, client = sqs): Promise<Record<string, string>> {
  return (await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};
}

async function sendMany(QueueUrl: string, n: number, prefix = "m"): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    const Entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({ Id: String(j), MessageBody: `${prefix}${i + j}` }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
  }
}

describe("SQS AddPermission / RemovePermission", () => {
  it("builds the policy statement by statement, as SQS does", async () => {
    const { url, arn } = await queue("perm-q");
    await sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "one", AWSAccountIds: ["111111111111"], Actions: ["SendMessage"] }));
    await sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "two", AWSAccountIds: ["111111111111", "222222222222"], Actions: ["ReceiveMessage", "DeleteMessage"] }));
    const policy = JSON.parse((await attributes(url)).Policy!);
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        { Sid: "one", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "SQS:SendMessage", Resource: arn },
        {
          Sid: "two", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] },
          Action: ["SQS:ReceiveMessage", "SQS:DeleteMessage"], Resource: arn,
        },
      ],
    });
    await assertAwsError(sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "one", AWSAccountIds: ["111111111111"], Actions: ["SendMessage"] })), {
      code: "InvalidParameterValue", message: "Value one for parameter Label is invalid. Reason: Already exists.",
    });
    await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "one" }));
    assert.deepEqual(JSON.parse((await attributes(url)).Policy!).Statement.map((s: { Sid: string }) => s.Sid), ["two"]);
    await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "two" }));
    assert.equal((await attributes(url)).Policy, undefined);
    await assertAwsError(sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "two" })), {
      code: "InvalidParameterValue", message: "Value two for parameter Label is invalid. Reason: can't find label on existing policy.",
    });
  });

  it("rejects actions that only the owner may call, and too many actions", async () => {
    const { url } = await queue("perm-bad");
    await assertAwsError(sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "x", AWSAccountIds: ["111111111111"], Actions: ["CreateQueue"] })), {
      code: "InvalidParameterValue", message: "Value SQS:CreateQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.",
    });
    const eight = ["SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl", "PurgeQueue", "ListQueueTags"];
    await assertAwsError(sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "x", AWSAccountIds: ["111111111111"], Actions: eight })), { code: "OverLimit" });
  });
});

describe("SQS message move tasks", () => {
  async function redriveSetup(name: string, count: number) {
    const dlq = await queue(`${name}-dlq`);
    const src = await queue(name, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }), VisibilityTimeout: "0" });
    await sendMany(src.url, count);
    // Receive each once (visibility 0: visible again at once), then once more: the second receive moves them.
    for (let i = 0; i < count; i += 10) await sqs.send(new ReceiveMessageCommand({ QueueUrl: src.url, MaxNumberOfMessages: 10 }));
    for (let i = 0; i < count; i += 10) await sqs.send(new ReceiveMessageCommand({ QueueUrl: src.url, MaxNumberOfMessages: 10 }));
    assert.equal((await attributes(dlq.url)).ApproximateNumberOfMessages, String(count));
    return { dlq, src };
  }

  it("redrives a dead-letter queue back to its source at MaxNumberOfMessagesPerSecond, on the clock", async () => {
    const { dlq, src } = await redriveSetup("move-src", 5);
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 2 }));
    assert.ok(TaskHandle);
    await assertAwsError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })), {
      code: "AWS.SimpleQueueService.UnsupportedOperation",
      message: "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
    });
    let [task] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }))).Results!;
    assert.equal(task.Status, "RUNNING");
    assert.equal(task.TaskHandle, TaskHandle);
    assert.equal(task.ApproximateNumberOfMessagesToMove, 5);
    await server.advanceClock(1);
    assert.equal((await attributes(src.url)).ApproximateNumberOfMessages, "2");
    await server.advanceClock(2);
    assert.equal((await attributes(src.url)).ApproximateNumberOfMessages, "5");
    assert.equal((await attributes(dlq.url)).ApproximateNumberOfMessages, "0");
    [task] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }))).Results!;
    assert.equal(task.Status, "COMPLETED");
    assert.equal(task.ApproximateNumberOfMessagesMoved, 5);
    assert.equal(task.TaskHandle, undefined);
    // Back in the source, the message no longer says it came from a dead-letter queue.
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: src.url, MessageSystemAttributeNames: ["All"] }));
    assert.equal(got.Messages?.[0].Attributes?.DeadLetterQueueSourceArn, undefined);
  });

  it("moves to a DestinationArn, and CancelMessageMoveTask stops it", async () => {
    const { dlq } = await redriveSetup("move-dest", 4);
    const dest = await queue("move-dest-target");
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: dest.arn, MaxNumberOfMessagesPerSecond: 1 }));
    await server.advanceClock(1);
    const { ApproximateNumberOfMessagesMoved } = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    assert.equal(ApproximateNumberOfMessagesMoved, 1);
    await server.advanceClock(5);
    assert.equal((await attributes(dest.url)).ApproximateNumberOfMessages, "1");
    const results = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }))).Results!;
    assert.equal(results[0].Status, "CANCELLED");
    assert.equal(results[0].DestinationArn, dest.arn);
    await assertAwsError(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })), { code: "ResourceNotFoundException", message: "Task does not exist." });
  });

  it("answers AWS's errors for a source that is not a dead-letter queue or does not exist", async () => {
    const plain = await queue("move-plain");
    await assertAwsError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn })), {
      code: "InvalidParameterValue", message: "Source queue must be configured as a Dead Letter Queue.",
    });
    await assertAwsError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: "arn:aws:sqs:us-east-1:000000000000:nope" })), { code: "ResourceNotFoundException" });
    await assertAwsError(sqs.send(new ListMessageMoveTasksCommand({ SourceArn: "arn:aws:sqs:us-east-1:000000000000:nope" })), { code: "ResourceNotFoundException" });
  });
});

describe("SQS RedriveAllowPolicy", () => {
  it("admits only the source queues it names", async () => {
    const allowed = await queue("rap-allowed");
    const dlq = await queue("rap-dlq", { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [allowed.arn] }) });
    const redrive = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: allowed.url, Attributes: { RedrivePolicy: redrive } }));
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "rap-denied", Attributes: { RedrivePolicy: redrive } })), { code: "InvalidParameterValue" });
    const closed = await queue("rap-closed", { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) });
    await assertAwsError(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: allowed.url, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: closed.arn, maxReceiveCount: 3 }) } })),
      { code: "InvalidParameterValue" },
    );
  });

  it("validates the policy itself", async () => {
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "rap-bad", Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue" }) } })), {
      code: "InvalidAttributeValue", message: /must also specify one or more sourceQueueArns/,
    });
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "rap-bad", Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "some" }) } })), {
      code: "InvalidAttributeValue",
    });
  });
});

describe("SQS cross-account and cross-region queue URLs", () => {
  it("resolves a URL naming another account to that account's queue", async () => {
    const theirs = await queue("xacct", undefined, other);
    assert.match(theirs.url, /\/111111111111\/xacct$/);
    await sqs.send(new SendMessageCommand({ QueueUrl: theirs.url, MessageBody: "from 000000000000" }));
    const got = await other.send(new ReceiveMessageCommand({ QueueUrl: theirs.url }));
    assert.equal(got.Messages?.[0].Body, "from 000000000000");
    await sqs.send(new DeleteMessageCommand({ QueueUrl: theirs.url, ReceiptHandle: got.Messages![0].ReceiptHandle! }));
    assert.equal((await attributes(theirs.url, other)).ApproximateNumberOfMessagesNotVisible, "0");
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "xacct", QueueOwnerAWSAccountId: "111111111111" }));
    assert.equal(new URL(QueueUrl!).pathname, "/111111111111/xacct");
    await assertAwsError(sqs.send(new GetQueueUrlCommand({ QueueName: "xacct" })), { code: "AWS.SimpleQueueService.NonExistentQueue" });
  });

  it("resolves a regional host to that region's queue", async () => {
    const west = server.client(SQSClient, { region: "eu-west-1" });
    await west.send(new CreateQueueCommand({ QueueName: "regional" }));
    const url = `http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/regional`;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "to eu-west-1" }));
    const got = await west.send(new ReceiveMessageCommand({ QueueUrl: url }));
    assert.equal(got.Messages?.[0].Body, "to eu-west-1");
    // LocalStack's other URL strategies: <region>.queue.<host>, and the region in the path.
    for (const other of [
      "http://eu-west-1.queue.localhost.localstack.cloud:4566/000000000000/regional",
      "http://localhost:4566/queue/eu-west-1/000000000000/regional",
    ]) {
      await sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: other }));
      assert.equal((await west.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.[0].Body, other);
    }
  });
});

describe("SQS ReceiveRequestAttemptId (FIFO)", () => {
  it("answers a retried receive with the same messages while they are in flight", async () => {
    const { url } = await queue("attempt.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
    for (const body of ["a", "b", "c"]) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: "g" }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2, ReceiveRequestAttemptId: "try-1" }));
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2, ReceiveRequestAttemptId: "try-1" }));
    assert.deepEqual(again.Messages?.map((m) => m.Body), ["a", "b"]);
    assert.deepEqual(again.Messages?.map((m) => m.MessageId), first.Messages?.map((m) => m.MessageId));
    // "the same messages and receipt handles" (ReceiveMessage API reference, ReceiveRequestAttemptId).
    assert.deepEqual(again.Messages?.map((m) => m.ReceiptHandle), first.Messages?.map((m) => m.ReceiptHandle));
    // The handles of the retry delete the messages.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0].ReceiptHandle! }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![1].ReceiptHandle! }));
    const next = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ReceiveRequestAttemptId: "try-2" }));
    assert.deepEqual(next.Messages?.map((m) => m.Body), ["c"]);
  });
});

describe("SQS FIFO rules", () => {
  it("takes no per-message delay (an explicit 0 is none), checks attempt ids, refuses expired handles", async () => {
    const QueueUrl = (await queue("f-rules.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true", VisibilityTimeout: "10" })).url;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "zero", MessageGroupId: "g", DelaySeconds: 0 }));
    await assertAwsError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "five", MessageGroupId: "g", DelaySeconds: 5 })), {
      code: "InvalidParameterValue",
      message: "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
    });
    await assertAwsError(sqs.send(new ReceiveMessageCommand({ QueueUrl, ReceiveRequestAttemptId: "x".repeat(129) })), {
      code: "InvalidParameterValue", message: /^Value x+ for parameter ReceiveRequestAttemptId is invalid\. Reason: /,
    });
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(first.Messages![0].Body, "zero");
    await server.advanceClock(11);
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    assert.equal(second.Messages![0].MessageId, first.Messages![0].MessageId);
    // A FIFO queue's handle from an earlier receive has expired.
    await assertAwsError(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0].ReceiptHandle })), {
      code: "ReceiptHandleIsInvalid", message: "The receipt handle has expired.", status: 404,
    });
    await server.advanceClock(11);
    // The current handle, once its visibility timeout has passed: the message is no longer in flight.
    await assertAwsError(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second.Messages![0].ReceiptHandle, VisibilityTimeout: 5 })), {
      code: "AWS.SimpleQueueService.MessageNotInflight", status: 400,
    });
  });
});

describe("SQS queue indexes", () => {
  it("keeps the counts right through delays, receives, visibility changes and deletes", async () => {
    const { url } = await queue("idx-counts");
    await sendMany(url, 30);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "late", DelaySeconds: 10 }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 5 }));
    assert.equal(got.Messages?.length, 10);
    let a = await attributes(url);
    assert.deepEqual([a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed], ["20", "10", "1"]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: got.Messages![0].ReceiptHandle! }));
    await server.advanceClock(6);
    a = await attributes(url);
    assert.deepEqual([a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed], ["29", "0", "1"]);
    await server.advanceClock(5);
    a = await attributes(url);
    assert.deepEqual([a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed], ["30", "0", "0"]);
  });

  it("never answers one message twice in a receive, even with VisibilityTimeout 0", async () => {
    for (const [name, Attributes] of [["idx-vt0", undefined], ["idx-vt0.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" }]] as const) {
      const { url } = await queue(name, Attributes);
      for (const body of ["a", "b", "c"]) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...(Attributes ? { MessageGroupId: "g" } : {}) }));
      for (let round = 0; round < 2; round++) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
        assert.deepEqual(got.Messages?.map((m) => m.Body), ["a", "b", "c"], name);
      }
    }
  });

  it("wakes one long poll per message, and each gets its own", async () => {
    const { url } = await queue("idx-wake");
    const polls = Array.from({ length: 3 }, () => sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })));
    await new Promise((r) => setTimeout(r, 100));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "one" }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "two" }));
    // Two polls end with the two sends, long before their 20-second wait (the clock is
    // not advanced here); the third keeps waiting and gets the third message.
    await Promise.all(polls.slice(0, 2));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "three" }));
    const bodies = (await Promise.all(polls)).map((r) => r.Messages?.[0]?.Body).sort();
    assert.deepEqual(bodies, ["one", "three", "two"]);
  });

  it("a long poll wakes when a delayed message comes due on the clock", async () => {
    const { url } = await queue("idx-delay-wake");
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "later", DelaySeconds: 60 }));
    const poll = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 100));
    await server.advanceClock(61);
    assert.equal((await poll).Messages?.[0].Body, "later");
  });

  it("serves FIFO groups in order on a queue of thousands, skipping blocked groups", async () => {
    const { url } = await queue("idx-groups.fifo", { FifoQueue: "true" });
    for (let i = 0; i < 2000; i += 10) {
      const Entries = Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: String(i + j), MessageGroupId: `g${(i + j) % 50}`, MessageDeduplicationId: String(i + j) }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
    }
    const seen = new Map<string, number>();
    for (let round = 0; round < 5; round++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["MessageGroupId"] }));
      for (const m of got.Messages ?? []) {
        const group = m.Attributes!.MessageGroupId!;
        const n = Number(m.Body);
        assert.ok((seen.get(group) ?? -1) < n, `group ${group} out of order`);
        seen.set(group, n);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    // A group with a message in flight gives nothing more until it is deleted.
    const held = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ["MessageGroupId"] }));
    const group = held.Messages![0].Attributes!.MessageGroupId!;
    for (let i = 0; i < 20; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageSystemAttributeNames: ["MessageGroupId"] }));
      for (const m of got.Messages ?? []) assert.notEqual(m.Attributes!.MessageGroupId, group);
    }
  });

  it("keeps FIFO deduplication ids and in-flight state across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "terrarium-sqs-dedup-"));
    const running: { stop(): Promise<void> }[] = [];
    try {
      const first = await startTestServer({ dataDir });
      running.push(first);
      const a = new SQSClient(clientConfig(first.endpoint));
      const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: "dedup.fifo", Attributes: { FifoQueue: "true" } }));
      const sent = await a.send(new SendMessageCommand({ QueueUrl, MessageBody: "once", MessageGroupId: "g", MessageDeduplicationId: "d1" }));
      await a.send(new SendMessageCommand({ QueueUrl, MessageBody: "second", MessageGroupId: "g", MessageDeduplicationId: "d2" }));
      const held = await a.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.equal(held.Messages?.[0].Body, "once");
      a.destroy();
      await first.stop();
      running.pop();
      const second = await startTestServer({ dataDir });
      running.push(second);
      const b = new SQSClient(clientConfig(second.endpoint));
      const again = await b.send(new SendMessageCommand({ QueueUrl, MessageBody: "once", MessageGroupId: "g", MessageDeduplicationId: "d1" }));
      assert.equal(again.MessageId, sent.MessageId);
      assert.equal(again.SequenceNumber, sent.SequenceNumber);
      // The group is still blocked by the message in flight before the restart.
      assert.equal((await b.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
      await b.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: held.Messages![0].ReceiptHandle! }));
      assert.equal((await b.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0].Body, "second");
      b.destroy();
      await running.pop()!.stop();
    } finally {
      for (const server of running) await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("works from boto3 over JSON and Debian's boto3 over query", async () => {
    const code = `
sqs = client('sqs')
url = sqs.create_queue(QueueName=NAME)['QueueUrl']
sqs.add_permission(QueueUrl=url, Label='l', AWSAccountIds=['111111111111'], Actions=['SendMessage'])
policy = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['Policy'])['Attributes']['Policy'])
sqs.remove_permission(QueueUrl=url, Label='l')
dlq = sqs.create_queue(QueueName=NAME + '-dlq')['QueueUrl']
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
sqs.set_queue_attributes(QueueUrl=url, Attributes={'RedrivePolicy': json.dumps({'deadLetterTargetArn': dlq_arn, 'maxReceiveCount': 1})})
out = {'sid': policy['Statement'][0]['Sid']}
# Debian's botocore predates the message move tasks.
if hasattr(sqs, 'start_message_move_task'):
    handle = sqs.start_message_move_task(SourceArn=dlq_arn)['TaskHandle']
    tasks = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)['Results']
    out.update({'status': tasks[0]['Status'], 'handle': tasks[0].get('TaskHandle') == handle})
else:
    out.update({'status': 'RUNNING', 'handle': True})
print(json.dumps(out))
`;
    for (const [name, interpreter] of [["py-ops-json", "python3"], ["py-ops-query", "/usr/bin/python3"]]) {
      const out = await python(server.endpoint, `NAME = ${JSON.stringify(name)}\n${code}`, interpreter);
      assert.deepEqual(out, { sid: "l", status: "RUNNING", handle: true });
    }
  });
});

describe("SQS query requests addressed to the queue URL", () => {
  it("name the queue by the request path when QueueUrl is absent, as AWS's query API examples do", async () => {
    const { url } = await queue("by-path");
    const path = new URL(url).pathname;
    const post = (form: Record<string, string>) =>
      fetch(`${server.endpoint}${path}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00",
        },
        body: new URLSearchParams({ Version: "2012-11-05", ...form }).toString(),
      });
    const sent = await post({ Action: "SendMessage", MessageBody: "addressed by path" });
    assert.equal(sent.status, 200);
    assert.match(await sent.text(), /<SendMessageResponse[^]*<MD5OfMessageBody>/);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    assert.equal(received.Messages?.[0]?.Body, "addressed by path");
    const missing = await fetch(`${server.endpoint}/000000000000/no-such-queue`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=SendMessage&Version=2012-11-05&MessageBody=x",
    });
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /<Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code>/);
  });
});
