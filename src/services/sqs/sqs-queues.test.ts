import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand, ListQueueTagsCommand, PurgeQueueCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient,
  TagQueueCommand, UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

// Queue lifecycle, attributes and tags through the JS SDK v3 (JSON 1.0), boto3 1.43
// (JSON) and Debian's boto3 (query). Expected errors: the SQS API reference.

const server = await useTestServer();
const sqs = server.client(SQSClient);
const host = new URL(server.endpoint).host;

describe("SQS queues", () => {
  it("creates a queue idempotently and refuses different attributes", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "q1", Attributes: { VisibilityTimeout: "40" } }));
    assert.equal(QueueUrl, `http://${host}/000000000000/q1`);
    const again = await sqs.send(new CreateQueueCommand({ QueueName: "q1", Attributes: { VisibilityTimeout: "40" } }));
    assert.equal(again.QueueUrl, QueueUrl);
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "q1", Attributes: { VisibilityTimeout: "41" } })), {
      code: "QueueAlreadyExists",
      message: "A queue already exists with the same name and a different value for attribute VisibilityTimeout",
      status: 400,
    });
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: "q1" }))).QueueUrl, QueueUrl);
  });

  it("validates names and attributes with AWS's errors", async () => {
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "bad name" })), {
      code: "InvalidParameterValue",
      message: "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    });
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "f", Attributes: { FifoQueue: "true" } })), {
      code: "InvalidParameterValue",
      message: "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
    });
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "v", Attributes: { VisibilityTimeout: "43201" } })), {
      code: "InvalidAttributeValue",
      message: "Invalid value for the parameter VisibilityTimeout.",
    });
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "v", Attributes: { Nope: "1" } as any })), {
      code: "InvalidAttributeName",
      message: "Unknown Attribute Nope.",
    });
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "v", Attributes: { ContentBasedDeduplication: "true" } })), {
      code: "InvalidAttributeName",
    });
  });

  it("answers QueueDoesNotExist for unknown queues, with the query code in the header", async () => {
    await assertAwsError(sqs.send(new GetQueueUrlCommand({ QueueName: "nope" })), {
      code: "AWS.SimpleQueueService.NonExistentQueue",
      message: "The specified queue does not exist.",
      status: 400,
    });
    await assertAwsError(sqs.send(new SendMessageCommand({ QueueUrl: `http://somewhere:1/000000000000/nope`, MessageBody: "x" })), {
      code: "AWS.SimpleQueueService.NonExistentQueue",
    });
  });

  it("accepts any host form in QueueUrl", async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: "hosts" }));
    for (const url of ["http://localhost:4566/000000000000/hosts", "http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/hosts", "https://sqs.us-east-1.amazonaws.com/000000000000/hosts"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "hi" }));
    }
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: "http://localhost:4566/000000000000/hosts", AttributeNames: ["ApproximateNumberOfMessages"] }));
    assert.deepEqual(attrs.Attributes, { ApproximateNumberOfMessages: "3" });
  });

  it("lists queues by prefix, with pagination", async () => {
    for (const n of ["list-a", "list-b", "list-c"]) await sqs.send(new CreateQueueCommand({ QueueName: n }));
    const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "list-" }));
    assert.deepEqual(all.QueueUrls, ["a", "b", "c"].map((x) => `http://${host}/000000000000/list-${x}`));
    assert.equal(all.NextToken, undefined);
    const first = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "list-", MaxResults: 2 }));
    assert.equal(first.QueueUrls?.length, 2);
    const second = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "list-", MaxResults: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.QueueUrls, [`http://${host}/000000000000/list-c`]);
    assert.equal(second.NextToken, undefined);
    assert.equal((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "zzz" }))).QueueUrls, undefined);
  });

  it("gets and sets attributes", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "attrs" }));
    const before = await server.clockNow();
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    assert.equal(Attributes?.QueueArn, "arn:aws:sqs:us-east-1:000000000000:attrs");
    assert.equal(Attributes?.VisibilityTimeout, "30");
    assert.equal(Attributes?.MaximumMessageSize, "1048576");
    assert.equal(Attributes?.MessageRetentionPeriod, "345600");
    assert.equal(Attributes?.DelaySeconds, "0");
    assert.equal(Attributes?.ReceiveMessageWaitTimeSeconds, "0");
    assert.equal(Attributes?.ApproximateNumberOfMessages, "0");
    assert.equal(Attributes?.ApproximateNumberOfMessagesNotVisible, "0");
    assert.equal(Attributes?.ApproximateNumberOfMessagesDelayed, "0");
    assert.ok(Math.abs(Number(Attributes?.CreatedTimestamp) - before / 1000) < 5);
    assert.equal(Attributes?.FifoQueue, undefined);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: "5", DelaySeconds: "2" } }));
    const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout", "DelaySeconds"] }));
    assert.deepEqual(after.Attributes, { VisibilityTimeout: "5", DelaySeconds: "2" });
    await assertAwsError(sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Bogus" as any] })), {
      code: "InvalidAttributeName",
      message: "Unknown Attribute Bogus.",
    });
    await assertAwsError(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MessageRetentionPeriod: "59" } })), {
      code: "InvalidAttributeValue",
      message: "Invalid value for the parameter MessageRetentionPeriod.",
    });
  });

  it("reports FIFO attributes and dead-letter sources", async () => {
    const { QueueUrl: dlq } = await sqs.send(new CreateQueueCommand({ QueueName: "dlq-src-target" }));
    const dlqArn = "arn:aws:sqs:us-east-1:000000000000:dlq-src-target";
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 });
    await sqs.send(new CreateQueueCommand({ QueueName: "dlq-src", Attributes: { RedrivePolicy } }));
    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    assert.deepEqual(sources.queueUrls, [`http://${host}/000000000000/dlq-src`]);
    await assertAwsError(
      sqs.send(new CreateQueueCommand({ QueueName: "dlq-bad", Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn + "x", maxReceiveCount: 2 }) } })),
      { code: "InvalidParameterValue", message: /Reason: Dead letter target does not exist\.$/ },
    );
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "attrs.fifo", Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    assert.equal(Attributes?.FifoQueue, "true");
    assert.equal(Attributes?.ContentBasedDeduplication, "true");
    assert.equal(Attributes?.DeduplicationScope, "queue");
    assert.equal(Attributes?.FifoThroughputLimit, "perQueue");
    // High throughput: perMessageGroupId only with DeduplicationScope messageGroup (CreateQueue API reference).
    const pairing = { code: "InvalidAttributeValue", message: /^Invalid value for the parameter FifoThroughputLimit\./ };
    await assertAwsError(sqs.send(new CreateQueueCommand({ QueueName: "ht.fifo", Attributes: { FifoQueue: "true", FifoThroughputLimit: "perMessageGroupId" } })), pairing);
    await assertAwsError(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoThroughputLimit: "perMessageGroupId" } })), pairing);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoThroughputLimit: "perMessageGroupId", DeduplicationScope: "messageGroup" } }));
    await assertAwsError(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DeduplicationScope: "queue" } })), pairing);
  });

  it("tags queues", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "tagged", tags: { a: "1" } }));
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { b: "2" } }));
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { a: "1", b: "2" });
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["a", "b"] }));
    assert.equal((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, undefined);
  });

  it("purges at most once every 60 seconds", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "purged" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const count = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    assert.equal(count.Attributes?.ApproximateNumberOfMessages, "0");
    await assertAwsError(sqs.send(new PurgeQueueCommand({ QueueUrl })), {
      code: "AWS.SimpleQueueService.PurgeQueueInProgress",
      message: "Only one PurgeQueue operation on purged is allowed every 60 seconds.",
      status: 403,
    });
    await server.advanceClock(60);
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
  });

  it("deletes queues", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "gone" }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    await assertAwsError(sqs.send(new DeleteQueueCommand({ QueueUrl })), { code: "AWS.SimpleQueueService.NonExistentQueue" });
  });

  it("works with boto3 over JSON and Debian's boto3 over query", async () => {
    const code = `
sqs = client('sqs')
url = sqs.create_queue(QueueName=NAME, Attributes={'DelaySeconds': '3'}, tags={'k': 'v'})['QueueUrl']
sqs.tag_queue(QueueUrl=url, Tags={'k2': 'v2'})
attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['All']).get('Attributes', {})
urls = sqs.list_queues(QueueNamePrefix=NAME).get('QueueUrls')
tags = sqs.list_queue_tags(QueueUrl=url).get('Tags')
try:
    sqs.get_queue_url(QueueName='does-not-exist')
    err = None
except botocore.exceptions.ClientError as e:
    err = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps({'url': url, 'delay': attrs.get('DelaySeconds'), 'arn': attrs.get('QueueArn'), 'urls': urls, 'tags': tags, 'err': err}))
`;
    for (const [name, interpreter] of [["py-json", "python3"], ["py-query", "/usr/bin/python3"]]) {
      const out = await python(server.endpoint, `NAME = ${JSON.stringify(name)}\n${code}`, interpreter);
      assert.equal(out.url, `http://${host}/000000000000/${name}`);
      assert.deepEqual(out.err, ["AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."]);
      // Over query, flattened lists and maps answer as <QueueUrl>, <Attribute>, <Tag>
      // (the model patch's xmlName).
      assert.deepEqual(out.urls, [out.url]);
      assert.equal(out.delay, "3");
      assert.equal(out.arn, `arn:aws:sqs:us-east-1:000000000000:${name}`);
      assert.deepEqual(out.tags, { k: "v", k2: "v2" });
    }
  });
});
