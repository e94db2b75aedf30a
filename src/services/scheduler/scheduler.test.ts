import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { python, useTestServer } from "../../../test/helpers.js";

// EventBridge Scheduler through boto3 and raw rest-json requests (no SDK v3 client is
// installed): schedules firing on Terrarium's clock to SQS, in time zones, through
// universal targets, and deleting themselves after completion.

const server = await useTestServer();
const sqs = server.client(SQSClient);

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  return { url, arn: attrs.Attributes!.QueueArn! };
}

async function receive(QueueUrl: string) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 43200 }))).Messages ?? [];
}

const settle = () => new Promise((r) => setTimeout(r, 50));

function raw(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.endpoint}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      "x-amz-date": "20240101T000000Z",
      authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/scheduler/aws4_request, SignedHeaders=host, Signature=00",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** at(...) text for a time `seconds` from Terrarium's now, in UTC. */
async function atIn(seconds: number): Promise<string> {
  return new Date((await server.clockNow()) + seconds * 1000).toISOString().slice(0, 19);
}

describe("EventBridge Scheduler", () => {
  it("fires an at() schedule to SQS when the clock reaches it, then deletes it", async () => {
    const q = await queue("sch-at");
    const at = await atIn(3600);
    const out = await python(server.endpoint, `
s = client('scheduler')
arn = s.create_schedule(Name='once', ScheduleExpression='at(${at})', FlexibleTimeWindow={'Mode': 'OFF'},
    Target={'Arn': '${q.arn}', 'RoleArn': 'arn:aws:iam::000000000000:role/r', 'Input': '{"at": "<aws.scheduler.scheduled-time>"}'},
    ActionAfterCompletion='DELETE')['ScheduleArn']
got = s.get_schedule(Name='once')
print(json.dumps({'arn': arn, 'state': got['State'], 'group': got['GroupName'], 'expr': got['ScheduleExpression']}))`);
    assert.deepEqual(out, { arn: "arn:aws:scheduler:us-east-1:000000000000:schedule/default/once", state: "ENABLED", group: "default", expr: `at(${at})` });
    await server.advanceClock(1800);
    assert.equal((await receive(q.url)).length, 0);
    await server.advanceClock(1801);
    await settle();
    const messages = await receive(q.url);
    assert.equal(messages.length, 1);
    assert.deepEqual(JSON.parse(messages[0].Body!), { at: `${at}Z` });
    const gone = await raw("GET", "/schedules/once");
    assert.equal(gone.status, 404);
    assert.equal(((await gone.json()) as { Message?: string; message?: string }).Message ?? "", "Schedule once does not exist.");
  });

  it("fires a cron schedule at wall-clock times of its time zone", async () => {
    const q = await queue("sch-cron");
    const res = await raw("POST", "/schedules/ny", {
      ScheduleExpression: "cron(0 9 * * ? *)", ScheduleExpressionTimezone: "America/New_York", FlexibleTimeWindow: { Mode: "OFF" },
      Target: { Arn: q.arn, RoleArn: "arn:aws:iam::000000000000:role/r", Input: "<aws.scheduler.scheduled-time>" },
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { ScheduleArn: "arn:aws:scheduler:us-east-1:000000000000:schedule/default/ny" });
    await server.advanceClock(25 * 3600);
    await settle();
    const messages = await receive(q.url);
    assert.equal(messages.length, 1);
    const fired = new Date(messages[0].Body!);
    const local = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(fired);
    assert.equal(local, "09:00");
    await raw("DELETE", "/schedules/ny");
  });

  it("calls universal targets (aws-sdk:sqs:sendMessage) with Input as the API input", async () => {
    const q = await queue("sch-universal");
    const out = await python(server.endpoint, `
s = client('scheduler')
s.create_schedule_group(Name='jobs', Tags=[{'Key': 'team', 'Value': 'a'}])
s.create_schedule(Name='every-minute', GroupName='jobs', ScheduleExpression='rate(1 minute)', FlexibleTimeWindow={'Mode': 'OFF'},
    Target={'Arn': 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', 'RoleArn': 'arn:aws:iam::000000000000:role/r',
            'Input': json.dumps({'QueueUrl': '${q.url}', 'MessageBody': 'tick'})})
listed = s.list_schedules(GroupName='jobs')['Schedules']
tags = s.list_tags_for_resource(ResourceArn=s.get_schedule_group(Name='jobs')['Arn'])['Tags']
try:
    s.get_schedule(Name='every-minute')
    err = None
except botocore.exceptions.ClientError as e:
    err = e.response['Error']['Code']
print(json.dumps({'names': [x['Name'] for x in listed], 'tags': tags, 'err': err}))`);
    assert.deepEqual(out, { names: ["every-minute"], tags: [{ Key: "team", Value: "a" }], err: "ResourceNotFoundException" });
    await server.advanceClock(150);
    await settle();
    const bodies = (await receive(q.url)).map((m) => m.Body);
    // Without a StartDate a rate() schedule invokes at once, then every minute: 0, 60, 120 s.
    assert.deepEqual(bodies, ["tick", "tick", "tick"]);
    const del = await raw("DELETE", "/schedule-groups/jobs");
    assert.equal(del.status, 200);
  });

  it("answers AWS's errors", async () => {
    const out = await python(server.endpoint, `
s = client('scheduler')
codes = []
for kwargs in [dict(Name='x', ScheduleExpression='rate(1 fortnight)'), dict(Name='x', ScheduleExpression='rate(5 minutes)', GroupName='nope'),
               dict(Name='x', ScheduleExpression='cron(0 9 * * ? *)', ScheduleExpressionTimezone='Mars/Base')]:
    try:
        s.create_schedule(FlexibleTimeWindow={'Mode': 'OFF'}, Target={'Arn': 'arn:aws:sqs:us-east-1:000000000000:q', 'RoleArn': 'arn:aws:iam::000000000000:role/r'}, **kwargs)
    except botocore.exceptions.ClientError as e:
        codes.append([e.response['Error']['Code'], e.response['Error']['Message']])
s.create_schedule(Name='dup', ScheduleExpression='rate(5 minutes)', FlexibleTimeWindow={'Mode': 'FLEXIBLE', 'MaximumWindowInMinutes': 5}, State='DISABLED',
    Target={'Arn': 'arn:aws:sqs:us-east-1:000000000000:q', 'RoleArn': 'arn:aws:iam::000000000000:role/r'})
try:
    s.create_schedule(Name='dup', ScheduleExpression='rate(5 minutes)', FlexibleTimeWindow={'Mode': 'OFF'}, Target={'Arn': 'arn:aws:sqs:us-east-1:000000000000:q', 'RoleArn': 'arn:aws:iam::000000000000:role/r'})
except botocore.exceptions.ClientError as e:
    codes.append([e.response['Error']['Code'], e.response['Error']['Message']])
print(json.dumps(codes))`);
    assert.deepEqual(out, [
      ["ValidationException", "Invalid Schedule Expression rate(1 fortnight)."],
      ["ResourceNotFoundException", "Schedule group nope does not exist."],
      ["ValidationException", "Invalid time zone: Mars/Base."],
      ["ConflictException", "Schedule dup already exists."],
    ]);
  });
});

describe("EventBridge Scheduler targets and completion", () => {
  const role = "arn:aws:iam::000000000000:role/r";

  it("sends an invocation Terrarium cannot make to the DLQ at once, with the schedule's attributes", async () => {
    const dlq = await queue("sch-dlq");
    const res = await raw("POST", "/schedules/unserved", {
      ScheduleExpression: `at(${await atIn(60)})`, FlexibleTimeWindow: { Mode: "OFF" },
      Target: { Arn: "arn:aws:scheduler:::aws-sdk:kinesis:putRecord", RoleArn: role, Input: "{}", DeadLetterConfig: { Arn: dlq.arn } },
    });
    assert.equal(res.status, 200, await res.clone().text());
    await server.advanceClock(61);
    let messages: Awaited<ReturnType<typeof receiveAll>> = [];
    for (let i = 0; i < 50 && messages.length === 0; i++) messages = await receiveAll(dlq.url);
    assert.equal(messages.length, 1);
    const attributes = messages[0].MessageAttributes!;
    assert.equal(attributes.SCHEDULE_ARN.StringValue, "arn:aws:scheduler:us-east-1:000000000000:schedule/default/unserved");
    assert.equal(attributes.TARGET_ARN.StringValue, "arn:aws:scheduler:::aws-sdk:kinesis:putRecord");
    assert.equal(attributes.RETRY_ATTEMPTS.StringValue, "0");
    assert.equal(attributes.EXHAUSTED_RETRY_CONDITION, undefined);
  });

  it("puts events on a bus through a templated EventBridge target", async () => {
    const q = await queue("sch-bus");
    await python(server.endpoint, `
e = client('events')
e.put_rule(Name='from-scheduler', EventPattern=json.dumps({'source': ['my.scheduler']}))
e.put_targets(Rule='from-scheduler', Targets=[{'Id': 'q', 'Arn': '${q.arn}'}])
print('{}')`);
    const res = await raw("POST", "/schedules/to-bus", {
      ScheduleExpression: `at(${await atIn(60)})`, FlexibleTimeWindow: { Mode: "OFF" }, ActionAfterCompletion: "DELETE",
      Target: {
        Arn: "arn:aws:events:us-east-1:000000000000:event-bus/default", RoleArn: role, Input: '{"job": "nightly"}',
        EventBridgeParameters: { DetailType: "Job Due", Source: "my.scheduler" },
      },
    });
    assert.equal(res.status, 200, await res.clone().text());
    await server.advanceClock(61);
    await settle();
    const [m] = await receive(q.url);
    const event = JSON.parse(m.Body!);
    assert.deepEqual([event.source, event["detail-type"], event.detail], ["my.scheduler", "Job Due", { job: "nightly" }]);
  });

  it("keeps a rate() schedule within StartDate and EndDate, then deletes it with ActionAfterCompletion DELETE", async () => {
    const q = await queue("sch-window");
    const now = await server.clockNow();
    const res = await raw("POST", "/schedules/bounded", {
      ScheduleExpression: "rate(1 minute)", FlexibleTimeWindow: { Mode: "OFF" }, ActionAfterCompletion: "DELETE",
      StartDate: (now + 30_000) / 1000, EndDate: (now + 170_000) / 1000,
      Target: { Arn: q.arn, RoleArn: role, Input: "<aws.scheduler.scheduled-time>" },
    });
    assert.equal(res.status, 200, await res.clone().text());
    await server.advanceClock(10 * 60);
    await settle();
    const times = (await receive(q.url)).map((m) => Date.parse(m.Body!)).sort();
    assert.deepEqual(times.map((t) => Math.round((t - now) / 1000)), [30, 90, 150]);
    assert.equal((await raw("GET", "/schedules/bounded")).status, 404);
  });

  it("fires a FLEXIBLE schedule inside its window, not before its time", async () => {
    const q = await queue("sch-flex");
    const res = await raw("POST", "/schedules/flex", {
      ScheduleExpression: `at(${await atIn(3600)})`, FlexibleTimeWindow: { Mode: "FLEXIBLE", MaximumWindowInMinutes: 15 },
      Target: { Arn: q.arn, RoleArn: role, Input: "flex" },
    });
    assert.equal(res.status, 200, await res.clone().text());
    await server.advanceClock(3599);
    await settle();
    assert.equal((await receive(q.url)).length, 0);
    await server.advanceClock(15 * 60 + 1);
    await settle();
    assert.deepEqual((await receive(q.url)).map((m) => m.Body), ["flex"]);
  });

  it("refuses a recurring schedule whose StartDate is more than 5 minutes past, in Create and Update", async () => {
    const now = await server.clockNow();
    const body = (start: number, expression = "rate(1 hour)") => ({
      ScheduleExpression: expression, FlexibleTimeWindow: { Mode: "OFF" }, StartDate: start / 1000,
      Target: { Arn: "arn:aws:sqs:us-east-1:000000000000:q", RoleArn: role },
    });
    const refused = await raw("POST", "/schedules/past-start", body(now - 6 * 60_000));
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { __type: "ValidationException", Message: "The StartDate you specify cannot be earlier than 5 minutes ago." });
    assert.equal((await raw("POST", "/schedules/past-start", body(now - 4 * 60_000, "cron(0 12 * * ? *)"))).status, 200);
    assert.equal((await raw("PUT", "/schedules/past-start", body(now - 6 * 60_000, "cron(0 12 * * ? *)"))).status, 400);
    // A one-time schedule ignores its StartDate.
    assert.equal((await raw("POST", "/schedules/past-start-once", body(now - 60 * 60_000, `at(${await atIn(3600)})`))).status, 200);
  });

  it("reports a target's RetryPolicy with its defaults, keeping what was given (0 included)", async () => {
    const out = await python(server.endpoint, `
s = client('scheduler')
t = {'Arn': 'arn:aws:sqs:us-east-1:000000000000:q', 'RoleArn': 'arn:aws:iam::000000000000:role/r'}
s.create_schedule(Name='retry-default', ScheduleExpression='rate(1 day)', FlexibleTimeWindow={'Mode': 'OFF'}, Target=t)
s.create_schedule(Name='retry-zero', ScheduleExpression='rate(1 day)', FlexibleTimeWindow={'Mode': 'OFF'}, Target=dict(t, RetryPolicy={'MaximumRetryAttempts': 0}))
print(json.dumps([s.get_schedule(Name=n)['Target']['RetryPolicy'] for n in ['retry-default', 'retry-zero']]))`);
    assert.deepEqual(out, [{ MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 }, { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 0 }]);
  });
});

async function receiveAll(QueueUrl: string) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 43200, MessageAttributeNames: ["All"] }))).Messages ?? [];
}
