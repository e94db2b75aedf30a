import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { useTestServer } from "../../../test/helpers.js";
import { policyAllowsPutEvents } from "./cross-account.js";

// A rule target that is another account's event bus: delivered, and routed by that
// bus's rules, when the bus's policy lets the sending account put events; refused to
// the dead-letter queue, without retries, when it does not.

const server = await useTestServer();
const SOURCE = "000000000000";
const CENTRAL = "111111111111";
const eventsA = server.client(EventBridgeClient);
const sqsA = server.client(SQSClient);
const eventsB = server.client(EventBridgeClient, { account: CENTRAL });
const sqsB = server.client(SQSClient, { account: CENTRAL });

async function queue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  return { url, arn: attrs.Attributes!.QueueArn! };
}

async function receive(sqs: SQSClient, QueueUrl: string) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 43200, MessageAttributeNames: ["All"] }))).Messages ?? [];
}

describe("EventBridge cross-account bus targets", () => {
  it("delivers to another account's bus that allows it, keeping the source account", async () => {
    const central = (await eventsB.send(new CreateEventBusCommand({ Name: "central" }))).EventBusArn!;
    await eventsB.send(new PutPermissionCommand({ EventBusName: "central", Action: "events:PutEvents", Principal: SOURCE, StatementId: "from-a" }));
    const sink = await queue(sqsB, "central-sink");
    await eventsB.send(new PutRuleCommand({ Name: "from-a", EventBusName: "central", EventPattern: JSON.stringify({ account: [SOURCE] }) }));
    await eventsB.send(new PutTargetsCommand({ Rule: "from-a", EventBusName: "central", Targets: [{ Id: "q", Arn: sink.arn }] }));

    await eventsA.send(new PutRuleCommand({ Name: "to-central", EventPattern: '{"source":["app"]}' }));
    await eventsA.send(new PutTargetsCommand({ Rule: "to-central", Targets: [{ Id: "bus", Arn: central }] }));
    await eventsA.send(new PutEventsCommand({ Entries: [{ Source: "app", DetailType: "t", Detail: '{"x":1}' }] }));
    const [m] = await receive(sqsB, sink.url);
    const event = JSON.parse(m.Body!);
    assert.equal(event.account, SOURCE);
    assert.deepEqual([event.source, event.detail], ["app", { x: 1 }]);
  });

  it("refuses a bus whose policy does not allow the sending account, to the DLQ without retrying", async () => {
    const closed = (await eventsB.send(new CreateEventBusCommand({ Name: "closed" }))).EventBusArn!;
    await eventsB.send(new PutPermissionCommand({ EventBusName: "closed", Action: "events:PutEvents", Principal: "222222222222", StatementId: "other" }));
    const dlq = await queue(sqsA, "cross-dlq");
    await eventsA.send(new PutRuleCommand({ Name: "to-closed", EventPattern: '{"source":["closed"]}' }));
    await eventsA.send(new PutTargetsCommand({ Rule: "to-closed", Targets: [{ Id: "bus", Arn: closed, DeadLetterConfig: { Arn: dlq.arn } }] }));
    await eventsA.send(new PutEventsCommand({ Entries: [{ Source: "closed", DetailType: "t", Detail: "{}" }] }));
    const [m] = await receive(sqsA, dlq.url);
    assert.equal(m.MessageAttributes!.ERROR_CODE.StringValue, "NO_PERMISSIONS");
    assert.equal(m.MessageAttributes!.RETRY_ATTEMPTS.StringValue, "0");
    assert.equal(m.MessageAttributes!.TARGET_ARN.StringValue, closed);
  });

  it("does not pass an event another account sent on to a third account", async () => {
    const THIRD = "333333333333";
    const eventsC = server.client(EventBridgeClient, { account: THIRD });
    const sqsC = server.client(SQSClient, { account: THIRD });
    const far = (await eventsC.send(new CreateEventBusCommand({ Name: "far" }))).EventBusArn!;
    await eventsC.send(new PutPermissionCommand({ EventBusName: "far", Action: "events:PutEvents", Principal: "*", StatementId: "all" }));
    const farSink = await queue(sqsC, "far-sink");
    await eventsC.send(new PutRuleCommand({ Name: "all", EventBusName: "far", EventPattern: '{"source":["hop"]}' }));
    await eventsC.send(new PutTargetsCommand({ Rule: "all", EventBusName: "far", Targets: [{ Id: "q", Arn: farSink.arn }] }));

    const middle = (await eventsB.send(new CreateEventBusCommand({ Name: "middle" }))).EventBusArn!;
    await eventsB.send(new PutPermissionCommand({ EventBusName: "middle", Action: "events:PutEvents", Principal: SOURCE, StatementId: "from-a" }));
    const hopDlq = await queue(sqsB, "hop-dlq");
    await eventsB.send(new PutRuleCommand({ Name: "onward", EventBusName: "middle", EventPattern: '{"source":["hop"]}' }));
    await eventsB.send(new PutTargetsCommand({ Rule: "onward", EventBusName: "middle", Targets: [{ Id: "far", Arn: far, DeadLetterConfig: { Arn: hopDlq.arn } }] }));

    await eventsA.send(new PutRuleCommand({ Name: "to-middle", EventPattern: '{"source":["hop"]}' }));
    await eventsA.send(new PutTargetsCommand({ Rule: "to-middle", Targets: [{ Id: "bus", Arn: middle }] }));
    await eventsA.send(new PutEventsCommand({ Entries: [{ Source: "hop", DetailType: "t", Detail: "{}" }] }));
    const [dead] = await receive(sqsB, hopDlq.url);
    assert.equal(dead.MessageAttributes!.ERROR_CODE.StringValue, "THIRD_ACCOUNT_HOP_DETECTED");
    assert.equal((await receive(sqsC, farSink.url)).length, 0);
    // The third account's bus itself takes events its own callers put.
    await eventsB.send(new PutRuleCommand({ Name: "local", EventPattern: '{"source":["hop"]}' }));
    await eventsB.send(new PutTargetsCommand({ Rule: "local", Targets: [{ Id: "far", Arn: far }] }));
    await eventsB.send(new PutEventsCommand({ Entries: [{ Source: "hop", DetailType: "t", Detail: "{}" }] }));
    const [arrived] = await receive(sqsC, farSink.url);
    assert.equal(JSON.parse(arrived.Body!).account, CENTRAL);
  });

  it("reads bus policies: principals, actions, resources, Deny and conditions", () => {
    const bus = `arn:aws:events:us-east-1:${CENTRAL}:event-bus/b`;
    const policy = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
    const allow = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${SOURCE}:root` }, Action: "events:PutEvents", Resource: bus };
    assert.equal(policyAllowsPutEvents(undefined, bus, SOURCE, undefined), false);
    assert.equal(policyAllowsPutEvents(policy(allow), bus, SOURCE, undefined), true);
    assert.equal(policyAllowsPutEvents(policy(allow), bus, "333333333333", undefined), false);
    assert.equal(policyAllowsPutEvents(policy({ ...allow, Principal: "*", Action: ["events:*"] }), bus, "333333333333", undefined), true);
    assert.equal(policyAllowsPutEvents(policy({ ...allow, Resource: `arn:aws:events:us-east-1:${CENTRAL}:event-bus/other` }), bus, SOURCE, undefined), false);
    assert.equal(policyAllowsPutEvents(policy(allow, { ...allow, Effect: "Deny" }), bus, SOURCE, undefined), false);
    assert.equal(policyAllowsPutEvents(policy({ ...allow, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }), bus, SOURCE, undefined), false);
    const role = `arn:aws:iam::${SOURCE}:role/forwarder`;
    assert.equal(policyAllowsPutEvents(policy({ ...allow, Principal: { AWS: [role] } }), bus, SOURCE, role), true);
  });
});
