import assert from "node:assert/strict";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { awsCli, python, useTestServer } from "../../../test/helpers.js";

// CloudWatch Logs through boto3 and the AWS CLI (@aws-sdk/client-cloudwatch-logs is
// not a dependency), and Lambda's function output arriving in /aws/lambda/<name>.

const server = await useTestServer();

test("groups and streams: create, describe with prefix and pages, delete (boto3)", async () => {
  const out = await python(server.endpoint, `
logs = client('logs')
for i in range(5):
    logs.create_log_group(logGroupName='/app/g%d' % i)
logs.create_log_group(logGroupName='/other/x', tags={'team': 'a'})
try:
    logs.create_log_group(logGroupName='/app/g0')
    dup = None
except botocore.exceptions.ClientError as e:
    dup = [e.response['Error']['Code'], e.response['Error']['Message']]
page1 = logs.describe_log_groups(logGroupNamePrefix='/app/', limit=2)
names = [g['logGroupName'] for g in page1['logGroups']]
token = page1.get('nextToken')
while token:
    page = logs.describe_log_groups(logGroupNamePrefix='/app/', limit=2, nextToken=token)
    names += [g['logGroupName'] for g in page['logGroups']]
    token = page.get('nextToken')
g = logs.describe_log_groups(logGroupNamePrefix='/other')['logGroups'][0]
for s in ['b-stream', 'a-stream', 'c-other']:
    logs.create_log_stream(logGroupName='/app/g0', logStreamName=s)
streams = [s['logStreamName'] for s in logs.describe_log_streams(logGroupName='/app/g0', logStreamNamePrefix='a')['logStreams']]
all_desc = [s['logStreamName'] for s in logs.describe_log_streams(logGroupName='/app/g0', descending=True)['logStreams']]
try:
    logs.create_log_stream(logGroupName='/nope', logStreamName='s')
    missing = None
except botocore.exceptions.ClientError as e:
    missing = [e.response['Error']['Code'], e.response['Error']['Message']]
logs.delete_log_stream(logGroupName='/app/g0', logStreamName='c-other')
logs.delete_log_group(logGroupName='/app/g4')
after = [g['logGroupName'] for g in logs.describe_log_groups(logGroupNamePrefix='/app/')['logGroups']]
print(json.dumps({'dup': dup, 'names': names, 'arn': g['arn'], 'class': g['logGroupClass'], 'streams': streams, 'desc': all_desc,
  'missing': missing, 'after': after, 'left': [s['logStreamName'] for s in logs.describe_log_streams(logGroupName='/app/g0')['logStreams']]}))
`);
  assert.deepEqual(out.dup, ["ResourceAlreadyExistsException", "The specified log group already exists"]);
  assert.deepEqual(out.names, ["/app/g0", "/app/g1", "/app/g2", "/app/g3", "/app/g4"]);
  assert.equal(out.arn, "arn:aws:logs:us-east-1:000000000000:log-group:/other/x:*");
  assert.equal(out.class, "STANDARD");
  assert.deepEqual(out.streams, ["a-stream"]);
  assert.deepEqual(out.desc, ["c-other", "b-stream", "a-stream"]);
  assert.deepEqual(out.missing, ["ResourceNotFoundException", "The specified log group does not exist."]);
  assert.deepEqual(out.after, ["/app/g0", "/app/g1", "/app/g2", "/app/g3"]);
  assert.deepEqual(out.left, ["a-stream", "b-stream"]);
});

test("PutLogEvents without a sequence token, GetLogEvents both ways with tokens", async () => {
  const now = await server.clockNow();
  const out = await python(server.endpoint, `
logs = client('logs')
logs.create_log_group(logGroupName='ev')
logs.create_log_stream(logGroupName='ev', logStreamName='s')
now = ${now}
r = logs.put_log_events(logGroupName='ev', logStreamName='s', logEvents=[{'timestamp': now + i, 'message': 'line %d' % i} for i in range(5)])
r2 = logs.put_log_events(logGroupName='ev', logStreamName='s', logEvents=[{'timestamp': now + 5, 'message': 'line 5'}])
try:
    logs.put_log_events(logGroupName='ev', logStreamName='s', logEvents=[{'timestamp': now + 2, 'message': 'b'}, {'timestamp': now + 1, 'message': 'a'}])
    order = None
except botocore.exceptions.ClientError as e:
    order = [e.response['Error']['Code'], e.response['Error']['Message']]
old = logs.put_log_events(logGroupName='ev', logStreamName='s', logEvents=[{'timestamp': now - 15 * 86400000, 'message': 'old'}])
logs.put_log_events(logGroupName='ev', logStreamName='s', logEvents=[{'timestamp': now + 6, 'message': 'line 6'}])
head = logs.get_log_events(logGroupName='ev', logStreamName='s', startFromHead=True, limit=3)
nxt = logs.get_log_events(logGroupName='ev', logStreamName='s', nextToken=head['nextForwardToken'], limit=3)
end = logs.get_log_events(logGroupName='ev', logStreamName='s', nextToken=nxt['nextForwardToken'], limit=3)
end2 = logs.get_log_events(logGroupName='ev', logStreamName='s', nextToken=end['nextForwardToken'], limit=3)
tail = logs.get_log_events(logGroupName='ev', logStreamName='s', limit=2)
back = logs.get_log_events(logGroupName='ev', logStreamName='s', nextToken=tail['nextBackwardToken'], limit=2)
window = logs.get_log_events(logGroupName='ev', logStreamName='s', startTime=now + 1, endTime=now + 3, startFromHead=True)
st = logs.describe_log_streams(logGroupName='ev')['logStreams'][0]
print(json.dumps({'token': len(r['nextSequenceToken']), 'rejected': r.get('rejectedLogEventsInfo'), 'order': order,
  'old': old.get('rejectedLogEventsInfo'),
  'head': [e['message'] for e in head['events']], 'next': [e['message'] for e in nxt['events']],
  'end': [e['message'] for e in end['events']], 'end2': [e['message'] for e in end2['events']], 'same': end2['nextForwardToken'] == end['nextForwardToken'],
  'tail': [e['message'] for e in tail['events']], 'back': [e['message'] for e in back['events']],
  'window': [e['message'] for e in window['events']], 'ingested': 'ingestionTime' in head['events'][0],
  'first': st['firstEventTimestamp'] - now, 'last': st['lastEventTimestamp'] - now}))
`);
  assert.equal(out.token, 56);
  assert.equal(out.rejected, null);
  assert.deepEqual(out.order, ["InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order."]);
  assert.deepEqual(out.old, { tooOldLogEventEndIndex: 0 });
  assert.deepEqual(out.head, ["line 0", "line 1", "line 2"]);
  assert.deepEqual(out.next, ["line 3", "line 4", "line 5"]);
  assert.deepEqual(out.end, ["line 6"]);
  assert.deepEqual(out.end2, []);
  assert.equal(out.same, true);
  assert.deepEqual(out.tail, ["line 5", "line 6"]);
  assert.deepEqual(out.back, ["line 3", "line 4"]);
  assert.deepEqual(out.window, ["line 1", "line 2"]);
  assert.equal(out.ingested, true);
  assert.equal(out.first, 0);
  assert.equal(out.last, 6);
});

test("FilterLogEvents: terms, quoted phrases, exclusions, ?alternatives, pages (AWS CLI)", async () => {
  const now = await server.clockNow();
  await awsCli(server.endpoint, ["logs", "create-log-group", "--log-group-name", "flt"]);
  for (const stream of ["one", "two"]) await awsCli(server.endpoint, ["logs", "create-log-stream", "--log-group-name", "flt", "--log-stream-name", stream]);
  const put = (stream: string, events: [number, string][]) =>
    awsCli(server.endpoint, ["logs", "put-log-events", "--log-group-name", "flt", "--log-stream-name", stream, "--log-events",
      JSON.stringify(events.map(([t, message]) => ({ timestamp: now + t, message })))]);
  await put("one", [[0, "ERROR request failed id=1"], [2, "INFO all good"], [4, "ERROR Retry scheduled"]]);
  await put("two", [[1, "WARN slow request"], [3, "ERROR request failed id=2"], [5, '{"level":"error","ms":250}']]);
  const filter = async (...args: string[]) =>
    ((await awsCli(server.endpoint, ["logs", "filter-log-events", "--log-group-name", "flt", ...args])).events as { message: string }[]).map((e) => e.message);
  assert.deepEqual(await filter("--filter-pattern", "ERROR"), ["ERROR request failed id=1", "ERROR request failed id=2", "ERROR Retry scheduled"]);
  assert.deepEqual(await filter("--filter-pattern", '"request failed" -id=2'), ["ERROR request failed id=1"]);
  assert.deepEqual(await filter("--filter-pattern", "ERROR -Retry", "--log-stream-names", "one"), ["ERROR request failed id=1"]);
  assert.deepEqual(await filter("--filter-pattern", "?WARN ?INFO"), ["WARN slow request", "INFO all good"]);
  assert.deepEqual(await filter("--filter-pattern", "{ $.ms > 100 }"), ['{"level":"error","ms":250}']);
  assert.deepEqual(await filter("--start-time", String(now + 2), "--end-time", String(now + 4)), ["INFO all good", "ERROR request failed id=2"]);
  // Pages: boto3 follows nextToken.
  const paged = await python(server.endpoint, `
logs = client('logs')
pages = []
kw = {'logGroupName': 'flt', 'limit': 4}
while True:
    r = logs.filter_log_events(**kw)
    pages.append(len(r['events']))
    if 'nextToken' not in r: break
    kw['nextToken'] = r['nextToken']
print(json.dumps({'pages': pages, 'searched': sorted(s['logStreamName'] for s in r['searchedLogStreams']), 'id': len(r['events'][0]['eventId'])}))
`);
  assert.deepEqual(paged, { pages: [4, 2], searched: ["one", "two"], id: 56 });
  const got = await awsCli(server.endpoint, ["logs", "get-log-events", "--log-group-name", "flt", "--log-stream-name", "two", "--start-from-head"]);
  assert.deepEqual(got.events.map((e: { message: string }) => e.message), ["WARN slow request", "ERROR request failed id=2", '{"level":"error","ms":250}']);
});

test("retention: PutRetentionPolicy validates days, expires events on the clock; DeleteRetentionPolicy", async () => {
  const now = await server.clockNow();
  const out = await python(server.endpoint, `
logs = client('logs')
logs.create_log_group(logGroupName='ret')
logs.create_log_stream(logGroupName='ret', logStreamName='s')
try:
    logs.put_retention_policy(logGroupName='ret', retentionInDays=2)
    bad = None
except botocore.exceptions.ClientError as e:
    bad = e.response['Error']['Code']
logs.put_retention_policy(logGroupName='ret', retentionInDays=1)
logs.put_log_events(logGroupName='ret', logStreamName='s', logEvents=[{'timestamp': ${now}, 'message': 'early'}, {'timestamp': ${now} + 3600000, 'message': 'later'}])
print(json.dumps({'bad': bad, 'days': logs.describe_log_groups(logGroupNamePrefix='ret')['logGroups'][0]['retentionInDays']}))
`);
  assert.deepEqual(out, { bad: "InvalidParameterException", days: 1 });
  await server.advanceClock(86400 + 1800);
  const after = await awsCli(server.endpoint, ["logs", "get-log-events", "--log-group-name", "ret", "--log-stream-name", "s", "--start-from-head"]);
  assert.deepEqual(after.events.map((e: { message: string }) => e.message), ["later"]);
  await awsCli(server.endpoint, ["logs", "delete-retention-policy", "--log-group-name", "ret"]);
  const groups = await awsCli(server.endpoint, ["logs", "describe-log-groups", "--log-group-name-prefix", "ret"]);
  assert.equal(groups.logGroups[0].retentionInDays, undefined);
});

test("a Lambda function's output lands in /aws/lambda/<name>, one stream per worker, with START/END/REPORT", async () => {
  const lambda = server.client(LambdaClient);
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "logger", Runtime: "nodejs20.x", Role: "arn:aws:iam::000000000000:role/r", Handler: "index.handler",
    Code: { ZipFile: zipSync({ "index.js": strToU8("exports.handler = async (e) => { console.log('hello from', e.n); return e.n; };") }) },
  }));
  for (const n of [1, 2]) await lambda.send(new InvokeCommand({ FunctionName: "logger", Payload: Buffer.from(JSON.stringify({ n })) }));
  let streams: { logStreamName: string }[] = [];
  let messages: string[] = [];
  for (let i = 0; i < 100; i++) {
    const described = await python(server.endpoint, `
logs = client('logs')
try:
    s = logs.describe_log_streams(logGroupName='/aws/lambda/logger')['logStreams']
    ev = logs.get_log_events(logGroupName='/aws/lambda/logger', logStreamName=s[0]['logStreamName'], startFromHead=True)['events'] if s else []
except logs.exceptions.ResourceNotFoundException:
    s, ev = [], []
print(json.dumps({'streams': s, 'messages': [e['message'] for e in ev]}))
`);
    streams = described.streams;
    messages = described.messages;
    if (messages.filter((m) => m.startsWith("REPORT")).length === 2) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(streams.length, 1);
  assert.match(streams[0].logStreamName, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  assert.match(messages[0], /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
  assert.match(messages[1], /\tINFO\thello from 1$/);
  assert.match(messages[2], /^END RequestId: /);
  assert.match(messages[3], /^REPORT RequestId: .*\tInit Duration: /);
  assert.match(messages[5], /\tINFO\thello from 2$/);
  assert.equal(messages.filter((m) => m.startsWith("REPORT")).length, 2);
  const filtered = await awsCli(server.endpoint, ["logs", "filter-log-events", "--log-group-name", "/aws/lambda/logger", "--filter-pattern", '"hello from"']);
  assert.equal(filtered.events.length, 2);
});
