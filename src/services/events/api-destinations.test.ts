import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import {
  CreateApiDestinationCommand, CreateConnectionCommand, DeauthorizeConnectionCommand, DeleteApiDestinationCommand, DeleteConnectionCommand,
  DescribeApiDestinationCommand, DescribeConnectionCommand, EventBridgeClient, ListApiDestinationsCommand, ListConnectionsCommand,
  PutEventsCommand, PutRuleCommand, PutTargetsCommand, UpdateApiDestinationCommand, UpdateConnectionCommand, type Target,
} from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";
import { rateDelay } from "./api-destination-delivery.js";
import type { ApiDestinationRecord } from "./records.js";
import type { EventsStore } from "./store.js";

// Connections and API destinations through the real client, and rule targets that are
// API destinations: real HTTP requests to a server the test runs, with the connection's
// authorization and parameters, the target's HttpParameters, AWS's retry rules (401, 407,
// 409, 429 and 5xx retried, other 4xx not; Retry-After honoured) and the dead-letter queue.

const server = await useTestServer();
const events = server.client(EventBridgeClient);
const sqs = server.client(SQSClient);

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** The endpoint the API destinations call: records requests and answers the next scripted status. */
const seen: Seen[] = [];
const statuses: number[] = [];
/** Retry-After headers to answer with, beside the scripted statuses. */
const retryAfters: Array<string | undefined> = [];
let tokens = 0;
const tokenRequests: Seen[] = [];
const http = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const entry = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
    if (req.url!.startsWith("/oauth/token")) {
      tokenRequests.push(entry);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: `tok-${++tokens}`, token_type: "bearer", expires_in: 3600 }));
      return;
    }
    seen.push(entry);
    const retryAfter = retryAfters.shift();
    res.writeHead(statuses.shift() ?? 200, retryAfter !== undefined ? { "retry-after": retryAfter } : {}).end("{}");
  });
});
await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
after(() => new Promise<void>((r) => http.close(() => r())));

/** Waits for the endpoint to have seen what the test expects, then lets Terrarium handle
 *  its answer (and arm any retry) before the test moves the clock. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 30));
}

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  return { url, arn: attrs.Attributes!.QueueArn! };
}

async function receive(QueueUrl: string) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 43200, MessageAttributeNames: ["All"] }))).Messages ?? [];
}

/** A queue's messages once there are some (deliveries to HTTP endpoints finish after PutEvents answers). */
async function receiveSoon(QueueUrl: string) {
  let messages: Awaited<ReturnType<typeof receive>> = [];
  for (let i = 0; i < 100 && messages.length === 0; i++) messages = await receive(QueueUrl);
  return messages;
}

async function basicConnection(Name: string): Promise<string> {
  const out = await events.send(new CreateConnectionCommand({
    Name, AuthorizationType: "BASIC",
    AuthParameters: {
      BasicAuthParameters: { Username: "user", Password: "pass" },
      InvocationHttpParameters: {
        HeaderParameters: [{ Key: "x-conn", Value: "from-connection", IsValueSecret: false }, { Key: "x-shared", Value: "connection-wins", IsValueSecret: true }],
        QueryStringParameters: [{ Key: "cq", Value: "1", IsValueSecret: false }],
        BodyParameters: [{ Key: "extra", Value: "added", IsValueSecret: false }],
      },
    },
  }));
  return out.ConnectionArn!;
}

/** A rule on source `source` whose one target is the API destination, and a DLQ for it. */
async function ruleToDestination(name: string, destinationArn: string, target: Partial<Target> = {}) {
  const dlq = await queue(`${name}-dlq`);
  await events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [name] }) }));
  const put = await events.send(new PutTargetsCommand({
    Rule: name, Targets: [{ Id: "api", Arn: destinationArn, DeadLetterConfig: { Arn: dlq.arn }, ...target }],
  }));
  assert.equal(put.FailedEntryCount, 0);
  return dlq;
}

describe("EventBridge connections", () => {
  it("creates, describes without secrets, lists, updates, deauthorizes and deletes", async () => {
    const arn = await basicConnection("conn-basic");
    assert.match(arn, /^arn:aws:events:us-east-1:000000000000:connection\/conn-basic\/[0-9a-f-]{36}$/);
    await assertAwsError(events.send(new CreateConnectionCommand({
      Name: "conn-basic", AuthorizationType: "API_KEY", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "k", ApiKeyValue: "v" } },
    })), { code: "ResourceAlreadyExistsException", message: "Connection conn-basic already exists." });
    const d = await events.send(new DescribeConnectionCommand({ Name: "conn-basic" }));
    assert.equal(d.ConnectionState, "AUTHORIZED");
    assert.equal(d.AuthorizationType, "BASIC");
    assert.match(d.SecretArn!, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection\/conn-basic\//);
    assert.deepEqual(d.AuthParameters!.BasicAuthParameters, { Username: "user" });
    assert.deepEqual(d.AuthParameters!.InvocationHttpParameters!.HeaderParameters, [
      { Key: "x-conn", Value: "from-connection", IsValueSecret: false }, { Key: "x-shared", IsValueSecret: true },
    ]);
    assert.ok(d.LastAuthorizedTime instanceof Date);

    await events.send(new CreateConnectionCommand({ Name: "conn-key", AuthorizationType: "API_KEY", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "x-api-key", ApiKeyValue: "secret" } } }));
    const listed = await events.send(new ListConnectionsCommand({ NamePrefix: "conn-", Limit: 1 }));
    assert.deepEqual(listed.Connections!.map((c) => c.Name), ["conn-basic"]);
    const rest = await events.send(new ListConnectionsCommand({ NamePrefix: "conn-", NextToken: listed.NextToken }));
    assert.deepEqual(rest.Connections!.map((c) => [c.Name, c.AuthorizationType, c.ConnectionState]), [["conn-key", "API_KEY", "AUTHORIZED"]]);

    const updated = await events.send(new UpdateConnectionCommand({ Name: "conn-key", Description: "d", AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: "new" } } }));
    assert.equal(updated.ConnectionState, "AUTHORIZED");
    const key = await events.send(new DescribeConnectionCommand({ Name: "conn-key" }));
    assert.deepEqual([key.Description, key.AuthParameters!.ApiKeyAuthParameters], ["d", { ApiKeyName: "x-api-key" }]);

    assert.equal((await events.send(new DeauthorizeConnectionCommand({ Name: "conn-key" }))).ConnectionState, "DEAUTHORIZING");
    assert.equal((await events.send(new DescribeConnectionCommand({ Name: "conn-key" }))).ConnectionState, "DEAUTHORIZED");
    assert.deepEqual((await events.send(new ListConnectionsCommand({ ConnectionState: "DEAUTHORIZED" }))).Connections!.map((c) => c.Name), ["conn-key"]);
    assert.equal((await events.send(new DeleteConnectionCommand({ Name: "conn-key" }))).ConnectionState, "DELETING");
    await assertAwsError(events.send(new DescribeConnectionCommand({ Name: "conn-key" })), {
      code: "ResourceNotFoundException", message: "Failed to describe the connection(s). Connection 'conn-key' does not exist.", status: 400,
    });
  });

  it("refuses auth parameters that do not fit the authorization type", async () => {
    await assertAwsError(events.send(new CreateConnectionCommand({
      Name: "conn-bad", AuthorizationType: "BASIC", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "k", ApiKeyValue: "v" } },
    })), { code: "ValidationException" });
    await assertAwsError(events.send(new CreateConnectionCommand({
      Name: "conn-bad", AuthorizationType: "NOPE" as never, AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "k", ApiKeyValue: "v" } },
    })), { code: "ValidationException", message: /Member must satisfy enum value set/ });
  });
});

describe("EventBridge connections through boto3", () => {
  it("answers boto3 with the shapes it expects", async () => {
    const out = await python(server.endpoint, `
e = client('events')
c = e.create_connection(Name='py-conn', AuthorizationType='API_KEY', AuthParameters={'ApiKeyAuthParameters': {'ApiKeyName': 'x-key', 'ApiKeyValue': 'v'}})
d = e.create_api_destination(Name='py-dest', ConnectionArn=c['ConnectionArn'], InvocationEndpoint='https://example.com/*', HttpMethod='GET', InvocationRateLimitPerSecond=5)
got = e.describe_connection(Name='py-conn')
dest = e.describe_api_destination(Name='py-dest')
try:
    e.describe_api_destination(Name='nope')
    err = None
except botocore.exceptions.ClientError as x:
    err = [x.response['Error']['Code'], x.response['Error']['Message']]
print(json.dumps({'state': c['ConnectionState'], 'auth': got['AuthParameters'], 'created': type(got['CreationTime']).__name__,
                  'dest': [dest['ApiDestinationState'], dest['HttpMethod'], dest['InvocationRateLimitPerSecond']], 'err': err}))`);
    assert.deepEqual(out, {
      state: "AUTHORIZED", auth: { ApiKeyAuthParameters: { ApiKeyName: "x-key" } }, created: "datetime",
      dest: ["ACTIVE", "GET", 5], err: ["ResourceNotFoundException", "Failed to describe the api-destination(s). An api-destination 'nope' does not exist."],
    });
  });
});

describe("EventBridge API destinations", () => {
  it("manages API destinations and their errors", async () => {
    const connectionArn = await basicConnection("conn-dest");
    await assertAwsError(events.send(new CreateApiDestinationCommand({
      Name: "dest", ConnectionArn: connectionArn.replace("conn-dest", "conn-missing"), InvocationEndpoint: `${base}/x`, HttpMethod: "POST",
    })), { code: "ResourceNotFoundException", message: "Failed to describe the connection(s). Connection 'conn-missing' does not exist." });
    const created = await events.send(new CreateApiDestinationCommand({ Name: "dest", ConnectionArn: connectionArn, InvocationEndpoint: `${base}/x`, HttpMethod: "POST" }));
    assert.match(created.ApiDestinationArn!, /^arn:aws:events:us-east-1:000000000000:api-destination\/dest\/[0-9a-f-]{36}$/);
    assert.equal(created.ApiDestinationState, "ACTIVE");
    await assertAwsError(events.send(new CreateApiDestinationCommand({ Name: "dest", ConnectionArn: connectionArn, InvocationEndpoint: `${base}/x`, HttpMethod: "POST" })), {
      code: "ResourceAlreadyExistsException", message: "An api-destination 'dest' already exists.",
    });
    const d = await events.send(new DescribeApiDestinationCommand({ Name: "dest" }));
    assert.deepEqual([d.InvocationEndpoint, d.HttpMethod, d.InvocationRateLimitPerSecond, d.ConnectionArn], [`${base}/x`, "POST", 300, connectionArn]);
    await events.send(new UpdateApiDestinationCommand({ Name: "dest", HttpMethod: "PUT", InvocationRateLimitPerSecond: 10 }));
    const listed = await events.send(new ListApiDestinationsCommand({ ConnectionArn: connectionArn }));
    assert.deepEqual(listed.ApiDestinations!.map((a) => [a.Name, a.HttpMethod, a.InvocationRateLimitPerSecond]), [["dest", "PUT", 10]]);
    await events.send(new DeleteApiDestinationCommand({ Name: "dest" }));
    await assertAwsError(events.send(new DescribeApiDestinationCommand({ Name: "dest" })), {
      code: "ResourceNotFoundException", message: "Failed to describe the api-destination(s). An api-destination 'dest' does not exist.",
    });
  });

  it("calls the endpoint with the connection's auth and parameters and the target's HttpParameters", async () => {
    const connectionArn = await basicConnection("conn-call");
    const dest = await events.send(new CreateApiDestinationCommand({
      Name: "call", ConnectionArn: connectionArn, InvocationEndpoint: `${base}/orders/*/items/*?fixed=yes`, HttpMethod: "POST",
    }));
    await ruleToDestination("call", dest.ApiDestinationArn!, {
      HttpParameters: {
        PathParameterValues: ["$.detail.order", "static"],
        HeaderParameters: { "x-target": "t", "x-shared": "target-loses", "x-from-event": "$.detail.kind" },
        QueryStringParameters: { tq: "$.detail.order", cq: "target-loses" },
      },
    });
    seen.length = 0;
    const put = await events.send(new PutEventsCommand({ Entries: [{ Source: "call", DetailType: "t", Detail: JSON.stringify({ order: "o 1", kind: "big" }) }] }));
    await waitFor(() => seen.length === 1);
    assert.equal(seen.length, 1);
    const [req] = seen;
    assert.equal(req.method, "POST");
    const url = new URL(req.url, base);
    assert.equal(url.pathname, "/orders/o%201/items/static");
    assert.deepEqual(Object.fromEntries(url.searchParams), { fixed: "yes", tq: "o 1", cq: "1" });
    assert.equal(req.headers.authorization, `Basic ${Buffer.from("user:pass").toString("base64")}`);
    assert.equal(req.headers["user-agent"], "Amazon/EventBridge/ApiDestinations");
    assert.equal(req.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(req.headers.range, "bytes=0-1048575");
    assert.deepEqual([req.headers["x-conn"], req.headers["x-shared"], req.headers["x-target"], req.headers["x-from-event"]], ["from-connection", "connection-wins", "t", "big"]);
    const body = JSON.parse(req.body);
    assert.equal(body.id, put.Entries![0].EventId);
    assert.deepEqual(body.detail, { order: "o 1", kind: "big" });
    assert.equal(body.extra, "added");
  });

  it("waits out a Retry-After longer than the backoff, and stops retrying at a negative one", async () => {
    const connectionArn = await basicConnection("conn-retry-after");
    const dest = await events.send(new CreateApiDestinationCommand({ Name: "retry-after", ConnectionArn: connectionArn, InvocationEndpoint: `${base}/later`, HttpMethod: "POST" }));
    const dlq = await ruleToDestination("retry-after", dest.ApiDestinationArn!, { RetryPolicy: { MaximumRetryAttempts: 3 } });

    seen.length = 0;
    statuses.push(503, 200);
    retryAfters.push("30");
    await events.send(new PutEventsCommand({ Entries: [{ Source: "retry-after", DetailType: "t", Detail: '{"n":1}' }] }));
    await waitFor(() => seen.length === 1);
    await server.advanceClock(2);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(seen.length, 1, "the 1-second backoff is not enough: Retry-After asked for 30");
    await server.advanceClock(30);
    await waitFor(() => seen.length === 2);
    assert.equal(seen.length, 2);

    seen.length = 0;
    statuses.push(429);
    retryAfters.push("-1");
    await events.send(new PutEventsCommand({ Entries: [{ Source: "retry-after", DetailType: "t", Detail: '{"n":2}' }] }));
    const [stopped] = await receiveSoon(dlq.url);
    assert.equal(seen.length, 1);
    assert.equal(stopped.MessageAttributes!.RETRY_ATTEMPTS.StringValue, "0");
    assert.equal(stopped.MessageAttributes!.EXHAUSTED_RETRY_CONDITION, undefined);
  });

  it("retries 429 and 5xx answers within the RetryPolicy, and sends other 4xx to the DLQ at once", async () => {
    const connectionArn = await basicConnection("conn-retry");
    const dest = await events.send(new CreateApiDestinationCommand({ Name: "retry", ConnectionArn: connectionArn, InvocationEndpoint: `${base}/retry`, HttpMethod: "PUT" }));
    const dlq = await ruleToDestination("retry", dest.ApiDestinationArn!, { RetryPolicy: { MaximumRetryAttempts: 2 }, InputPath: "$.detail" });

    seen.length = 0;
    statuses.push(503, 200);
    await events.send(new PutEventsCommand({ Entries: [{ Source: "retry", DetailType: "t", Detail: '{"n":1}' }] }));
    await waitFor(() => seen.length === 1);
    assert.equal(seen.length, 1);
    await server.advanceClock(2);
    await waitFor(() => seen.length === 2);
    assert.deepEqual(seen.map((r) => [r.method, JSON.parse(r.body)]), [["PUT", { n: 1, extra: "added" }], ["PUT", { n: 1, extra: "added" }]]);
    assert.equal((await receive(dlq.url)).length, 0);

    seen.length = 0;
    statuses.push(400);
    await events.send(new PutEventsCommand({ Entries: [{ Source: "retry", DetailType: "t", Detail: '{"n":2}' }] }));
    const [refused] = await receiveSoon(dlq.url);
    assert.equal(seen.length, 1);
    assert.equal(refused.MessageAttributes!.ERROR_CODE.StringValue, "SDK_CLIENT_ERROR");
    assert.match(refused.MessageAttributes!.ERROR_MESSAGE.StringValue!, /400/);
    assert.equal(refused.MessageAttributes!.RETRY_ATTEMPTS.StringValue, "0");
    assert.equal(refused.MessageAttributes!.EXHAUSTED_RETRY_CONDITION, undefined);
    assert.deepEqual(JSON.parse(refused.Body!).detail, { n: 2 });

    seen.length = 0;
    statuses.push(429, 429, 429);
    await events.send(new PutEventsCommand({ Entries: [{ Source: "retry", DetailType: "t", Detail: '{"n":3}' }] }));
    await waitFor(() => seen.length === 1);
    await server.advanceClock(2);
    await waitFor(() => seen.length === 2);
    await server.advanceClock(3);
    await waitFor(() => seen.length === 3);
    const exhausted = await receiveSoon(dlq.url);
    assert.equal(seen.length, 3);
    assert.equal(exhausted[0].MessageAttributes!.EXHAUSTED_RETRY_CONDITION.StringValue, "MaximumRetryAttempts");
    assert.equal(exhausted[0].MessageAttributes!.RETRY_ATTEMPTS.StringValue, "2");
  });

  it("stops retrying once the event is older than MaximumEventAgeInSeconds", async () => {
    const connectionArn = await basicConnection("conn-age");
    const dest = await events.send(new CreateApiDestinationCommand({ Name: "age", ConnectionArn: connectionArn, InvocationEndpoint: `${base}/age`, HttpMethod: "POST" }));
    const dlq = await ruleToDestination("age", dest.ApiDestinationArn!, { RetryPolicy: { MaximumEventAgeInSeconds: 60 } });
    seen.length = 0;
    statuses.push(...Array.from({ length: 20 }, () => 500));
    await events.send(new PutEventsCommand({ Entries: [{ Source: "age", DetailType: "t", Detail: "{}" }] }));
    await waitFor(() => seen.length === 1);
    let dead: Awaited<ReturnType<typeof receive>> = [];
    for (let i = 0; i < 20 && dead.length === 0; i++) {
      const before = seen.length;
      await server.advanceClock(20);
      await waitFor(() => seen.length > before);
      dead = await receive(dlq.url);
    }
    statuses.length = 0;
    assert.equal(dead.length, 1);
    assert.equal(dead[0].MessageAttributes!.EXHAUSTED_RETRY_CONDITION.StringValue, "MaximumEventAgeInSeconds");
    assert.ok(seen.length > 1 && seen.length < 8, `attempts: ${seen.length}`);
  });

  it("authorizes OAuth connections at their endpoint and refreshes the token after a 401", async () => {
    const created = await events.send(new CreateConnectionCommand({
      Name: "conn-oauth", AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
      AuthParameters: {
        OAuthParameters: {
          ClientParameters: { ClientID: "client", ClientSecret: "shh" }, AuthorizationEndpoint: `${base}/oauth/token`, HttpMethod: "POST",
          OAuthHttpParameters: { BodyParameters: [{ Key: "grant_type", Value: "client_credentials", IsValueSecret: false }, { Key: "audience", Value: "api", IsValueSecret: true }] },
        },
      },
    }));
    assert.equal(created.ConnectionState, "AUTHORIZING");
    let state = "";
    for (let i = 0; i < 100 && state !== "AUTHORIZED"; i++) {
      state = (await events.send(new DescribeConnectionCommand({ Name: "conn-oauth" }))).ConnectionState!;
      if (state !== "AUTHORIZED") await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(state, "AUTHORIZED");
    const described = await events.send(new DescribeConnectionCommand({ Name: "conn-oauth" }));
    assert.deepEqual(described.AuthParameters!.OAuthParameters!.ClientParameters, { ClientID: "client" });
    const [tokenRequest] = tokenRequests;
    assert.equal(tokenRequest.headers.authorization, `Basic ${Buffer.from("client:shh").toString("base64")}`);
    assert.equal(tokenRequest.headers["content-type"], "application/x-www-form-urlencoded");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenRequest.body)), { grant_type: "client_credentials", audience: "api" });
    assert.deepEqual(described.AuthParameters!.OAuthParameters!.OAuthHttpParameters!.BodyParameters, [
      { Key: "grant_type", Value: "client_credentials", IsValueSecret: false }, { Key: "audience", IsValueSecret: true },
    ]);

    const dest = await events.send(new CreateApiDestinationCommand({ Name: "oauth", ConnectionArn: created.ConnectionArn, InvocationEndpoint: `${base}/oauth-call`, HttpMethod: "POST" }));
    await ruleToDestination("oauth", dest.ApiDestinationArn!, { RetryPolicy: { MaximumRetryAttempts: 1 } });
    seen.length = 0;
    statuses.push(401, 200);
    await events.send(new PutEventsCommand({ Entries: [{ Source: "oauth", DetailType: "t", Detail: "{}" }] }));
    await waitFor(() => seen.length === 1);
    await server.advanceClock(2);
    await waitFor(() => seen.length === 2);
    assert.deepEqual(seen.map((r) => r.headers.authorization), ["Bearer tok-1", "Bearer tok-2"]);
  });

  it("reports an endpoint that cannot be reached as AWS does, after the retries", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const connectionArn = await basicConnection("conn-gone");
    const dest = await events.send(new CreateApiDestinationCommand({ Name: "gone", ConnectionArn: connectionArn, InvocationEndpoint: `http://127.0.0.1:${port}/x`, HttpMethod: "POST" }));
    const dlq = await ruleToDestination("gone", dest.ApiDestinationArn!, { RetryPolicy: { MaximumRetryAttempts: 0 } });
    await events.send(new PutEventsCommand({ Entries: [{ Source: "gone", DetailType: "t", Detail: "{}" }] }));
    const [m] = await receiveSoon(dlq.url);
    assert.equal(m.MessageAttributes!.ERROR_CODE.StringValue, "SDK_CLIENT_ERROR");
    assert.equal(m.MessageAttributes!.ERROR_MESSAGE.StringValue, "Unable to invoke ApiDestination endpoint: API destination endpoint cannot be reached.");
    assert.equal(m.MessageAttributes!.EXHAUSTED_RETRY_CONDITION.StringValue, "MaximumRetryAttempts");
  });

  it("fails deliveries through a deauthorized connection without calling the endpoint", async () => {
    const connectionArn = await basicConnection("conn-off");
    const dest = await events.send(new CreateApiDestinationCommand({ Name: "off", ConnectionArn: connectionArn, InvocationEndpoint: `${base}/off`, HttpMethod: "POST" }));
    const dlq = await ruleToDestination("off", dest.ApiDestinationArn!);
    await events.send(new DeauthorizeConnectionCommand({ Name: "conn-off" }));
    assert.equal((await events.send(new DescribeApiDestinationCommand({ Name: "off" }))).ApiDestinationState, "INACTIVE");
    seen.length = 0;
    await events.send(new PutEventsCommand({ Entries: [{ Source: "off", DetailType: "t", Detail: "{}" }] }));
    const [m] = await receiveSoon(dlq.url);
    assert.equal(seen.length, 0);
    assert.equal(m.MessageAttributes!.ERROR_CODE.StringValue, "NO_PERMISSIONS");
  });
});

describe("API destination invocation rate", () => {
  it("holds invocations beyond InvocationRateLimitPerSecond for the following seconds", () => {
    let now = 10_000_250;
    const store = { clock: { now: () => now }, invocationWindows: new Map() } as unknown as EventsStore;
    const destination = { name: "limited", invocationRateLimitPerSecond: 2 } as ApiDestinationRecord;
    assert.deepEqual([1, 2, 3, 4, 5].map(() => rateDelay(store, destination)), [0, 0, 750, 750, 1750]);
    now += 5000;
    assert.equal(rateDelay(store, destination), 0);
  });
});
