import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateArchiveCommand, CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeArchiveCommand, DescribeEventBusCommand,
  DescribeReplayCommand, DescribeRuleCommand, DisableRuleCommand, EventBridgeClient, ListEventBusesCommand, ListRuleNamesByTargetCommand,
  ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand,
  RemovePermissionCommand, RemoveTargetsCommand, StartReplayCommand, TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, useTestServer } from "../../../test/helpers.js";

// EventBridge through the real client: rules routing PutEvents to SQS queues with the
// envelope AWS documents, input transformation, schedules on the clock, FIFO
// targets, archives and replays, and AWS's errors.

const server = await useTestServer();
const events = server.client(EventBridgeClient);
const sqs = server.client(SQSClient);

async function queue(name: string, Attributes?: Record<string, string>): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  return { url, arn: attrs.Attributes!.QueueArn! };
}

async function receive(QueueUrl: string) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 43200, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }))).Messages ?? [];
}

async function ruleToQueue(Name: string, EventPattern: unknown, queueName: string, target: Record<string, unknown> = {}) {
  const q = await queue(queueName);
  await events.send(new PutRuleCommand({ Name, EventPattern: JSON.stringify(EventPattern) }));
  const put = await events.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: "q", Arn: q.arn, ...target }] }));
  assert.equal(put.FailedEntryCount, 0);
  return q;
}

describe("EventBridge routing", () => {
  it("delivers matching events to an SQS target in AWS's envelope", async () => {
    const q = await ruleToQueue("orders", { source: ["com.shop"], "detail-type": [{ prefix: "Order" }], detail: { amount: [{ numeric: [">", 100] }] } }, "eb-orders");
    const put = await events.send(new PutEventsCommand({
      Entries: [
        { Source: "com.shop", DetailType: "OrderPlaced", Detail: JSON.stringify({ amount: 150, id: "a" }), Resources: ["arn:aws:x:::r"] },
        { Source: "com.shop", DetailType: "OrderPlaced", Detail: JSON.stringify({ amount: 50, id: "b" }) },
        { Source: "com.other", DetailType: "OrderPlaced", Detail: JSON.stringify({ amount: 500, id: "c" }) },
      ],
    }));
    assert.equal(put.FailedEntryCount, 0);
    assert.equal(put.Entries!.length, 3);
    const messages = await receive(q.url);
    assert.equal(messages.length, 1);
    const event = JSON.parse(messages[0].Body!);
    assert.deepEqual(Object.keys(event), ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]);
    assert.equal(event.version, "0");
    assert.equal(event.id, put.Entries![0].EventId);
    assert.equal(event["detail-type"], "OrderPlaced");
    assert.equal(event.account, "000000000000");
    assert.equal(event.region, "us-east-1");
    assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(event.resources, ["arn:aws:x:::r"]);
    assert.deepEqual(event.detail, { amount: 150, id: "a" });
  });

  it("matches anything-but and $or", async () => {
    const q = await ruleToQueue("or-rule", { source: [{ "anything-but": ["internal"] }], $or: [{ detail: { kind: ["a"] } }, { detail: { size: [{ numeric: [">=", 10] }] } }] }, "eb-or");
    await events.send(new PutEventsCommand({
      Entries: [
        { Source: "ext", DetailType: "t", Detail: '{"kind":"a"}' },
        { Source: "ext", DetailType: "t", Detail: '{"kind":"b","size":12}' },
        { Source: "ext", DetailType: "t", Detail: '{"kind":"b","size":2}' },
        { Source: "internal", DetailType: "t", Detail: '{"kind":"a"}' },
      ],
    }));
    const bodies = (await receive(q.url)).map((m) => JSON.parse(m.Body!).detail);
    assert.deepEqual(bodies.sort((a, b) => a.kind.localeCompare(b.kind)), [{ kind: "a" }, { kind: "b", size: 12 }]);
  });

  it("transforms input with InputPathsMap, InputTemplate and the aws.events variables", async () => {
    const q = await ruleToQueue("transform", { source: ["tx"] }, "eb-transform", {
      InputTransformer: {
        InputPathsMap: { instance: "$.detail.instance-id", state: "$.detail.state", first: "$.resources[0]" },
        InputTemplate: '{"instance": <instance>, "text": "<instance> is <state>", "state": [9, <state>, true], "rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>, "first": <first>}',
      },
    });
    const q2 = await queue("eb-transform-text");
    await events.send(new PutTargetsCommand({
      Rule: "transform",
      Targets: [
        { Id: "text", Arn: q2.arn, InputTransformer: { InputPathsMap: { instance: "$.detail.instance-id", state: "$.detail.state" }, InputTemplate: '"<instance> is in state <state>"' } },
        { Id: "path", Arn: q2.arn, InputPath: "$.detail" },
        { Id: "const", Arn: q2.arn, Input: '{"fixed":true}' },
      ],
    }));
    await events.send(new PutEventsCommand({ Entries: [{ Source: "tx", DetailType: "t", Detail: '{"instance-id":"i-123","state":"RUNNING"}', Resources: ["r1"] }] }));
    const [m] = await receive(q.url);
    assert.equal(m.Body, '{"instance": "i-123", "text": "i-123 is RUNNING", "state": [9, "RUNNING", true], "rule": "transform", "arn": "arn:aws:events:us-east-1:000000000000:rule/transform", "first": "r1"}');
    const others = (await receive(q2.url)).map((x) => x.Body).sort();
    assert.deepEqual(others, ['"i-123 is in state RUNNING"', '{"fixed":true}', '{"instance-id":"i-123","state":"RUNNING"}']);
  });

  it("fills string literals unescaped and strips an object's quotes there, as the user guide's common issues say", async () => {
    const q = await ruleToQueue("transform-raw", { source: ["tx-raw"] }, "eb-transform-raw", {
      InputTransformer: {
        InputPathsMap: { msg: "$.detail.msg", obj: "$.detail.obj" },
        InputTemplate: '{"m": "<msg>", "o": "obj is <obj>", "raw": <obj>}',
      },
    });
    await events.send(new PutEventsCommand({ Entries: [{ Source: "tx-raw", DetailType: "t", Detail: JSON.stringify({ msg: 'say "hi"', obj: { a: [1, "b"] } }) }] }));
    const [m] = await receive(q.url);
    assert.equal(m.Body, '{"m": "say "hi"", "o": "obj is {a:[1,b]}", "raw": {"a":[1,"b"]}}');
  });

  it("delivers to FIFO queues with the target's MessageGroupId", async () => {
    const q = await queue("eb-fifo.fifo", { FifoQueue: "true" });
    await events.send(new PutRuleCommand({ Name: "fifo", EventPattern: '{"source":["fifo"]}' }));
    const failed = await events.send(new PutTargetsCommand({ Rule: "fifo", Targets: [{ Id: "bad", Arn: q.arn }] }));
    assert.equal(failed.FailedEntryCount, 1);
    assert.equal(failed.FailedEntries![0].TargetId, "bad");
    await events.send(new PutTargetsCommand({ Rule: "fifo", Targets: [{ Id: "q", Arn: q.arn, SqsParameters: { MessageGroupId: "g1" } }] }));
    await events.send(new PutEventsCommand({ Entries: [1, 2, 3].map((n) => ({ Source: "fifo", DetailType: "t", Detail: JSON.stringify({ n }) })) }));
    const messages = await receive(q.url);
    assert.deepEqual(messages.map((m) => JSON.parse(m.Body!).detail.n), [1, 2, 3]);
    assert.equal(messages[0].Attributes!.MessageGroupId, "g1");
  });

  it("fires scheduled rules when the clock advances", async () => {
    const q = await queue("eb-scheduled");
    await events.send(new PutRuleCommand({ Name: "every-5", ScheduleExpression: "rate(5 minutes)" }));
    await events.send(new PutTargetsCommand({ Rule: "every-5", Targets: [{ Id: "q", Arn: q.arn }] }));
    await server.advanceClock(11 * 60);
    await new Promise((r) => setTimeout(r, 50));
    const messages = await receive(q.url);
    assert.equal(messages.length, 2);
    const event = JSON.parse(messages[0].Body!);
    assert.equal(event["detail-type"], "Scheduled Event");
    assert.equal(event.source, "aws.events");
    assert.deepEqual(event.resources, ["arn:aws:events:us-east-1:000000000000:rule/every-5"]);
    assert.deepEqual(event.detail, {});
    await events.send(new DisableRuleCommand({ Name: "every-5" }));
    await server.advanceClock(11 * 60);
    assert.equal((await receive(q.url)).length, 0);
  });

  it("fires cron rules at the times they name", async () => {
    const q = await queue("eb-cron");
    await events.send(new PutRuleCommand({ Name: "cron", ScheduleExpression: "cron(0/15 * * * ? *)" }));
    await events.send(new PutTargetsCommand({ Rule: "cron", Targets: [{ Id: "q", Arn: q.arn }] }));
    await server.advanceClock(16 * 60);
    await new Promise((r) => setTimeout(r, 50));
    const times = (await receive(q.url)).map((m) => JSON.parse(m.Body!).time as string);
    assert.ok(times.length >= 1 && times.length <= 2);
    for (const t of times) assert.match(t, /:(00|15|30|45):00Z$/);
  });

  it("sends failed deliveries to the target's dead-letter queue", async () => {
    const dlq = await queue("eb-dlq");
    await events.send(new PutRuleCommand({ Name: "to-sfn", EventPattern: '{"source":["sfn"]}' }));
    await events.send(new PutTargetsCommand({
      Rule: "to-sfn",
      Targets: [{ Id: "sm", Arn: "arn:aws:states:us-east-1:000000000000:stateMachine:nope", DeadLetterConfig: { Arn: dlq.arn } }],
    }));
    await events.send(new PutEventsCommand({ Entries: [{ Source: "sfn", DetailType: "t", Detail: "{}" }] }));
    const [m] = await receive(dlq.url);
    assert.equal(JSON.parse(m.Body!).source, "sfn");
    assert.equal(m.MessageAttributes!.RULE_ARN.StringValue, "arn:aws:events:us-east-1:000000000000:rule/to-sfn");
    assert.ok(m.MessageAttributes!.ERROR_CODE.StringValue);
  });

  it("routes from a rule to another event bus", async () => {
    await events.send(new CreateEventBusCommand({ Name: "second" }));
    const q = await queue("eb-second");
    await events.send(new PutRuleCommand({ Name: "fwd", EventPattern: '{"source":["fwd"]}' }));
    await events.send(new PutTargetsCommand({ Rule: "fwd", Targets: [{ Id: "b", Arn: "arn:aws:events:us-east-1:000000000000:event-bus/second" }] }));
    await events.send(new PutRuleCommand({ Name: "on-second", EventBusName: "second", EventPattern: '{"source":["fwd"]}' }));
    await events.send(new PutTargetsCommand({ Rule: "on-second", EventBusName: "second", Targets: [{ Id: "q", Arn: q.arn }] }));
    await events.send(new PutEventsCommand({ Entries: [{ Source: "fwd", DetailType: "t", Detail: '{"x":1}' }] }));
    const [m] = await receive(q.url);
    assert.deepEqual(JSON.parse(m.Body!).detail, { x: 1 });
  });
});

describe("EventBridge archives and replays", () => {
  it("archives matching events and replays them with replay-name", async () => {
    const busArn = (await events.send(new CreateEventBusCommand({ Name: "archived" }))).EventBusArn!;
    const archive = await events.send(new CreateArchiveCommand({ ArchiveName: "arch", EventSourceArn: busArn, EventPattern: '{"source":["keep"]}', RetentionDays: 1 }));
    const q = await queue("eb-replay");
    await events.send(new PutRuleCommand({ Name: "r", EventBusName: "archived", EventPattern: '{"source":["keep","drop"]}' }));
    await events.send(new PutTargetsCommand({ Rule: "r", EventBusName: "archived", Targets: [{ Id: "q", Arn: q.arn }] }));
    const start = new Date(await server.clockNow() - 1000);
    await events.send(new PutEventsCommand({ Entries: [
      { EventBusName: "archived", Source: "keep", DetailType: "t", Detail: '{"n":1}' },
      { EventBusName: "archived", Source: "drop", DetailType: "t", Detail: '{"n":2}' },
    ] }));
    assert.equal((await receive(q.url)).length, 2);
    const described = await events.send(new DescribeArchiveCommand({ ArchiveName: "arch" }));
    assert.equal(described.EventCount, 1);
    assert.equal(described.State, "ENABLED");
    await server.advanceClock(5);
    const started = await events.send(new StartReplayCommand({
      ReplayName: "rp", EventSourceArn: archive.ArchiveArn, EventStartTime: start, EventEndTime: new Date(await server.clockNow()), Destination: { Arn: busArn },
    }));
    assert.equal(started.State, "STARTING");
    let state = "";
    for (let i = 0; i < 50 && state !== "COMPLETED"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      state = (await events.send(new DescribeReplayCommand({ ReplayName: "rp" }))).State!;
    }
    assert.equal(state, "COMPLETED");
    const replayed = await receive(q.url);
    assert.equal(replayed.length, 1);
    const body = JSON.parse(replayed[0].Body!);
    assert.equal(body["replay-name"], "rp");
    assert.deepEqual(body.detail, { n: 1 });
  });

  it("counts RetentionDays from archiving, not from the event's own Time, and replays by the event's time", async () => {
    const busArn = (await events.send(new CreateEventBusCommand({ Name: "archived-old" }))).EventBusArn!;
    const archive = await events.send(new CreateArchiveCommand({ ArchiveName: "arch-old", EventSourceArn: busArn, RetentionDays: 1 }));
    await events.send(new PutEventsCommand({ Entries: [{ EventBusName: "archived-old", Source: "s", DetailType: "t", Detail: "{}", Time: new Date("2020-01-01T00:00:00Z") }] }));
    assert.equal((await events.send(new DescribeArchiveCommand({ ArchiveName: "arch-old" }))).EventCount, 1);
    const started = await events.send(new StartReplayCommand({
      ReplayName: "rp-old", EventSourceArn: archive.ArchiveArn, EventStartTime: new Date("2019-12-31T23:59:00Z"), EventEndTime: new Date("2020-01-01T00:01:00Z"), Destination: { Arn: busArn },
    }));
    assert.equal(started.State, "STARTING");
    let replay = await events.send(new DescribeReplayCommand({ ReplayName: "rp-old" }));
    for (let i = 0; i < 50 && replay.State !== "COMPLETED"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      replay = await events.send(new DescribeReplayCommand({ ReplayName: "rp-old" }));
    }
    assert.equal(replay.EventLastReplayedTime?.toISOString(), "2020-01-01T00:00:00.000Z");
    await server.advanceClock(86_400 + 60);
    assert.equal((await events.send(new DescribeArchiveCommand({ ArchiveName: "arch-old" }))).EventCount, 0);
  });
});

describe("EventBridge control plane and errors", () => {
  it("manages buses, permissions, rules and targets", async () => {
    await events.send(new CreateEventBusCommand({ Name: "ctl" }));
    await assertAwsError(events.send(new CreateEventBusCommand({ Name: "ctl" })), { code: "ResourceAlreadyExistsException", message: "Event bus ctl already exists." });
    await assertAwsError(events.send(new CreateEventBusCommand({ Name: "a/b" })), { code: "ValidationException", message: "Event bus name must not contain '/'." });
    await assertAwsError(events.send(new CreateEventBusCommand({ Name: "aws.partner/x/y", EventSourceName: "aws.partner/x/y" })), {
      code: "ResourceNotFoundException", message: "Event source aws.partner/x/y does not exist.",
    });
    await events.send(new PutPermissionCommand({ EventBusName: "ctl", Action: "events:PutEvents", Principal: "111122223333", StatementId: "s1" }));
    const policy = JSON.parse((await events.send(new DescribeEventBusCommand({ Name: "ctl" }))).Policy!);
    assert.deepEqual(policy.Statement[0], { Sid: "s1", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "events:PutEvents", Resource: "arn:aws:events:us-east-1:000000000000:event-bus/ctl" });
    await events.send(new RemovePermissionCommand({ EventBusName: "ctl", StatementId: "s1" }));
    await assertAwsError(events.send(new RemovePermissionCommand({ EventBusName: "ctl", StatementId: "s1" })), { code: "ResourceNotFoundException" });
    const names = (await events.send(new ListEventBusesCommand({}))).EventBuses!.map((b) => b.Name);
    assert.ok(names.includes("default") && names.includes("ctl"));

    for (const n of ["p-a", "p-b", "p-c"]) await events.send(new PutRuleCommand({ Name: n, EventBusName: "ctl", EventPattern: '{"source":["x"]}' }));
    const first = await events.send(new ListRulesCommand({ EventBusName: "ctl", NamePrefix: "p-", Limit: 2 }));
    assert.deepEqual(first.Rules!.map((r) => r.Name), ["p-a", "p-b"]);
    const second = await events.send(new ListRulesCommand({ EventBusName: "ctl", NamePrefix: "p-", Limit: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.Rules!.map((r) => r.Name), ["p-c"]);
    assert.equal(second.NextToken, undefined);
    const d = await events.send(new DescribeRuleCommand({ Name: "p-a", EventBusName: "ctl" }));
    assert.equal(d.Arn, "arn:aws:events:us-east-1:000000000000:rule/ctl/p-a");
    assert.equal(d.State, "ENABLED");

    const arn = "arn:aws:sqs:us-east-1:000000000000:whatever";
    await events.send(new PutTargetsCommand({ Rule: "p-a", EventBusName: "ctl", Targets: [{ Id: "t", Arn: arn }] }));
    assert.deepEqual((await events.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, EventBusName: "ctl" }))).RuleNames, ["p-a"]);
    assert.equal((await events.send(new ListTargetsByRuleCommand({ Rule: "p-a", EventBusName: "ctl" }))).Targets!.length, 1);
    await assertAwsError(events.send(new DeleteRuleCommand({ Name: "p-a", EventBusName: "ctl" })), { code: "ValidationException", message: "Rule can't be deleted since it has targets.", status: 400 });
    await events.send(new RemoveTargetsCommand({ Rule: "p-a", EventBusName: "ctl", Ids: ["t"] }));
    await events.send(new DeleteRuleCommand({ Name: "p-a", EventBusName: "ctl" }));
    await assertAwsError(events.send(new DescribeRuleCommand({ Name: "p-a", EventBusName: "ctl" })), { code: "ResourceNotFoundException", message: "Rule p-a does not exist on EventBus ctl." });
    await events.send(new DeleteEventBusCommand({ Name: "ctl" }));
    await assertAwsError(events.send(new DescribeEventBusCommand({ Name: "ctl" })), { code: "ResourceNotFoundException", message: "Event bus ctl does not exist." });
  });

  it("refuses invalid patterns and schedules", async () => {
    await assertAwsError(events.send(new PutRuleCommand({ Name: "bad", EventPattern: '{"source":[{"nope":1}]}' })), {
      // AWS appends its JSON parser's location to the reason.
      code: "InvalidEventPatternException",
      message: 'Event pattern is not valid. Reason: Unrecognized match type nope\n at [Source: (String)"{"source":[{"nope":1}]}"; line: 1, column: 21]',
    });
    await assertAwsError(events.send(new PutRuleCommand({ Name: "bad", ScheduleExpression: "rate(1 minutes)" })), { code: "ValidationException", message: "Parameter ScheduleExpression is not valid." });
    await assertAwsError(events.send(new PutRuleCommand({ Name: "bad", ScheduleExpression: "cron(0 12 * * * *)" })), { code: "ValidationException" });
    await assertAwsError(events.send(new PutRuleCommand({ Name: "bad" })), { code: "ValidationException", message: "Parameter(s) EventPattern or ScheduleExpression must be specified." });
  });

  it("answers per-entry PutEvents errors and the request limits", async () => {
    const out = await events.send(new PutEventsCommand({ Entries: [
      { Source: "a", DetailType: "t", Detail: "not json" },
      { DetailType: "t", Detail: "{}" },
      { Source: "a", DetailType: "t", Detail: "[1]" },
      { Source: "a", DetailType: "t", Detail: "{}", EventBusName: "missing" },
      { Source: "a", DetailType: "t", Detail: "{}" },
    ] }));
    assert.equal(out.FailedEntryCount, 4);
    assert.deepEqual(out.Entries![0], { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." });
    assert.deepEqual(out.Entries![1], { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument." });
    assert.equal(out.Entries![2].ErrorCode, "MalformedDetail");
    assert.equal(out.Entries![3].ErrorCode, "ResourceNotFoundException");
    assert.match(out.Entries![4].EventId!, /^[0-9a-f-]{36}$/);
    // AWS services' sources are theirs alone.
    const aws = await events.send(new PutEventsCommand({ Entries: [{ Source: "aws.ecs", DetailType: "t", Detail: "{}" }, { Source: "awsome", DetailType: "t", Detail: "{}" }] }));
    assert.equal(aws.FailedEntryCount, 1);
    assert.deepEqual(aws.Entries![0], { ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." });
    assert.ok(aws.Entries![1].EventId);
    // "PutEvents will only process nested JSON up to 1000 levels deep".
    const nested = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    const deep = await events.send(new PutEventsCommand({ Entries: [{ Source: "a", DetailType: "t", Detail: nested(1000) }, { Source: "a", DetailType: "t", Detail: nested(5000) }] }));
    assert.ok(deep.Entries![0].EventId);
    assert.deepEqual(deep.Entries![1], { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." });
    await assertAwsError(events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: "a", DetailType: "t", Detail: "{}" })) })), { code: "ValidationException" });
    // 1 MB since January 2026 (was 256 KB): two entries of 400 KB go, three do not.
    const big = JSON.stringify({ s: "x".repeat(400 * 1024) });
    const two = await events.send(new PutEventsCommand({ Entries: [{ Source: "a", DetailType: "t", Detail: big }, { Source: "a", DetailType: "t", Detail: big }] }));
    assert.equal(two.FailedEntryCount, 0);
    await assertAwsError(events.send(new PutEventsCommand({ Entries: Array.from({ length: 3 }, () => ({ Source: "a", DetailType: "t", Detail: big })) })), {
      code: "ValidationException", message: "Total size of the entries in the request is over the limit.",
    });
    // Counted as AWS's "Calculating PutEvents event entry size" does: UTF-8 bytes of Source,
    // DetailType, Detail and each resource, 14 for a Time. Exactly 1 MiB goes; one byte more does not.
    const detailFor = (total: number) => {
      const content = total - 1 - 1 - 14 - '{"s":""}'.length;
      return JSON.stringify({ s: "é".repeat(Math.floor(content / 2)) + "x".repeat(content % 2) });
    };
    const exact = { Source: "a", DetailType: "t", Time: new Date(), Detail: detailFor(1024 * 1024) };
    assert.equal(Buffer.byteLength(exact.Detail) + 1 + 1 + 14, 1024 * 1024);
    assert.equal((await events.send(new PutEventsCommand({ Entries: [exact] }))).FailedEntryCount, 0);
    await assertAwsError(events.send(new PutEventsCommand({ Entries: [{ ...exact, Resources: ["r"] }] })), { code: "ValidationException" });
  });

  it("tests event patterns", async () => {
    const Event = JSON.stringify({ id: "1", account: "1", source: "s", time: "2024-01-01T00:00:00Z", region: "us-east-1", "detail-type": "t", resources: [], detail: { ip: "10.0.0.5", name: "prod-db" } });
    const yes = await events.send(new TestEventPatternCommand({ Event, EventPattern: '{"detail":{"ip":[{"cidr":"10.0.0.0/24"}],"name":[{"prefix":"prod-"}]}}' }));
    assert.equal(yes.Result, true);
    const no = await events.send(new TestEventPatternCommand({ Event, EventPattern: '{"detail":{"name":[{"suffix":"-x"}]}}' }));
    assert.equal(no.Result, false);
    await assertAwsError(events.send(new TestEventPatternCommand({ Event: "{}", EventPattern: '{"source":["s"]}' })), { code: "ValidationException", message: "Parameter Event is not valid." });
  });
});
