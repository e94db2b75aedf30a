import assert from "node:assert/strict";
import { createVerify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  AddPermissionCommand, CreateTopicCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand,
  RemovePermissionCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand, UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, clientConfig, python, startTestServer, useTestServer } from "../../../test/helpers.js";
import { httpEndpoint } from "../../../test/http-endpoint.js";
import { canonicalString, CONFIRMATION_FIELDS, NOTIFICATION_FIELDS } from "./signing.js";

// HTTP/HTTPS subscriptions against a real node:http endpoint: the SubscriptionConfirmation
// POST, confirming through its SubscribeURL, Notification POSTs with AWS's x-amz-sns-*
// headers, and retries per the delivery policy on Terrarium's clock ("Amazon SNS
// message delivery retries"). Also Add/RemovePermission and the outbox across a restart.

const server = await useTestServer();
const sns = server.client(SNSClient);
const sqs = server.client(SQSClient);

/** A local HTTP endpoint that records each POST and answers the status it is told. */
const endpoint = httpEndpoint;

async function verify(message: Record<string, string>, fields: readonly string[]): Promise<boolean> {
  const pem = await (await fetch(message.SigningCertURL)).text();
  const verifier = createVerify("RSA-SHA1");
  verifier.update(canonicalString(message, fields));
  return verifier.verify(pem, message.Signature, "base64");
}

describe("SNS http endpoints", () => {
  it("confirms through the SubscribeURL, then POSTs notifications with AWS's headers, retrying on 500 on the clock", async () => {
    const hook = await endpoint();
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "http-topic" }))).TopicArn!;
    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url }));
    assert.equal(sub.SubscriptionArn, "pending confirmation");

    const confirmation = await hook.next();
    assert.equal(confirmation.headers["x-amz-sns-message-type"], "SubscriptionConfirmation");
    assert.equal(confirmation.headers["x-amz-sns-topic-arn"], TopicArn);
    assert.equal(confirmation.headers["content-type"], "text/plain; charset=UTF-8");
    assert.equal(confirmation.headers["user-agent"], "Amazon Simple Notification Service Agent");
    const c = JSON.parse(confirmation.body);
    assert.equal(c.Type, "SubscriptionConfirmation");
    assert.equal(c.TopicArn, TopicArn);
    assert.equal(confirmation.headers["x-amz-sns-message-id"], c.MessageId);
    assert.ok(await verify(c, CONFIRMATION_FIELDS));

    // Visiting the SubscribeURL (unsigned, as a browser or the endpoint's code would) confirms.
    const visit = await fetch(c.SubscribeURL);
    assert.equal(visit.status, 200);
    const confirmed = /<SubscriptionArn>(.*?)<\/SubscriptionArn>/.exec(await visit.text())![1];
    assert.ok(confirmed.startsWith(`${TopicArn}:`));
    const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
    assert.equal(listed[0].SubscriptionArn, confirmed);

    // Two retries 5 s apart; the first attempt fails with 500.
    await sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn: confirmed, AttributeName: "DeliveryPolicy",
      AttributeValue: JSON.stringify({ healthyRetryPolicy: { numRetries: 2, minDelayTarget: 5, maxDelayTarget: 5 } }),
    }));
    hook.answer(500);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: "hello http", Subject: "hi" }));
    const first = await hook.next();
    assert.equal(first.headers["x-amz-sns-message-type"], "Notification");
    assert.equal(first.headers["x-amz-sns-message-id"], MessageId);
    assert.equal(first.headers["x-amz-sns-subscription-arn"], confirmed);
    assert.equal(first.headers["x-amz-sns-topic-arn"], TopicArn);
    // Not retried before its time on Terrarium's clock.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(hook.pending(), 0);
    await server.advanceClock(5);
    const second = await hook.next();
    assert.equal(second.body, first.body);
    const n = JSON.parse(second.body);
    assert.equal(n.Type, "Notification");
    assert.equal(n.MessageId, MessageId);
    assert.equal(n.Message, "hello http");
    assert.equal(n.Subject, "hi");
    assert.equal(n.UnsubscribeURL.includes(encodeURIComponent(confirmed)), true);
    assert.ok(await verify(n, NOTIFICATION_FIELDS));
  });

  it("sends a delivery that fails every retry to the subscription's dead-letter queue", async () => {
    const hook = await endpoint();
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "http-dlq-topic" }))).TopicArn!;
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "http-dlq" }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url }));
    const c = JSON.parse((await hook.next()).body);
    const arn = /<SubscriptionArn>(.*?)<\/SubscriptionArn>/.exec(await (await fetch(c.SubscribeURL)).text())![1];
    // Through the topic's default policy this time: one retry after 3 s.
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: "RedrivePolicy", AttributeValue: JSON.stringify({ deadLetterTargetArn: dlqArn }) }));
    const { SetTopicAttributesCommand } = await import("@aws-sdk/client-sns");
    await sns.send(new SetTopicAttributesCommand({
      TopicArn, AttributeName: "DeliveryPolicy",
      AttributeValue: JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 1, minDelayTarget: 3, maxDelayTarget: 3 } } }),
    }));
    hook.answer(500, 503);
    await sns.send(new PublishCommand({ TopicArn, Message: "never lands" }));
    await hook.next();
    await server.advanceClock(3);
    await hook.next();
    let got;
    for (let i = 0; i < 50 && !got?.Messages; i++) {
      got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }));
      if (!got.Messages) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(JSON.parse(got!.Messages![0].Body!).Message, "never lands");
  });
});

describe("SNS http unsubscribe", () => {
  it("POSTs an UnsubscribeConfirmation whose SubscribeURL restores the subscription", async () => {
    const hook = await endpoint();
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "http-unsub" }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url }));
    const c = JSON.parse((await hook.next()).body);
    const arn = /<SubscriptionArn>(.*?)<\/SubscriptionArn>/.exec(await (await fetch(c.SubscribeURL)).text())![1];
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
    const bye = await hook.next();
    assert.equal(bye.headers["x-amz-sns-message-type"], "UnsubscribeConfirmation");
    assert.equal(bye.headers["x-amz-sns-subscription-arn"], arn);
    const u = JSON.parse(bye.body);
    assert.equal(u.Type, "UnsubscribeConfirmation");
    assert.equal(u.Message, `You have chosen to deactivate subscription ${arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`);
    assert.ok(await verify(u, CONFIRMATION_FIELDS));
    assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions, []);
    const restored = /<SubscriptionArn>(.*?)<\/SubscriptionArn>/.exec(await (await fetch(u.SubscribeURL)).text())![1];
    assert.equal(restored, arn);
    await sns.send(new PublishCommand({ TopicArn, Message: "welcome back" }));
    assert.equal(JSON.parse((await hook.next()).body).Message, "welcome back");
  });
});

describe("SNS delivery policies", () => {
  it("refuses retry policies AWS refuses: over 3600 s in total, bad ranges and backoff functions", async () => {
    const { SetTopicAttributesCommand } = await import("@aws-sdk/client-sns");
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "policy-checks" }))).TopicArn!;
    const setTopic = (retry: object) => sns.send(new SetTopicAttributesCommand({
      TopicArn, AttributeName: "DeliveryPolicy", AttributeValue: JSON.stringify({ http: { defaultHealthyRetryPolicy: retry } }),
    }));
    // The message AWS's console shows for this policy (10 retries an hour apart).
    await assertAwsError(setTopic({ numRetries: 10, minDelayTarget: 3599, maxDelayTarget: 3600 }), {
      code: "InvalidParameter", status: 400,
      message: "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds",
    });
    await assertAwsError(setTopic({ numRetries: 101 }), { code: "InvalidParameter", message: /numRetries/ });
    await assertAwsError(setTopic({ minDelayTarget: 30, maxDelayTarget: 10 }), { code: "InvalidParameter", message: /minDelayTarget/ });
    await assertAwsError(setTopic({ backoffFunction: "cubic" }), { code: "InvalidParameter", message: /backoffFunction/ });
    await setTopic({ numRetries: 5, minDelayTarget: 1, maxDelayTarget: 60, backoffFunction: "exponential" });
    await assertAwsError(sns.send(new CreateTopicCommand({
      Name: "policy-checks-2", Attributes: { DeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 100, minDelayTarget: 60, maxDelayTarget: 60 } } }) },
    })), { code: "InvalidParameter", message: "Invalid parameter: Attributes Reason: DeliveryPolicy: http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds" });

    const hook = await endpoint();
    const SubscriptionArn = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    await assertAwsError(sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn, AttributeName: "DeliveryPolicy", AttributeValue: JSON.stringify({ healthyRetryPolicy: { numRetries: 3, numNoDelayRetries: 2, numMaxDelayRetries: 2 } }),
    })), { code: "InvalidParameter", message: /^Invalid parameter: DeliveryPolicy: healthyRetryPolicy: numRetries must be greater/ });
  });
});

describe("SNS signatures", () => {
  it("signs with SHA256withRSA when the topic's SignatureVersion is 2", async () => {
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "sig-v2", Attributes: { SignatureVersion: "2" } }))).TopicArn!;
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "sig-v2-q" }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: arn }));
    await sns.send(new PublishCommand({ TopicArn, Message: "v2" }));
    const n = JSON.parse((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0].Body!);
    assert.equal(n.SignatureVersion, "2");
    const pem = await (await fetch(n.SigningCertURL)).text();
    const verifier = createVerify("RSA-SHA256");
    verifier.update(canonicalString(n, NOTIFICATION_FIELDS));
    assert.ok(verifier.verify(pem, n.Signature, "base64"));
  });
});

describe("SNS signing certificate", () => {
  // The documented way to verify ("Verifying the signatures of Amazon SNS messages"):
  // load the X.509 certificate at SigningCertURL, take its public key, check the
  // signature of the canonical string (SHA1 for SignatureVersion 1, SHA256 for 2).
  it("serves an X.509 certificate that Python's cryptography loads and verifies both signature versions with", async () => {
    const out = await python(server.endpoint, `
import base64, urllib.request
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
sns, sqs = client('sns'), client('sqs')
results = {}
for version in ['1', '2']:
    topic = sns.create_topic(Name='cert-v' + version, Attributes={'SignatureVersion': version})['TopicArn']
    url = sqs.create_queue(QueueName='cert-q' + version)['QueueUrl']
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
    sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn)
    sns.publish(TopicArn=topic, Message='verify me', Subject='s' + version)
    n = json.loads(sqs.receive_message(QueueUrl=url)['Messages'][0]['Body'])
    cert = x509.load_pem_x509_certificate(urllib.request.urlopen(n['SigningCertURL']).read())
    text = ''.join(k + '\\n' + n[k] + '\\n' for k in ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'])
    digest = hashes.SHA1() if n['SignatureVersion'] == '1' else hashes.SHA256()
    cert.public_key().verify(base64.b64decode(n['Signature']), text.encode(), padding.PKCS1v15(), digest)
    results[version] = [n['SignatureVersion'], cert.subject.rfc4514_string()]
print(json.dumps(results))
`);
    assert.deepEqual(out, { 1: ["1", "CN=sns.amazonaws.com,O=Terrarium"], 2: ["2", "CN=sns.amazonaws.com,O=Terrarium"] });
  });
});

describe("SNS AddPermission / RemovePermission", () => {
  it("adds statements to the topic policy and removes them by label", async () => {
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "perm-topic" }))).TopicArn!;
    await sns.send(new AddPermissionCommand({ TopicArn, Label: "pub", AWSAccountId: ["111111111111"], ActionName: ["Publish"] }));
    await sns.send(new AddPermissionCommand({ TopicArn, Label: "two", AWSAccountId: ["111111111111", "222222222222"], ActionName: ["Publish", "Subscribe"] }));
    let policy = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.Policy!);
    assert.deepEqual(policy.Statement.map((s: { Sid: string }) => s.Sid), ["__default_statement_ID", "pub", "two"]);
    assert.deepEqual(policy.Statement[1], { Sid: "pub", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "SNS:Publish", Resource: TopicArn });
    assert.deepEqual(policy.Statement[2].Action, ["SNS:Publish", "SNS:Subscribe"]);
    await assertAwsError(sns.send(new AddPermissionCommand({ TopicArn, Label: "pub", AWSAccountId: ["111111111111"], ActionName: ["Publish"] })), {
      code: "InvalidParameter", message: "Invalid parameter: Statement already exists",
    });
    await assertAwsError(sns.send(new AddPermissionCommand({ TopicArn, Label: "x", AWSAccountId: ["111111111111"], ActionName: ["SendMessage"] })), {
      code: "InvalidParameter", message: "Invalid parameter: Policy statement action out of service scope!",
    });
    await sns.send(new RemovePermissionCommand({ TopicArn, Label: "pub" }));
    policy = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.Policy!);
    assert.deepEqual(policy.Statement.map((s: { Sid: string }) => s.Sid), ["__default_statement_ID", "two"]);
  });

  it("works from boto3 (query)", async () => {
    const out = await python(server.endpoint, `
sns = client('sns')
arn = sns.create_topic(Name='perm-py')['TopicArn']
sns.add_permission(TopicArn=arn, Label='py', AWSAccountId=['111111111111'], ActionName=['Publish'])
policy = json.loads(sns.get_topic_attributes(TopicArn=arn)['Attributes']['Policy'])
sns.remove_permission(TopicArn=arn, Label='py')
after = json.loads(sns.get_topic_attributes(TopicArn=arn)['Attributes']['Policy'])
print(json.dumps({'sids': [s['Sid'] for s in policy['Statement']], 'after': [s['Sid'] for s in after['Statement']]}))
`);
    assert.deepEqual(out, { sids: ["__default_statement_ID", "py"], after: ["__default_statement_ID"] });
  });
});

describe("SNS outbox", () => {
  it("keeps recorded SMS messages across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "terrarium-sns-outbox-"));
    const outbox = async (endpoint: string) =>
      ((await (await fetch(`${endpoint}/_terrarium/sns/outbox?account=000000000000&region=us-east-1`)).json()) as { messages: { endpoint: string; message: string }[] }).messages;
    try {
      const first = await startTestServer({ dataDir });
      const a = new SNSClient(clientConfig(first.endpoint));
      const TopicArn = (await a.send(new CreateTopicCommand({ Name: "sms-topic" }))).TopicArn!;
      await a.send(new SubscribeCommand({ TopicArn, Protocol: "sms", Endpoint: "+15555550100" }));
      await a.send(new PublishCommand({ TopicArn, Message: "via topic" }));
      await a.send(new PublishCommand({ PhoneNumber: "+15555550101", Message: "direct" }));
      assert.deepEqual((await outbox(first.endpoint)).map((m) => [m.endpoint, m.message]), [["+15555550100", "via topic"], ["+15555550101", "direct"]]);
      a.destroy();
      await first.stop();
      const second = await startTestServer({ dataDir });
      assert.deepEqual((await outbox(second.endpoint)).map((m) => [m.endpoint, m.message]), [["+15555550100", "via topic"], ["+15555550101", "direct"]]);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
