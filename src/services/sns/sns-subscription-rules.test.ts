import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  CreateTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand,
  SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand,
} from "@aws-sdk/client-sns";
import { assertAwsError, clientConfig, python, startTestServer, useTestServer } from "../../../test/helpers.js";
import { httpEndpoint } from "../../../test/http-endpoint.js";

// Subscription rules through the real clients: subscribing a pending endpoint again,
// unconfirmed subscriptions deleted after 48 hours, the filter policy quota, and the
// HTTP/S throttle policy (maxReceivesPerSecond) pacing deliveries.

const server = await useTestServer();
const sns = server.client(SNSClient);

interface Received {
  type: string;
  contentType: string;
  body: any;
  at: number;
}

/** A local HTTP endpoint that records each POST, its JSON body parsed, and answers 200. */
async function endpoint() {
  const hook = await httpEndpoint();
  return {
    url: hook.url,
    async next(timeoutMs?: number): Promise<Received> {
      const r = await hook.next(timeoutMs);
      return { type: String(r.headers["x-amz-sns-message-type"]), contentType: String(r.headers["content-type"]), body: JSON.parse(r.body), at: r.at };
    },
  };
}

async function outbox(): Promise<{ endpoint: string; subject?: string; message: string }[]> {
  const res = await fetch(`${server.endpoint}/_terrarium/sns/outbox?account=000000000000&region=us-east-1`);
  return ((await res.json()) as { messages: { endpoint: string; subject?: string; message: string }[] }).messages;
}

async function confirm(subscribeUrl: string): Promise<string> {
  return /<SubscriptionArn>(.*?)<\/SubscriptionArn>/.exec(await (await fetch(subscribeUrl)).text())![1];
}

describe("SNS Subscribe for an endpoint pending confirmation", () => {
  it("answers 'pending confirmation' again and sends the SubscriptionConfirmation again, whose link confirms the one subscription", async () => {
    const hook = await endpoint();
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "resubscribe-http" }))).TopicArn!;
    const first = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url }));
    assert.equal(first.SubscriptionArn, "pending confirmation");
    const c1 = await hook.next();
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url }));
    assert.equal(again.SubscriptionArn, "pending confirmation");
    const c2 = await hook.next();
    assert.equal(c2.type, "SubscriptionConfirmation");
    assert.notEqual(c2.body.MessageId, c1.body.MessageId);
    // With ReturnSubscriptionArn, the same subscription's ARN, and a third confirmation.
    const arn = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    await hook.next();
    const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
    assert.deepEqual(listed.map((s) => s.SubscriptionArn), ["PendingConfirmation"]);
    assert.equal(await confirm(c2.body.SubscribeURL), arn);
    // The earlier message's link names the same subscription, now confirmed.
    assert.equal(await confirm(c1.body.SubscribeURL), arn);
    // Once confirmed, subscribing again answers the ARN and sends nothing.
    assert.equal((await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url }))).SubscriptionArn, arn);
    await sns.send(new PublishCommand({ TopicArn, Message: "after confirming" }));
    const n = await hook.next();
    assert.equal(n.type, "Notification");
    assert.equal(n.body.Message, "after confirming");
  });

  it("sends an email endpoint's confirmation again (boto3, query protocol)", async () => {
    const out = await python(server.endpoint, `
sns = client('sns')
arn = sns.create_topic(Name='resubscribe-email')['TopicArn']
a = sns.subscribe(TopicArn=arn, Protocol='email', Endpoint='again@example.com')['SubscriptionArn']
b = sns.subscribe(TopicArn=arn, Protocol='email', Endpoint='again@example.com')['SubscriptionArn']
subs = sns.list_subscriptions_by_topic(TopicArn=arn)['Subscriptions']
print(json.dumps([a, b, len(subs)]))
`);
    assert.deepEqual(out, ["pending confirmation", "pending confirmation", 1]);
    const sent = (await outbox()).filter((m) => m.endpoint === "again@example.com");
    assert.deepEqual(sent.map((m) => m.subject), ["AWS Notification - Subscription Confirmation", "AWS Notification - Subscription Confirmation"]);
  });
});

describe("SNS unconfirmed subscriptions", () => {
  it("deletes a subscription left pending for 48 hours; a confirmed one stays", async () => {
    const stale = await endpoint();
    const kept = await endpoint();
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "unconfirmed-48h" }))).TopicArn!;
    const staleArn = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: stale.url, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: kept.url }));
    const staleConfirmation = (await stale.next()).body;
    const keptArn = await confirm((await kept.next()).body.SubscribeURL);
    await server.advanceClock(47 * 3600);
    const pending = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(pending.Attributes!.SubscriptionsPending, "1");
    await server.advanceClock(3600);
    const attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    assert.equal(attributes.SubscriptionsPending, "0");
    assert.equal(attributes.SubscriptionsConfirmed, "1");
    const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
    assert.deepEqual(listed.map((s) => s.SubscriptionArn), [keptArn]);
    await assertAwsError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: staleArn })), { code: "NotFound", status: 404 });
    // Its confirmation link no longer confirms anything.
    const late = await fetch(staleConfirmation.SubscribeURL);
    assert.equal(late.status, 400);
    assert.match(await late.text(), /<Code>InvalidParameter<\/Code>/);
  });

  it("still deletes it after a restart (--data-dir)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "terrarium-sns-unconfirmed-"));
    try {
      const first = await startTestServer({ dataDir });
      const a = new SNSClient(clientConfig(first.endpoint));
      const TopicArn = (await a.send(new CreateTopicCommand({ Name: "unconfirmed-restart" }))).TopicArn!;
      await a.send(new SubscribeCommand({ TopicArn, Protocol: "email", Endpoint: "later@example.com" }));
      a.destroy();
      await first.stop();
      const second = await startTestServer({ dataDir });
      const b = new SNSClient(clientConfig(second.endpoint));
      try {
        assert.equal((await b.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!.length, 1);
        const advanced = await fetch(`${second.endpoint}/_terrarium/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: 48 * 3600 }) });
        assert.equal(advanced.status, 200);
        assert.deepEqual((await b.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions, []);
      } finally {
        b.destroy();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("SNS filter policy quota", () => {
  it("allows 200 filter policies per topic, then answers FilterPolicyLimitExceeded for one more (the subscription without one is still made)", async () => {
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "filter-quota" }))).TopicArn!;
    const queueArn = (i: number) => `arn:aws:sqs:us-east-1:000000000000:filter-quota-${i}`;
    const FilterPolicy = JSON.stringify({ kind: ["a"] });
    for (let i = 0; i < 200; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) =>
        sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queueArn(i + j), Attributes: { FilterPolicy } }))));
    }
    await assertAwsError(sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queueArn(200), Attributes: { FilterPolicy } })), {
      code: "FilterPolicyLimitExceeded", status: 403, message: "Filter policy limit exceeded: the topic already has 200 filter policies",
    });
    const plain = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: queueArn(200) }))).SubscriptionArn!;
    await assertAwsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: plain, AttributeName: "FilterPolicy", AttributeValue: FilterPolicy })), {
      code: "FilterPolicyLimitExceeded", status: 403,
    });
    // Replacing a policy a subscription already holds fits; removing one makes room.
    const [holder] = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!.filter((s) => s.Endpoint !== queueArn(200));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: holder.SubscriptionArn, AttributeName: "FilterPolicy", AttributeValue: JSON.stringify({ kind: ["b"] }) }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: holder.SubscriptionArn, AttributeName: "FilterPolicy", AttributeValue: "" }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: plain, AttributeName: "FilterPolicy", AttributeValue: FilterPolicy }));
    // boto3 (query) reads the code into its modelled exception.
    const out = await python(server.endpoint, `
sns = client('sns')
try:
    sns.subscribe(TopicArn=${JSON.stringify(TopicArn)}, Protocol='sqs', Endpoint='arn:aws:sqs:us-east-1:000000000000:filter-quota-py', Attributes={'FilterPolicy': '{"kind": ["a"]}'})
    print(json.dumps('subscribed'))
except sns.exceptions.FilterPolicyLimitExceededException as e:
    print(json.dumps([e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]))
`);
    assert.deepEqual(out, ["FilterPolicyLimitExceeded", 403]);
  });
});

describe("SNS HTTP/S throttle policy", () => {
  it("refuses a maxReceivesPerSecond below 1 or not a whole number, in either policy", async () => {
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "throttle-checks" }))).TopicArn!;
    const setTopic = (rate: unknown) => sns.send(new SetTopicAttributesCommand({
      TopicArn, AttributeName: "DeliveryPolicy", AttributeValue: JSON.stringify({ http: { defaultThrottlePolicy: { maxReceivesPerSecond: rate } } }),
    }));
    await assertAwsError(setTopic(0), {
      code: "InvalidParameter", status: 400,
      message: "Invalid parameter: DeliveryPolicy: http.defaultThrottlePolicy: maxReceivesPerSecond must be an integer greater than or equal to 1",
    });
    await assertAwsError(setTopic(2.5), { code: "InvalidParameter", message: /maxReceivesPerSecond/ });
    await setTopic(5);
    const hook = await endpoint();
    const SubscriptionArn = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url, ReturnSubscriptionArn: true }))).SubscriptionArn!;
    await assertAwsError(sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn, AttributeName: "DeliveryPolicy", AttributeValue: JSON.stringify({ throttlePolicy: { maxReceivesPerSecond: "fast" } }),
    })), { code: "InvalidParameter", message: "Invalid parameter: DeliveryPolicy: throttlePolicy: maxReceivesPerSecond must be an integer greater than or equal to 1" });
  });

  it("applies the topic's policy over the subscription's when the topic disables subscription overrides", async () => {
    const hook = await endpoint();
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "no-overrides" }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url }));
    const arn = await confirm((await hook.next()).body.SubscribeURL);
    await sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn: arn, AttributeName: "DeliveryPolicy", AttributeValue: JSON.stringify({ requestPolicy: { headerContentType: "text/xml" } }),
    }));
    await sns.send(new PublishCommand({ TopicArn, Message: "own policy" }));
    assert.equal((await hook.next()).contentType, "text/xml");
    await sns.send(new SetTopicAttributesCommand({
      TopicArn, AttributeName: "DeliveryPolicy",
      AttributeValue: JSON.stringify({ http: { disableSubscriptionOverrides: true, defaultRequestPolicy: { headerContentType: "application/json" } } }),
    }));
    await sns.send(new PublishCommand({ TopicArn, Message: "topic's policy" }));
    assert.equal((await hook.next()).contentType, "application/json");
  });

  it("paces deliveries to maxReceivesPerSecond, on Terrarium's clock", async () => {
    const hook = await endpoint();
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: "throttled" }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: hook.url }));
    const arn = await confirm((await hook.next()).body.SubscribeURL);
    await sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn: arn, AttributeName: "DeliveryPolicy", AttributeValue: JSON.stringify({ throttlePolicy: { maxReceivesPerSecond: 2 } }),
    }));
    // Three at 2 per second: the third cannot leave before a second has passed.
    const start = Date.now();
    for (const Message of ["one", "two", "three"]) await sns.send(new PublishCommand({ TopicArn, Message }));
    const got = [await hook.next(), await hook.next(), await hook.next()];
    assert.deepEqual(got.map((r) => r.body.Message), ["one", "two", "three"]);
    assert.ok(got[2].at - start >= 900, `third delivered after ${got[2].at - start} ms`);

    // At 1 per second a backlog waits for the clock: advancing it lets the next one go.
    await sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn: arn, AttributeName: "DeliveryPolicy", AttributeValue: JSON.stringify({ throttlePolicy: { maxReceivesPerSecond: 1 } }),
    }));
    await server.advanceClock(5);
    for (const Message of ["four", "five"]) await sns.send(new PublishCommand({ TopicArn, Message }));
    assert.equal((await hook.next()).body.Message, "four");
    await server.advanceClock(1);
    assert.equal((await hook.next(500)).body.Message, "five");
  });
});
