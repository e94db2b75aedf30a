import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

// DynamoDB Streams. Most tests speak the JSON 1.0 wire protocol with fetch, to
// assert the records exactly as they cross the wire; one goes through
// @aws-sdk/client-dynamodb-streams, and one through boto3's 'dynamodbstreams'
// client. Record shapes: the
// DynamoDB Streams API reference (Record, StreamRecord) and "Change data capture
// for DynamoDB Streams" in the developer guide.

const server = await useTestServer();
const ddb = server.client(DynamoDBClient);
const streamsClient = server.client(DynamoDBStreamsClient);

async function streams(operation: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(server.endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDBStreams_20120810.${operation}`,
      authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00",
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function streamTable(name: string, view: string): Promise<string> {
  const created = await ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: view as "NEW_IMAGE" },
  }));
  return created.TableDescription!.LatestStreamArn!;
}

async function allRecords(arn: string, type = "TRIM_HORIZON", extra: Record<string, unknown> = {}): Promise<any[]> {
  const d = await streams("DescribeStream", { StreamArn: arn });
  const shardId = d.json.StreamDescription.Shards[0].ShardId;
  const it = await streams("GetShardIterator", { StreamArn: arn, ShardId: shardId, ShardIteratorType: type, ...extra });
  const r = await streams("GetRecords", { ShardIterator: it.json.ShardIterator });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.Records;
}

describe("DynamoDB Streams", () => {
  it("records INSERT, MODIFY and REMOVE with both images, and nothing for an identical put", async () => {
    const arn = await streamTable("st1", "NEW_AND_OLD_IMAGES");
    assert.match(arn, /^arn:aws:dynamodb:us-east-1:000000000000:table\/st1\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    await ddb.send(new PutItemCommand({ TableName: "st1", Item: { pk: { S: "a" }, v: { N: "1" } } }));
    await ddb.send(new PutItemCommand({ TableName: "st1", Item: { pk: { S: "a" }, v: { N: "1" } } }));
    await ddb.send(new UpdateItemCommand({ TableName: "st1", Key: { pk: { S: "a" } }, UpdateExpression: "SET v = v + :one", ExpressionAttributeValues: { ":one": { N: "1" } } }));
    await ddb.send(new DeleteItemCommand({ TableName: "st1", Key: { pk: { S: "a" } } }));
    await ddb.send(new DeleteItemCommand({ TableName: "st1", Key: { pk: { S: "missing" } } }));
    const records = await allRecords(arn);
    assert.deepEqual(records.map((r) => r.eventName), ["INSERT", "MODIFY", "REMOVE"]);
    const [insert, modify, remove] = records;
    assert.equal(insert.eventVersion, "1.1");
    assert.equal(insert.eventSource, "aws:dynamodb");
    assert.equal(insert.awsRegion, "us-east-1");
    assert.match(insert.eventID, /^[0-9a-f]{32}$/);
    assert.deepEqual(insert.dynamodb.Keys, { pk: { S: "a" } });
    assert.deepEqual(insert.dynamodb.NewImage, { pk: { S: "a" }, v: { N: "1" } });
    assert.equal(insert.dynamodb.OldImage, undefined);
    assert.equal(insert.dynamodb.StreamViewType, "NEW_AND_OLD_IMAGES");
    assert.equal(typeof insert.dynamodb.ApproximateCreationDateTime, "number");
    assert.ok(insert.dynamodb.SizeBytes > 0);
    assert.deepEqual(modify.dynamodb.OldImage, { pk: { S: "a" }, v: { N: "1" } });
    assert.deepEqual(modify.dynamodb.NewImage, { pk: { S: "a" }, v: { N: "2" } });
    assert.deepEqual(remove.dynamodb.OldImage, { pk: { S: "a" }, v: { N: "2" } });
    assert.equal(remove.dynamodb.NewImage, undefined);
    const seqs = records.map((r) => r.dynamodb.SequenceNumber as string);
    for (const s of seqs) assert.match(s, /^\d{21,}$/);
    assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!);
    assert.equal(insert.userIdentity, undefined);
  });

  it("shapes images by StreamViewType", async () => {
    for (const view of ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE"]) {
      const name = `st-${view.toLowerCase().replace("_", "")}`;
      const arn = await streamTable(name, view);
      await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: "k" }, v: { S: "one" } } }));
      await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: "k" }, v: { S: "two" } } }));
      const [, modify] = await allRecords(arn);
      assert.equal(modify.eventName, "MODIFY");
      assert.deepEqual(modify.dynamodb.Keys, { pk: { S: "k" } });
      assert.deepEqual(modify.dynamodb.NewImage, view === "NEW_IMAGE" ? { pk: { S: "k" }, v: { S: "two" } } : undefined, view);
      assert.deepEqual(modify.dynamodb.OldImage, view === "OLD_IMAGE" ? { pk: { S: "k" }, v: { S: "one" } } : undefined, view);
    }
  });

  it("lists and describes streams, iterates by sequence number, and pages with Limit", async () => {
    const arn = await streamTable("st2", "NEW_IMAGE");
    for (let i = 0; i < 5; i++) await ddb.send(new PutItemCommand({ TableName: "st2", Item: { pk: { S: `k${i}` } } }));
    const listed = await streams("ListStreams", { TableName: "st2" });
    assert.deepEqual(listed.json.Streams, [{ StreamArn: arn, TableName: "st2", StreamLabel: arn.split("/stream/")[1] }]);
    const d = (await streams("DescribeStream", { StreamArn: arn })).json.StreamDescription;
    assert.equal(d.StreamStatus, "ENABLED");
    assert.equal(d.StreamViewType, "NEW_IMAGE");
    assert.equal(d.TableName, "st2");
    assert.deepEqual(d.KeySchema, [{ AttributeName: "pk", KeyType: "HASH" }]);
    assert.equal(d.Shards.length, 1);
    assert.match(d.Shards[0].ShardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.equal(d.Shards[0].SequenceNumberRange.EndingSequenceNumber, undefined);
    const all = await allRecords(arn);
    assert.equal(d.Shards[0].SequenceNumberRange.StartingSequenceNumber, all[0].dynamodb.SequenceNumber);
    const third = all[2].dynamodb.SequenceNumber;
    assert.deepEqual((await allRecords(arn, "AT_SEQUENCE_NUMBER", { SequenceNumber: third })).map((r) => r.dynamodb.Keys.pk.S), ["k2", "k3", "k4"]);
    assert.deepEqual((await allRecords(arn, "AFTER_SEQUENCE_NUMBER", { SequenceNumber: third })).map((r) => r.dynamodb.Keys.pk.S), ["k3", "k4"]);
    assert.deepEqual(await allRecords(arn, "LATEST"), []);
    // Limit and NextShardIterator.
    const it = await streams("GetShardIterator", { StreamArn: arn, ShardId: d.Shards[0].ShardId, ShardIteratorType: "TRIM_HORIZON" });
    const p1 = await streams("GetRecords", { ShardIterator: it.json.ShardIterator, Limit: 2 });
    assert.equal(p1.json.Records.length, 2);
    const p2 = await streams("GetRecords", { ShardIterator: p1.json.NextShardIterator, Limit: 10 });
    assert.deepEqual(p2.json.Records.map((r: any) => r.dynamodb.Keys.pk.S), ["k2", "k3", "k4"]);
    const latest = await streams("GetShardIterator", { StreamArn: arn, ShardId: d.Shards[0].ShardId, ShardIteratorType: "LATEST" });
    await ddb.send(new PutItemCommand({ TableName: "st2", Item: { pk: { S: "later" } } }));
    const p3 = await streams("GetRecords", { ShardIterator: latest.json.ShardIterator });
    assert.deepEqual(p3.json.Records.map((r: any) => r.dynamodb.Keys.pk.S), ["later"]);
  });

  it("answers AWS's errors: unknown stream, expired iterator, trimmed records", async () => {
    const missing = await streams("DescribeStream", { StreamArn: "arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2024-01-01T00:00:00.000" });
    assert.equal(missing.status, 400);
    assert.match(missing.json.__type, /(^|#)ResourceNotFoundException$/);
    assert.equal(missing.json.message, "Requested resource not found: Stream: arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/2024-01-01T00:00:00.000 not found");
    const arn = await streamTable("st3", "KEYS_ONLY");
    await ddb.send(new PutItemCommand({ TableName: "st3", Item: { pk: { S: "old" } } }));
    const d = (await streams("DescribeStream", { StreamArn: arn })).json.StreamDescription;
    const it = await streams("GetShardIterator", { StreamArn: arn, ShardId: d.Shards[0].ShardId, ShardIteratorType: "TRIM_HORIZON" });
    const seq = (await allRecords(arn))[0].dynamodb.SequenceNumber;
    await server.advanceClock(16 * 60);
    const expired = await streams("GetRecords", { ShardIterator: it.json.ShardIterator });
    assert.equal(expired.status, 400);
    assert.match(expired.json.__type, /(^|#)ExpiredIteratorException$/);
    // 24-hour retention: the record is gone, and asking for it is TrimmedDataAccess.
    await server.advanceClock(24 * 3600);
    assert.deepEqual(await allRecords(arn), []);
    const trimmed = await streams("GetShardIterator", { StreamArn: arn, ShardId: d.Shards[0].ShardId, ShardIteratorType: "AT_SEQUENCE_NUMBER", SequenceNumber: seq });
    assert.match(trimmed.json.__type, /(^|#)TrimmedDataAccessException$/);
  });

  it("disabling a stream closes its shard; UpdateTable opens a new stream; TTL deletions are the service's", async () => {
    await ddb.send(new CreateTableCommand({
      TableName: "st4", AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST",
    }));
    const on = await ddb.send(new UpdateTableCommand({ TableName: "st4", StreamSpecification: { StreamEnabled: true, StreamViewType: "OLD_IMAGE" } }));
    const arn = on.TableDescription!.LatestStreamArn!;
    assert.ok(arn);
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: "st4", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } }));
    const now = Math.floor((await server.clockNow()) / 1000);
    await ddb.send(new PutItemCommand({ TableName: "st4", Item: { pk: { S: "t" }, exp: { N: String(now + 10) } } }));
    await server.advanceClock(120);
    const records = await allRecords(arn);
    assert.deepEqual(records.map((r) => r.eventName), ["INSERT", "REMOVE"]);
    assert.deepEqual(records[1].userIdentity, { Type: "Service", PrincipalId: "dynamodb.amazonaws.com" });
    assert.deepEqual(records[1].dynamodb.OldImage, { pk: { S: "t" }, exp: { N: String(now + 10) } });
    await ddb.send(new UpdateTableCommand({ TableName: "st4", StreamSpecification: { StreamEnabled: false } }));
    const d = (await streams("DescribeStream", { StreamArn: arn })).json.StreamDescription;
    assert.equal(d.StreamStatus, "DISABLED");
    assert.equal(d.Shards[0].SequenceNumberRange.EndingSequenceNumber, records[1].dynamodb.SequenceNumber);
    const described = await ddb.send(new DescribeTableCommand({ TableName: "st4" }));
    assert.equal(described.Table?.LatestStreamArn, arn);
  });

  it("works with boto3's dynamodbstreams client", async () => {
    const arn = await streamTable("st5", "NEW_AND_OLD_IMAGES");
    await ddb.send(new PutItemCommand({ TableName: "st5", Item: { pk: { S: "py" }, b: { B: Buffer.from("hi") } } }));
    const out = await python(server.endpoint, `
s = client('dynamodbstreams')
arn = ${JSON.stringify(arn)}
streams = s.list_streams(TableName='st5')['Streams']
d = s.describe_stream(StreamArn=arn)['StreamDescription']
it = s.get_shard_iterator(StreamArn=arn, ShardId=d['Shards'][0]['ShardId'], ShardIteratorType='TRIM_HORIZON')['ShardIterator']
r = s.get_records(ShardIterator=it)
rec = r['Records'][0]
try:
    s.describe_stream(StreamArn=arn + 'x')
    err = None
except botocore.exceptions.ClientError as e:
    err = e.response['Error']
print(json.dumps({'n': len(streams), 'status': d['StreamStatus'], 'event': rec['eventName'], 'b': rec['dynamodb']['NewImage']['b']['B'].decode(),
  'when': type(rec['dynamodb']['ApproximateCreationDateTime']).__name__, 'next': 'NextShardIterator' in r, 'err': err}))
`);
    assert.deepEqual(out, {
      n: 1, status: "ENABLED", event: "INSERT", b: "hi", when: "datetime", next: true,
      err: { Code: "ResourceNotFoundException", Message: `Requested resource not found: Stream: ${arn}x not found` },
    });
  });

  it("works with @aws-sdk/client-dynamodb-streams", async () => {
    const arn = await streamTable("st6", "NEW_AND_OLD_IMAGES");
    await ddb.send(new PutItemCommand({ TableName: "st6", Item: { pk: { S: "js" }, n: { N: "1" }, b: { B: Buffer.from("hi") } } }));
    await ddb.send(new UpdateItemCommand({ TableName: "st6", Key: { pk: { S: "js" } }, UpdateExpression: "SET n = n + :one", ExpressionAttributeValues: { ":one": { N: "1" } } }));
    const listed = await streamsClient.send(new ListStreamsCommand({ TableName: "st6" }));
    assert.deepEqual(listed.Streams, [{ StreamArn: arn, TableName: "st6", StreamLabel: arn.split("/stream/")[1] }]);
    const d = (await streamsClient.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    assert.equal(d.StreamStatus, "ENABLED");
    assert.equal(d.StreamViewType, "NEW_AND_OLD_IMAGES");
    assert.ok(d.CreationRequestDateTime instanceof Date);
    const shardId = d.Shards![0]!.ShardId!;
    const { ShardIterator } = await streamsClient.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" }));
    const page = await streamsClient.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(page.Records?.map((r) => r.eventName), ["INSERT", "MODIFY"]);
    const [insert, modify] = page.Records!;
    assert.ok(insert!.dynamodb?.ApproximateCreationDateTime instanceof Date);
    assert.deepEqual(Buffer.from(insert!.dynamodb!.NewImage!.b!.B!).toString(), "hi");
    assert.deepEqual(modify!.dynamodb?.OldImage?.n, { N: "1" });
    assert.deepEqual(modify!.dynamodb?.NewImage?.n, { N: "2" });
    assert.ok(page.NextShardIterator);
    const after = await streamsClient.send(new GetShardIteratorCommand({
      StreamArn: arn, ShardId: shardId, ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: insert!.dynamodb!.SequenceNumber!,
    }));
    const rest = await streamsClient.send(new GetRecordsCommand({ ShardIterator: after.ShardIterator }));
    assert.deepEqual(rest.Records?.map((r) => r.eventName), ["MODIFY"]);
    await assertAwsError(streamsClient.send(new DescribeStreamCommand({ StreamArn: `${arn}x` })), {
      code: "ResourceNotFoundException", message: `Requested resource not found: Stream: ${arn}x not found`,
    });
  });
});
