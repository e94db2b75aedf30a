import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateArchiveCommand, CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

// Event patterns as AWS's Ruler reads them, through the real clients: keys with dots
// are paths (on both sides), and wildcard values past the Ruler's complexity limit are
// refused with AWS's reason. Also the partner-bus name check of CreateEventBus.

const server = await useTestServer();
const events = server.client(EventBridgeClient);
const sqs = server.client(SQSClient);

const TOO_COMPLEX =
  "Event pattern is not valid. Reason: Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character";

const event = (detail: unknown) =>
  JSON.stringify({ id: "1", "detail-type": "T", source: "t", account: "123456789012", time: "2026-08-24T00:00:00Z", region: "us-west-2", resources: [], detail });

describe("EventBridge patterns: keys with dots", () => {
  it("TestEventPattern matches a dotted key against the nested field, as AWS answers", async () => {
    const test = async (EventPattern: unknown, detail: unknown) =>
      (await events.send(new TestEventPatternCommand({ Event: event(detail), EventPattern: JSON.stringify(EventPattern) }))).Result;
    assert.equal(await test({ "detail.name": ["x"] }, { name: "x" }), true);
    assert.equal(await test({ "detail.name": ["x"] }, { name: "y" }), false);
    assert.equal(await test({ detail: { "state.status": ["running"] } }, { state: { status: "running" } }), true);
    assert.equal(await test({ detail: { state: { status: ["running"] } } }, { "state.status": "running" }), true);
    // A deep event is read as far as patterns go, without exhausting the stack.
    const deep = event({}).replace('"detail":{}', `"detail":${'{"a":'.repeat(5000)}{"b.c": 1}${"}".repeat(5000)}`);
    const deepResult = await events.send(new TestEventPatternCommand({ Event: deep, EventPattern: '{"detail.a.a": [{"exists": false}]}' }));
    assert.equal(deepResult.Result, true);
    // boto3 sends the same request the same way.
    const out = await python(server.endpoint, `
eb = client('events')
print(json.dumps(eb.test_event_pattern(Event=${JSON.stringify(event({ name: "x" }))}, EventPattern='{"detail.name": ["x"]}')['Result']))`);
    assert.equal(out, true);
  });

  it("routes PutEvents through a rule written with dotted keys, delivering the event as it was sent", async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: "eb-dotted" }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    await events.send(new PutRuleCommand({ Name: "dotted", EventPattern: JSON.stringify({ source: ["app"], "detail.order.status": ["paid"] }) }));
    await events.send(new PutTargetsCommand({ Rule: "dotted", Targets: [{ Id: "q", Arn: arn }] }));
    const put = await events.send(new PutEventsCommand({ Entries: [
      { Source: "app", DetailType: "t", Detail: JSON.stringify({ order: { status: "paid", id: 1 } }) },
      { Source: "app", DetailType: "t", Detail: JSON.stringify({ order: { status: "open", id: 2 } }) },
      { Source: "app", DetailType: "t", Detail: JSON.stringify({ "order.status": "paid", id: 3 }) },
    ] }));
    assert.equal(put.FailedEntryCount, 0);
    const messages = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages ?? [];
    const details = messages.map((m) => JSON.parse(m.Body!).detail).sort((a, b) => (a.id ?? a.order.id) - (b.id ?? b.order.id));
    assert.deepEqual(details, [{ order: { status: "paid", id: 1 } }, { "order.status": "paid", id: 3 }]);
  });
});

describe("EventBridge patterns: wildcard complexity", () => {
  const keys = (...values: string[]) => JSON.stringify({ source: ["aws.s3"], detail: { object: { key: values.map((wildcard) => ({ wildcard })) } } });

  it("refuses in PutRule, TestEventPattern and CreateArchive what AWS refused, with its reason", async () => {
    const refused = keys("*/datasync/*.bif", "*/datasync/*.tif", "*/datasync/*.tiff", "*/datasync/*.svs");
    await assertAwsError(events.send(new PutRuleCommand({ Name: "too-complex", EventPattern: refused })), { code: "InvalidEventPatternException", message: TOO_COMPLEX });
    await assertAwsError(events.send(new TestEventPatternCommand({ Event: event({}), EventPattern: refused })), { code: "InvalidEventPatternException", message: TOO_COMPLEX });
    const bus = await events.send(new CreateEventBusCommand({ Name: "wild" }));
    await assertAwsError(events.send(new CreateArchiveCommand({ ArchiveName: "wild", EventSourceArn: bus.EventBusArn, EventPattern: refused })), {
      code: "InvalidEventPatternException", message: TOO_COMPLEX,
    });
  });

  it("accepts what AWS accepted", async () => {
    await events.send(new PutRuleCommand({ Name: "four-suffixes", EventPattern: keys("*.bif", "*.tiff", "*.tif", "*.svs") }));
    await events.send(new PutRuleCommand({ Name: "two-folders", EventPattern: keys("*/datasync/*.bif", "*/datasync/*.tif") }));
  });
});

describe("CreateEventBus: partner names", () => {
  it("refuses a name under aws. without its event source, in AWS's words", async () => {
    for (const Name of ["aws.partner/example.com/123/bus", "aws.mine"]) {
      await assertAwsError(events.send(new CreateEventBusCommand({ Name })), { code: "ValidationException", message: "EventBus name starting with 'aws.' is not valid." });
    }
    await assertAwsError(events.send(new CreateEventBusCommand({ Name: "a/b" })), { code: "ValidationException", message: "Event bus name must not contain '/'." });
  });
});
