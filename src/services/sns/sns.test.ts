import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createVerify } from "node:crypto";
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, DeleteTopicCommand, GetDataProtectionPolicyCommand, GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, ListTopicsCommand, PublishBatchCommand,
  PublishCommand, PutDataProtectionPolicyCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SNSClient,
  SubscribeCommand, TagResourceCommand, UnsubscribeCommand, UntagResourceCommand,
} from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, awsCli, python, useTestServer } from "../../../test/helpers.js";
import { canonicalString, NOTIFICATION_FIELDS } from "./signing.js";

// SNS through the real clients: topics, subscriptions, and Publish fanned out to SQS
// queues, asserting the envelope AWS documents ("Amazon SNS message and JSON formats").

const server = await useTestServer();
const sns = server.client(SNSClient);
const sqs = server.client(SQSClient);

async function topic(Name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name, Attributes }))).TopicArn!;
}

async function queue(name: string, Attributes?: Record<string, string>): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  return { url, arn: attrs.Attributes!.QueueArn! };
}

async function subscribeQueue(TopicArn: string, queueArn: string, Attributes?: Record<string, string>): Promise<string> {
  return (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queueArn, Attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;
}

async function receive(QueueUrl: string, max = 10) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }))).Messages ?? [];
}

describe("SNS topics", () => {
  it("creates topics idempotently and describes them", async () => {
    const arn = await topic("t-basic", { DisplayName: "Basic" });
    assert.equal(arn, "arn:aws:sns:us-east-1:000000000000:t-basic");
    assert.equal(await topic("t-basic", { DisplayName: "Basic" }), arn);
    await assertAwsError(sns.send(new CreateTopicCommand({ Name: "t-basic", Attributes: { DisplayName: "Other" } })), {
      code: "InvalidParameter", message: "Invalid parameter: Attributes Reason: Topic already exists with different attributes", status: 400,
    });
    const { Attributes: a } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    assert.equal(a!.DisplayName, "Basic");
    assert.equal(a!.Owner, "000000000000");
    assert.equal(a!.TopicArn, arn);
    assert.equal(a!.SubscriptionsConfirmed, "0");
    assert.equal(JSON.parse(a!.Policy!).Statement[0].Condition.StringEquals["AWS:SourceOwner"], "000000000000");
    assert.equal(JSON.parse(a!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy.numRetries, 3);
    assert.equal(a!.FifoTopic, undefined);
    await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: "DisplayName", AttributeValue: "Renamed" }));
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!.DisplayName, "Renamed");
  });

  it("checks names, FIFO rules and missing topics with AWS's errors", async () => {
    await assertAwsError(topic("bad name!"), { code: "InvalidParameter", message: "Invalid parameter: Topic Name" });
    await assertAwsError(topic("nofifo", { FifoTopic: "true" }), { code: "InvalidParameter", message: /Fifo Topic names must end with \.fifo/ });
    await assertAwsError(topic("std", { ContentBasedDeduplication: "true" }), { code: "InvalidParameter", message: /Content based deduplication can only be set for FIFO topics/ });
    const fifo = await topic("t-fifo.fifo", { FifoTopic: "true", ContentBasedDeduplication: "true" });
    const { Attributes: a } = await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo }));
    assert.equal(a!.FifoTopic, "true");
    assert.equal(a!.ContentBasedDeduplication, "true");
    const missing = "arn:aws:sns:us-east-1:000000000000:nope";
    await assertAwsError(sns.send(new GetTopicAttributesCommand({ TopicArn: missing })), { code: "NotFound", message: "Topic does not exist", status: 404 });
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: missing, Message: "x" })), { code: "NotFound", message: "Topic does not exist" });
    // A malformed ARN is InvalidParameter, before any lookup.
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: "not-an-arn", Message: "x" })), {
      code: "InvalidParameter", message: "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1", status: 400,
    });
    await assertAwsError(sns.send(new UnsubscribeCommand({ SubscriptionArn: "pending confirmation" })), {
      code: "InvalidParameter", message: "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1",
    });
    await assertAwsError(sns.send(new SetTopicAttributesCommand({ TopicArn: fifo, AttributeName: "Bogus", AttributeValue: "x" })), { code: "InvalidParameter", message: "Invalid parameter: AttributeName" });
  });

  it("lists topics 100 per page with NextToken, and deletes them", async () => {
    const s = server.client(SNSClient, { region: "eu-west-3" });
    for (let i = 0; i < 105; i++) await s.send(new CreateTopicCommand({ Name: `p-${String(i).padStart(3, "0")}` }));
    const first = await s.send(new ListTopicsCommand({}));
    assert.equal(first.Topics!.length, 100);
    assert.ok(first.NextToken);
    const second = await s.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    assert.equal(second.Topics!.length, 5);
    assert.equal(second.NextToken, undefined);
    await s.send(new DeleteTopicCommand({ TopicArn: second.Topics![4].TopicArn }));
    assert.equal((await s.send(new ListTopicsCommand({ NextToken: first.NextToken }))).Topics!.length, 4);
    // Idempotent: deleting it again, or a topic that never was, is no error (DeleteTopic API reference).
    await s.send(new DeleteTopicCommand({ TopicArn: second.Topics![4].TopicArn }));
    await s.send(new DeleteTopicCommand({ TopicArn: "arn:aws:sns:eu-west-3:000000000000:never-was" }));
  });

  it("tags topics and stores the data protection policy", async () => {
    const arn = await topic("t-tags");
    await sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "team", Value: "a" }, { Key: "env", Value: "dev" }] }));
    await sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["env"] }));
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: "team", Value: "a" }]);
    await assertAwsError(sns.send(new ListTagsForResourceCommand({ ResourceArn: `${arn}-x` })), { code: "ResourceNotFound", message: "Resource does not exist", status: 404 });
    const policy = JSON.stringify({ Name: "p", Version: "2021-06-01", Statement: [] });
    await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: policy }));
    assert.equal((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }))).DataProtectionPolicy, policy);
  });
});

describe("SNS subscriptions", () => {
  it("subscribes, lists, sets attributes and unsubscribes", async () => {
    const arn = await topic("s-basic");
    const q = await queue("s-basic-q");
    const sub = await subscribeQueue(arn, q.arn, { RawMessageDelivery: "true" });
    assert.ok(sub.startsWith(`${arn}:`));
    assert.equal(await subscribeQueue(arn, q.arn, { RawMessageDelivery: "true" }), sub);
    const http = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "http", Endpoint: "http://127.0.0.1:9/hook" }));
    assert.equal(http.SubscriptionArn, "pending confirmation");
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    assert.deepEqual(listed.Subscriptions!.map((s) => s.SubscriptionArn).sort(), [sub, "PendingConfirmation"].sort());
    const { Attributes: a } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    assert.equal(a!.SubscriptionsConfirmed, "1");
    assert.equal(a!.SubscriptionsPending, "1");
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub }))).Attributes!;
    assert.equal(attrs.RawMessageDelivery, "true");
    assert.equal(attrs.Protocol, "sqs");
    assert.equal(attrs.Endpoint, q.arn);
    assert.equal(attrs.PendingConfirmation, "false");
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: "FilterPolicy", AttributeValue: '{"a":["b"]}' }));
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub }))).Attributes!.FilterPolicyScope, "MessageAttributes");
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub }));
    await assertAwsError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub })), { code: "NotFound", message: "Subscription does not exist" });
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!.SubscriptionsDeleted, "1");
    await assertAwsError(sns.send(new ConfirmSubscriptionCommand({ TopicArn: arn, Token: "nope" })), { code: "InvalidParameter", message: "Invalid parameter: Token" });
  });

  it("refuses bad protocols, endpoints and filter policies as AWS words it", async () => {
    const arn = await topic("s-errors");
    await assertAwsError(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "carrier-pigeon", Endpoint: "x" })), {
      code: "InvalidParameter", message: "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon",
    });
    await assertAwsError(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "sqs", Endpoint: "not-an-arn" })), { code: "InvalidParameter", message: "Invalid parameter: SQS endpoint ARN" });
    await assertAwsError(sns.send(new SubscribeCommand({
      TopicArn: arn, Protocol: "lambda", Endpoint: "arn:aws:lambda:us-east-1:000000000000:function:f", Attributes: { RawMessageDelivery: "true" },
    })), { code: "InvalidParameter", message: "Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery." });
    const q = await queue("s-errors-q");
    await assertAwsError(subscribeQueue(arn, q.arn, { FilterPolicy: JSON.stringify({ a: [{ prefix: 1 }] }) }), {
      code: "InvalidParameter", message: "Invalid parameter: Attributes Reason: FilterPolicy: prefix match pattern must be a string",
    });
    await assertAwsError(subscribeQueue(arn, q.arn, { FilterPolicy: JSON.stringify({ a: { b: ["c"] } }) }), {
      code: "InvalidParameter", message: "Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy",
    });
    await assertAwsError(subscribeQueue(arn, q.arn, { FilterPolicy: JSON.stringify({ store: Array.from({ length: 151 }, (_, i) => String(i)) }) }), {
      code: "InvalidParameter", message: "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex",
    });
    const sub = await subscribeQueue(arn, q.arn);
    await assertAwsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: "FilterPolicy", AttributeValue: JSON.stringify({ a: [{ numeric: [">", 5, "<", 1] }] }) })), {
      code: "InvalidParameter", message: "Invalid parameter: FilterPolicy: Bottom must be less than top",
    });
    await assertAwsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub, AttributeName: "RawMessageDelivery", AttributeValue: "maybe" })), {
      code: "InvalidParameter", message: "Invalid parameter: RawMessageDelivery: Invalid value [maybe]. Must be true or false.",
    });
  });
});

describe("SNS publish", () => {
  it("fans out to queues in AWS's envelope, signed with the key Terrarium serves", async () => {
    const arn = await topic("f-envelope");
    const q1 = await queue("f-envelope-1");
    const q2 = await queue("f-envelope-2");
    const sub1 = await subscribeQueue(arn, q1.arn);
    await subscribeQueue(arn, q2.arn);
    const published = await sns.send(new PublishCommand({
      TopicArn: arn, Message: "hello", Subject: "Greeting",
      MessageAttributes: { color: { DataType: "String", StringValue: "red" }, size: { DataType: "Number", StringValue: "3" }, bin: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2]) } },
    }));
    assert.match(published.MessageId!, /^[0-9a-f-]{36}$/);
    const [m1] = await receive(q1.url);
    const [m2] = await receive(q2.url);
    assert.ok(m1 && m2);
    const body = JSON.parse(m1.Body!);
    assert.deepEqual(Object.keys(body), ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]);
    assert.equal(body.Type, "Notification");
    assert.equal(body.MessageId, published.MessageId);
    assert.equal(body.TopicArn, arn);
    assert.equal(body.Subject, "Greeting");
    assert.equal(body.Message, "hello");
    assert.match(body.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(body.SignatureVersion, "1");
    assert.match(body.SigningCertURL, /\/_terrarium\/sns\/SimpleNotificationService-000000000000-us-east-1\.pem$/);
    assert.equal(
      new URL(body.UnsubscribeURL).search,
      `?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub1)}&Version=2010-03-31&X-Amz-Credential=${encodeURIComponent("000000000000/20120101/us-east-1/sns/aws4_request")}`,
    );
    assert.deepEqual(body.MessageAttributes, { color: { Type: "String", Value: "red" }, size: { Type: "Number", Value: "3" }, bin: { Type: "Binary", Value: "AQI=" } });
    assert.equal(JSON.parse(m2.Body!).MessageId, published.MessageId);
    assert.ok(body.Signature.length > 100);
    // An attribute name is the client's text: "__proto__" arrives like any other, and filters on it.
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub1, AttributeName: "FilterPolicy", AttributeValue: '{"__proto__": ["p"]}' }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "proto", MessageAttributes: JSON.parse('{"__proto__": {"DataType": "String", "StringValue": "p"}}') }));
    const [proto] = await receive(q1.url);
    assert.deepEqual(JSON.parse(proto.Body!).MessageAttributes, JSON.parse('{"__proto__": {"Type": "String", "Value": "p"}}'));
  });

  it("omits Subject and MessageAttributes when unset; raw delivery passes the message and its attributes", async () => {
    const arn = await topic("f-raw");
    const env = await queue("f-raw-env");
    const raw = await queue("f-raw-raw");
    await subscribeQueue(arn, env.arn);
    await subscribeQueue(arn, raw.arn, { RawMessageDelivery: "true" });
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "plain" }));
    const body = JSON.parse((await receive(env.url))[0].Body!);
    assert.equal("Subject" in body, false);
    assert.equal("MessageAttributes" in body, false);
    assert.equal((await receive(raw.url))[0].Body, "plain");
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "with attrs", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } }));
    const [m] = await receive(raw.url);
    assert.equal(m.Body, "with attrs");
    assert.equal(m.MessageAttributes!.k.DataType, "String");
    assert.equal(m.MessageAttributes!.k.StringValue, "v");
  });

  it("applies filter policies on attributes and on the body", async () => {
    const arn = await topic("f-filter");
    const red = await queue("f-filter-red");
    const cheap = await queue("f-filter-cheap");
    const body = await queue("f-filter-body");
    await subscribeQueue(arn, red.arn, { FilterPolicy: JSON.stringify({ color: ["red"], tags: [{ prefix: "sp" }] }) });
    await subscribeQueue(arn, cheap.arn, { FilterPolicy: JSON.stringify({ price: [{ numeric: ["<", 10] }] }) });
    await subscribeQueue(arn, body.arn, { FilterPolicyScope: "MessageBody", FilterPolicy: JSON.stringify({ order: { status: [{ "anything-but": "cancelled" }] } }), RawMessageDelivery: "true" });
    const attrs = (color: string, price: string) => ({ color: { DataType: "String", StringValue: color }, price: { DataType: "Number", StringValue: price }, tags: { DataType: "String.Array", StringValue: '["sports","news"]' } });
    await sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify({ order: { status: "placed" } }), MessageAttributes: attrs("red", "5") }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify({ order: { status: "cancelled" } }), MessageAttributes: attrs("blue", "50") }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "not json", MessageAttributes: attrs("red", "500") }));
    assert.equal((await receive(red.url)).length, 2);
    assert.deepEqual((await receive(cheap.url)).map((m) => JSON.parse(JSON.parse(m.Body!).Message).order.status), ["placed"]);
    assert.deepEqual((await receive(body.url)).map((m) => m.Body), [JSON.stringify({ order: { status: "placed" } })]);
  });

  it("delivers per-protocol messages with MessageStructure json", async () => {
    const arn = await topic("f-structure");
    const q = await queue("f-structure-q");
    await subscribeQueue(arn, q.arn, { RawMessageDelivery: "true" });
    await sns.send(new PublishCommand({ TopicArn: arn, MessageStructure: "json", Message: JSON.stringify({ default: "d", sqs: "for sqs" }) }));
    assert.equal((await receive(q.url))[0].Body, "for sqs");
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: arn, MessageStructure: "json", Message: JSON.stringify({ sqs: "x" }) })), {
      code: "InvalidParameter", message: "Invalid parameter: Message Structure - No default entry in JSON message body",
    });
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: arn, MessageStructure: "json", Message: "{" })), {
      code: "InvalidParameter", message: "Invalid parameter: Message Structure - JSON message body failed to parse",
    });
  });

  it("checks sizes and attributes", async () => {
    const arn = await topic("f-limits");
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "x".repeat(262_144) }));
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: arn, Message: "x".repeat(262_145) })), { code: "InvalidParameter", message: "Invalid parameter: Message too long" });
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: arn, Message: "x", MessageAttributes: { n: { DataType: "Number", StringValue: "abc" } } })), {
      code: "ParameterValueInvalid", message: "Could not cast message attribute 'n' value to number.",
    });
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: arn, Message: "x", MessageAttributes: { n: { DataType: "Float", StringValue: "1" } } })), {
      code: "ParameterValueInvalid", message: "The message attribute 'n' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    });
  });

  it("FIFO topic to FIFO queue keeps the group, deduplicates and numbers the messages", async () => {
    const arn = await topic("f-fifo.fifo", { FifoTopic: "true" });
    const q = await queue("f-fifo-q.fifo", { FifoQueue: "true" });
    await subscribeQueue(arn, q.arn, { RawMessageDelivery: "true" });
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: arn, Message: "x" })), { code: "InvalidParameter", message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics" });
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: arn, Message: "x", MessageGroupId: "g" })), {
      code: "InvalidParameter", message: "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    });
    const a = await sns.send(new PublishCommand({ TopicArn: arn, Message: "one", MessageGroupId: "g", MessageDeduplicationId: "d1" }));
    const dup = await sns.send(new PublishCommand({ TopicArn: arn, Message: "one again", MessageGroupId: "g", MessageDeduplicationId: "d1" }));
    const b = await sns.send(new PublishCommand({ TopicArn: arn, Message: "two", MessageGroupId: "g", MessageDeduplicationId: "d2" }));
    assert.equal(dup.MessageId, a.MessageId);
    assert.match(a.SequenceNumber!, /^\d{20}$/);
    assert.ok(BigInt(b.SequenceNumber!) > BigInt(a.SequenceNumber!));
    const got = await receive(q.url);
    assert.deepEqual(got.map((m) => m.Body), ["one", "two"]);
    assert.equal(got[0].Attributes!.MessageGroupId, "g");
    assert.equal(got[0].Attributes!.MessageDeduplicationId, "d1");
  });

  it("pairs FIFO topics and queues as AWS allows, and checks FifoThroughputScope", async () => {
    const standard = await topic("f-pair");
    const fifo = await topic("f-pair.fifo", { FifoTopic: "true", ContentBasedDeduplication: "true" });
    const fifoQueue = await queue("f-pair-q.fifo", { FifoQueue: "true" });
    const standardQueue = await queue("f-pair-q");
    await assertAwsError(subscribeQueue(standard, fifoQueue.arn), {
      code: "InvalidParameter", message: "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
    });
    await assertAwsError(sns.send(new SubscribeCommand({ TopicArn: fifo, Protocol: "email", Endpoint: "a@example.com" })), {
      code: "InvalidParameter", message: "Invalid parameter: Invalid protocol type: email",
    });
    // A FIFO topic delivers to standard queues too.
    await subscribeQueue(fifo, standardQueue.arn, { RawMessageDelivery: "true" });
    const { SequenceNumber } = await sns.send(new PublishCommand({ TopicArn: fifo, Message: "to standard", MessageGroupId: "g" }));
    assert.match(SequenceNumber!, /^1\d{19}$/);
    assert.equal((await receive(standardQueue.url))[0].Body, "to standard");
    // Deduplication across the topic, then (FifoThroughputScope MessageGroup) within each group.
    const first = await sns.send(new PublishCommand({ TopicArn: fifo, Message: "d", MessageGroupId: "g1", MessageDeduplicationId: "same" }));
    assert.equal((await sns.send(new PublishCommand({ TopicArn: fifo, Message: "d", MessageGroupId: "g2", MessageDeduplicationId: "same" }))).MessageId, first.MessageId);
    await sns.send(new SetTopicAttributesCommand({ TopicArn: fifo, AttributeName: "FifoThroughputScope", AttributeValue: "MessageGroup" }));
    assert.notEqual((await sns.send(new PublishCommand({ TopicArn: fifo, Message: "d", MessageGroupId: "g3", MessageDeduplicationId: "same" }))).MessageId, first.MessageId);
    await assertAwsError(sns.send(new SetTopicAttributesCommand({ TopicArn: fifo, AttributeName: "FifoThroughputScope", AttributeValue: "Queue" })), {
      code: "InvalidParameter", message: /FifoThroughputScope/,
    });
    await assertAwsError(sns.send(new SetTopicAttributesCommand({ TopicArn: standard, AttributeName: "FifoThroughputScope", AttributeValue: "Topic" })), {
      code: "InvalidParameter", message: /FifoThroughputScope/,
    });
  });

  it("a standard topic forwards MessageGroupId to standard queues (fair queues), checked as for FIFO", async () => {
    const arn = await topic("f-fair");
    const q = await queue("f-fair-q");
    await subscribeQueue(arn, q.arn);
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "tenant", MessageGroupId: "tenant-1" }));
    const [m] = await receive(q.url);
    assert.equal(m.Attributes!.MessageGroupId, "tenant-1");
    await assertAwsError(sns.send(new PublishCommand({ TopicArn: arn, Message: "x", MessageGroupId: "x".repeat(129) })), {
      code: "InvalidParameter", message: /^Invalid parameter: MessageGroupId/,
    });
  });

  it("PublishBatch answers per entry and AWS's batch errors; an invalid entry fails the whole batch", async () => {
    const arn = await topic("f-batch");
    const q = await queue("f-batch-q");
    await subscribeQueue(arn, q.arn, { RawMessageDelivery: "true" });
    const res = await sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [{ Id: "a", Message: "1" }, { Id: "c", Message: "3" }] }));
    assert.deepEqual(res.Successful!.map((s) => s.Id), ["a", "c"]);
    assert.deepEqual(res.Failed, []);
    assert.deepEqual((await receive(q.url)).map((m) => m.Body).sort(), ["1", "3"]);
    // AWS refuses the request for one bad entry, and publishes none of the others.
    await assertAwsError(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [{ Id: "a", Message: "1" }, { Id: "b", Message: "" }] })), {
      code: "InvalidParameter", status: 400, message: "Invalid parameter: Empty message",
    });
    await assertAwsError(sns.send(new PublishBatchCommand({
      TopicArn: arn, PublishBatchRequestEntries: [{ Id: "ok", Message: "fine" }, { Id: "bad", Message: "x", MessageAttributes: { attr1: { DataType: "String", BinaryValue: new Uint8Array([1]) } } }],
    })), { code: "ParameterValueInvalid", message: "The message attribute 'attr1' with type 'String' must use field 'String'." });
    await assertAwsError(sns.send(new PublishBatchCommand({
      TopicArn: arn, PublishBatchRequestEntries: [{ Id: "j", Message: JSON.stringify({ sqs: "only sqs" }), MessageStructure: "json" }],
    })), { code: "InvalidParameter", message: "Invalid parameter: Message Structure - No default entry in JSON message body" });
    const fifo = await topic("f-batch.fifo", { FifoTopic: "true" });
    await assertAwsError(sns.send(new PublishBatchCommand({ TopicArn: fifo, PublishBatchRequestEntries: [{ Id: "1", Message: "no group" }] })), {
      code: "InvalidParameter", message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
    });
    await assertAwsError(sns.send(new PublishBatchCommand({ TopicArn: fifo, PublishBatchRequestEntries: [{ Id: "1", Message: "no dedup", MessageGroupId: "g" }] })), {
      code: "InvalidParameter", message: "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    });
    assert.deepEqual(await receive(q.url), []);
    await assertAwsError(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [] })), { code: "EmptyBatchRequest" });
    await assertAwsError(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [{ Id: "a", Message: "1" }, { Id: "a", Message: "2" }] })), {
      code: "BatchEntryIdsNotDistinct", message: "Two or more batch entries in the request have the same Id.",
    });
    await assertAwsError(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: "m" })) })), {
      code: "TooManyEntriesInBatchRequest", message: "The batch request contains more entries than permissible.",
    });
  });

  it("sends failed deliveries to the subscription's dead-letter queue", async () => {
    const arn = await topic("f-dlq");
    const dlq = await queue("f-dlq-dlq");
    await subscribeQueue(arn, "arn:aws:sqs:us-east-1:000000000000:f-dlq-missing", { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "lost" }));
    const [m] = await receive(dlq.url);
    assert.equal(JSON.parse(m.Body!).Message, "lost");
  });
});

describe("SNS with boto3 and the AWS CLI (query protocol)", () => {
  it("boto3 creates, subscribes, publishes and sees AWS's errors", async () => {
    const q = await queue("py-q");
    const out = await python(server.endpoint, [
      "sns = client('sns')",
      "arn = sns.create_topic(Name='py-topic', Tags=[{'Key': 'k', 'Value': 'v'}])['TopicArn']",
      `sub = sns.subscribe(TopicArn=arn, Protocol='sqs', Endpoint=${JSON.stringify(q.arn)}, Attributes={'RawMessageDelivery': 'true'}, ReturnSubscriptionArn=True)['SubscriptionArn']`,
      "mid = sns.publish(TopicArn=arn, Message='from python', MessageAttributes={'a': {'DataType': 'String', 'StringValue': 'b'}})['MessageId']",
      "subs = sns.list_subscriptions()['Subscriptions']",
      "try:\n    sns.get_topic_attributes(TopicArn=arn + 'x')\n    err = None\nexcept botocore.exceptions.ClientError as e:\n    err = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]",
      "print(json.dumps({'arn': arn, 'sub': sub, 'mid': mid, 'subs': [s['SubscriptionArn'] for s in subs], 'err': err}))",
    ].join("\n"));
    assert.equal(out.arn, "arn:aws:sns:us-east-1:000000000000:py-topic");
    assert.ok(out.subs.includes(out.sub));
    assert.deepEqual(out.err, ["NotFound", "Topic does not exist", 404]);
    const [m] = await receive(q.url);
    assert.equal(m.Body, "from python");
    assert.equal(m.MessageAttributes!.a.StringValue, "b");
  });

  it("the AWS CLI lists topics and publishes", async () => {
    const arn = await topic("cli-topic");
    const listed = await awsCli(server.endpoint, ["sns", "list-topics"]);
    assert.ok(listed.Topics.some((t: { TopicArn: string }) => t.TopicArn === arn));
    const published = await awsCli(server.endpoint, ["sns", "publish", "--topic-arn", arn, "--message", "hi"]);
    assert.match(published.MessageId, /^[0-9a-f-]{36}$/);
  });
});

describe("SNS links followed by recipients", () => {
  it("serves the signing key at SigningCertURL, and the signature verifies with it", async () => {
    const arn = await topic("t-signed");
    const q = await queue("q-signed");
    await subscribeQueue(arn, q.arn);
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "signed body", Subject: "s" }));
    const [m] = await receive(q.url);
    const envelope = JSON.parse(m.Body!) as Record<string, string>;
    const res = await fetch(envelope.SigningCertURL);
    assert.equal(res.status, 200);
    const pem = await res.text();
    assert.match(pem, /^-----BEGIN CERTIFICATE-----/);
    const verified = createVerify("RSA-SHA1").update(canonicalString(envelope, NOTIFICATION_FIELDS)).verify(pem, envelope.Signature, "base64");
    assert.equal(verified, true);
  });

  it("confirms an email subscription through the SubscribeURL in the outbox, and unsubscribes through UnsubscribeURL", async () => {
    const arn = await topic("t-mail");
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "email", Endpoint: "someone@example.com" }));
    assert.equal(SubscriptionArn, "pending confirmation");
    const outbox = (await (await fetch(`${server.endpoint}/_terrarium/sns/outbox?account=000000000000&region=us-east-1`)).json()) as { messages: { endpoint: string; message: string }[] };
    const mail = outbox.messages.find((m) => m.endpoint === "someone@example.com")!;
    const subscribeUrl = /http:\/\/\S+/.exec(mail.message)![0];
    const confirmed = await fetch(subscribeUrl);
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /<ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:us-east-1:000000000000:t-mail:/);

    const q = await queue("q-unsub");
    await subscribeQueue(arn, q.arn);
    await sns.send(new PublishCommand({ TopicArn: arn, Message: "bye" }));
    const [m] = await receive(q.url);
    const envelope = JSON.parse(m.Body!) as Record<string, string>;
    assert.equal((await fetch(envelope.UnsubscribeURL)).status, 200);
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    assert.deepEqual(subs.Subscriptions!.map((s) => s.Protocol), ["email"]);
  });
});
