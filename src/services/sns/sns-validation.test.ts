import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateTopicCommand, GetDataProtectionPolicyCommand, PublishCommand, PutDataProtectionPolicyCommand, SetSubscriptionAttributesCommand,
  SNSClient, SubscribeCommand,
} from "@aws-sdk/client-sns";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

// What SNS refuses, through the real clients: message attribute names and fields,
// filter policies over 256 KB, phone numbers for a direct SMS, data protection policies
// that are not JSON, a standard dead-letter queue for a FIFO subscription, and the
// ReplayPolicy Terrarium cannot honour. Messages as AWS words them where it is known
// (LocalStack's AWS-validated test_empty_or_wrong_message_attributes and publish tests).

const server = await useTestServer();
const sns = server.client(SNSClient);

describe("SNS message attributes", () => {
  it("refuses names AWS refuses, naming the first fault", async () => {
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "attr-names" }))).TopicArn!;
    const publish = (name: string) => sns.send(new PublishCommand({ TopicArn, Message: "m", MessageAttributes: { [name]: { DataType: "String", StringValue: "v" } } }));
    const cases: [string, string][] = [
      ["a".repeat(257), "Length of message attribute name must be less than 256 bytes."],
      ["a^*?", "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."],
      [".abc", "Invalid message attribute name starting with character '.' was found."],
      ["abc.", "Invalid message attribute name ending with character '.' was found."],
      ["a..bc", "Message attribute name can not have successive '.' character."],
    ];
    for (const [name, message] of cases) await assertAwsError(publish(name), { code: "ParameterValueInvalid", status: 400, message });
    // Names AWS takes: letters, digits, hyphens, underscores, single dots inside.
    await publish("Order.Line_item-2");
  });

  it("refuses a value in the other type's field (boto3, query protocol)", async () => {
    const out = await python(server.endpoint, `
sns = client('sns')
arn = sns.create_topic(Name='attr-fields')['TopicArn']
cases = {
    'str_attr_binary_value': {'attr1': {'DataType': 'String', 'BinaryValue': b'123'}},
    'int_attr_binary_value': {'attr1': {'DataType': 'Number', 'BinaryValue': b'123'}},
    'binary_attr_string_value': {'attr1': {'DataType': 'Binary', 'StringValue': '123'}},
}
out = {}
for name, attrs in cases.items():
    try:
        sns.publish(TopicArn=arn, Message='m', MessageAttributes=attrs)
        out[name] = 'published'
    except botocore.exceptions.ClientError as e:
        out[name] = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps(out))
`);
    assert.deepEqual(out, {
      str_attr_binary_value: ["ParameterValueInvalid", "The message attribute 'attr1' with type 'String' must use field 'String'."],
      int_attr_binary_value: ["ParameterValueInvalid", "The message attribute 'attr1' with type 'Number' must use field 'String'."],
      binary_attr_string_value: ["ParameterValueInvalid", "The message attribute 'attr1' with type 'Binary' must use field 'Binary'."],
    });
  });
});

describe("SNS filter policy size", () => {
  it("refuses a filter policy over 256 KB, in Subscribe and SetSubscriptionAttributes", async () => {
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "policy-size" }))).TopicArn!;
    const Endpoint = "arn:aws:sqs:us-east-1:000000000000:policy-size";
    const FilterPolicy = JSON.stringify({ kind: ["x".repeat(256 * 1024)] });
    await assertAwsError(sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint, Attributes: { FilterPolicy } })), {
      code: "InvalidParameter", status: 400, message: "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too long",
    });
    const SubscriptionArn = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    await assertAwsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "FilterPolicy", AttributeValue: FilterPolicy })), {
      code: "InvalidParameter", message: "Invalid parameter: FilterPolicy: Filter policy is too long",
    });
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "FilterPolicy", AttributeValue: JSON.stringify({ kind: ["x".repeat(1000)] }) }));
  });
});

describe("SNS direct SMS", () => {
  it("refuses a phone number that is not E.164", async () => {
    await assertAwsError(sns.send(new PublishCommand({ PhoneNumber: "not-a-number", Message: "hi" })), {
      code: "InvalidParameter", status: 400, message: "Invalid parameter: PhoneNumber Reason: not-a-number is not valid to publish to",
    });
    assert.ok((await sns.send(new PublishCommand({ PhoneNumber: "+15555550123", Message: "hi" }))).MessageId);
  });
});

describe("SNS data protection policy", () => {
  it("takes JSON only, in PutDataProtectionPolicy and CreateTopic", async () => {
    const ResourceArn = (await sns.send(new CreateTopicCommand({ Name: "dpp-checks" }))).TopicArn!;
    await assertAwsError(sns.send(new PutDataProtectionPolicyCommand({ ResourceArn, DataProtectionPolicy: "not json" })), {
      code: "InvalidParameter", status: 400, message: "Invalid parameter: DataProtectionPolicy Reason: failed to parse JSON.",
    });
    await assertAwsError(sns.send(new PutDataProtectionPolicyCommand({ ResourceArn, DataProtectionPolicy: JSON.stringify({ Description: "x".repeat(30_720) }) })), {
      code: "InvalidParameter", message: /^Invalid parameter: DataProtectionPolicy Reason: must be at most 30720 characters long$/,
    });
    await assertAwsError(sns.send(new CreateTopicCommand({ Name: "dpp-create", DataProtectionPolicy: "[1" })), {
      code: "InvalidParameter", message: "Invalid parameter: DataProtectionPolicy Reason: failed to parse JSON.",
    });
    assert.equal((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn }))).DataProtectionPolicy, undefined);
  });
});

describe("SNS subscription dead-letter queue", () => {
  it("must be a FIFO queue for a FIFO queue subscribed to a FIFO topic", async () => {
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "dlq-kind.fifo", Attributes: { FifoTopic: "true" } }))).TopicArn!;
    const standardDlq = JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:dlq-kind-standard" });
    await assertAwsError(sns.send(new SubscribeCommand({
      TopicArn, Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:000000000000:dlq-kind.fifo", Attributes: { RedrivePolicy: standardDlq },
    })), { code: "InvalidParameter", status: 400, message: "Invalid parameter: Attributes Reason: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic." });
    const out = await python(server.endpoint, `
sns = client('sns')
sub = sns.subscribe(TopicArn=${JSON.stringify(TopicArn)}, Protocol='sqs', Endpoint='arn:aws:sqs:us-east-1:000000000000:dlq-kind.fifo', ReturnSubscriptionArn=True)['SubscriptionArn']
try:
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName='RedrivePolicy', AttributeValue=${JSON.stringify(standardDlq)})
    refused = None
except botocore.exceptions.ClientError as e:
    refused = e.response['Error']['Message']
sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName='RedrivePolicy', AttributeValue=json.dumps({'deadLetterTargetArn': 'arn:aws:sqs:us-east-1:000000000000:dlq-kind-dlq.fifo'}))
# A standard queue subscribed to the FIFO topic may keep a standard dead-letter queue.
std = sns.subscribe(TopicArn=${JSON.stringify(TopicArn)}, Protocol='sqs', Endpoint='arn:aws:sqs:us-east-1:000000000000:dlq-kind-std', ReturnSubscriptionArn=True)['SubscriptionArn']
sns.set_subscription_attributes(SubscriptionArn=std, AttributeName='RedrivePolicy', AttributeValue=${JSON.stringify(standardDlq)})
print(json.dumps(refused))
`);
    assert.equal(out, "Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
  });
});

describe("SNS message replay", () => {
  it("says that it cannot replay, rather than accept a ReplayPolicy it would not honour", async () => {
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "replay.fifo", Attributes: { FifoTopic: "true" } }))).TopicArn!;
    const Endpoint = "arn:aws:sqs:us-east-1:000000000000:replay-q.fifo";
    const ReplayPolicy = JSON.stringify({ PointType: "Timestamp", StartingPoint: "2026-01-01T00:00:00.000Z" });
    await assertAwsError(sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint, Attributes: { ReplayPolicy } })), {
      code: "InvalidParameter", status: 400, message: "Invalid parameter: Attributes Reason: ReplayPolicy: message archiving and replay are not supported by Terrarium",
    });
    const SubscriptionArn = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint }))).SubscriptionArn!;
    await assertAwsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "ReplayPolicy", AttributeValue: ReplayPolicy })), {
      code: "InvalidParameter", message: "Invalid parameter: ReplayPolicy: message archiving and replay are not supported by Terrarium",
    });
  });
});
