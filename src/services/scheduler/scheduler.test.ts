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
    assert.deepEqual(bodies, ["tick", "tick"]);
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
