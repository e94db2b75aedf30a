import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand,
  DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, QueryCommand, ScanCommand, TransactWriteItemsCommand,
  UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { assertAwsError, awsCli, python, useTestServer } from "../../../test/helpers.js";

// DynamoDB through the JS SDK v3, boto3 and the AWS CLI. Expected messages: the
// DynamoDB API reference and dynalite's recordings of AWS's answers.

const server = await useTestServer();
const ddb = server.client(DynamoDBClient);

async function table(name: string, extra: Record<string, unknown> = {}) {
  await ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }, { AttributeName: "g", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    GlobalSecondaryIndexes: [{ IndexName: "byG", KeySchema: [{ AttributeName: "g", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }], Projection: { ProjectionType: "KEYS_ONLY" } }],
    BillingMode: "PAY_PER_REQUEST",
    ...extra,
  }));
}

describe("DynamoDB tables", () => {
  it("creates, describes, lists and deletes tables", async () => {
    const created = await ddb.send(new CreateTableCommand({
      TableName: "tb1", AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }], ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }));
    assert.equal(created.TableDescription?.TableStatus, "CREATING");
    assert.equal(created.TableDescription?.TableArn, "arn:aws:dynamodb:us-east-1:000000000000:table/tb1");
    const described = await ddb.send(new DescribeTableCommand({ TableName: "tb1" }));
    assert.equal(described.Table?.TableStatus, "ACTIVE");
    await assertAwsError(ddb.send(new CreateTableCommand({
      TableName: "tb1", AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST",
    })), { code: "ResourceInUseException", message: "Table already exists: tb1" });
    for (const n of ["tb2", "tb3"]) {
      await ddb.send(new CreateTableCommand({ TableName: n, AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], KeySchema: [{ AttributeName: "id", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST" }));
    }
    const page = await ddb.send(new ListTablesCommand({ Limit: 2 }));
    assert.deepEqual(page.TableNames, ["tb1", "tb2"]);
    assert.equal(page.LastEvaluatedTableName, "tb2");
    const rest = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: "tb2" }));
    assert.ok(rest.TableNames?.includes("tb3") && !rest.TableNames.includes("tb2"));
    await ddb.send(new UpdateTableCommand({ TableName: "tb3", DeletionProtectionEnabled: true }));
    await assertAwsError(ddb.send(new DeleteTableCommand({ TableName: "tb3" })), { code: "ResourceInUseException" });
    const deleted = await ddb.send(new DeleteTableCommand({ TableName: "tb2" }));
    assert.equal(deleted.TableDescription?.TableStatus, "DELETING");
    await assertAwsError(ddb.send(new DescribeTableCommand({ TableName: "tb2" })), {
      code: "ResourceNotFoundException", message: "Requested resource not found: Table: tb2 not found",
    });
    await assertAwsError(ddb.send(new GetItemCommand({ TableName: "tb2", Key: { id: { S: "x" } } })), {
      code: "ResourceNotFoundException", message: "Requested resource not found",
    });
  });

  it("validates key schemas against attribute definitions with AWS's messages", async () => {
    await assertAwsError(ddb.send(new CreateTableCommand({
      TableName: "bad", AttributeDefinitions: [{ AttributeName: "y", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "x", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST",
    })), { code: "ValidationException", message: "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [x], AttributeDefinitions: [y]" });
    await assertAwsError(ddb.send(new CreateTableCommand({
      TableName: "bad", AttributeDefinitions: [{ AttributeName: "x", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "x", KeyType: "HASH" }],
    })), { code: "ValidationException", message: "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED" });
  });
});

describe("DynamoDB items", () => {
  it("puts, gets, updates and deletes with conditions and return values", async () => {
    await table("items");
    await ddb.send(new PutItemCommand({ TableName: "items", Item: { pk: { S: "a" }, sk: { N: "1.50" }, n: { N: "1" }, b: { B: new Uint8Array([1, 2]) } } }));
    const got = await ddb.send(new GetItemCommand({ TableName: "items", Key: { pk: { S: "a" }, sk: { N: "1.5" } } }));
    assert.deepEqual(got.Item?.sk, { N: "1.5" });
    assert.deepEqual(got.Item?.b, { B: new Uint8Array([1, 2]) });
    const updated = await ddb.send(new UpdateItemCommand({
      TableName: "items", Key: { pk: { S: "a" }, sk: { N: "1.5" } }, UpdateExpression: "SET n = n + :one, g = :g",
      ExpressionAttributeValues: { ":one": { N: "1" }, ":g": { S: "G" } }, ReturnValues: "UPDATED_NEW",
    }));
    assert.deepEqual(updated.Attributes, { n: { N: "2" }, g: { S: "G" } });
    await assertAwsError(ddb.send(new PutItemCommand({
      TableName: "items", Item: { pk: { S: "a" }, sk: { N: "1.5" } }, ConditionExpression: "attribute_not_exists(pk)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    })), { code: "ConditionalCheckFailedException", message: "The conditional request failed" });
    await assertAwsError(ddb.send(new PutItemCommand({ TableName: "items", Item: { pk: { S: "a" } } })), {
      code: "ValidationException", message: "One or more parameter values were invalid: Missing the key sk in the item",
    });
    await assertAwsError(ddb.send(new PutItemCommand({ TableName: "items", Item: { pk: { S: "a" }, sk: { S: "x" } } })), {
      code: "ValidationException", message: "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S",
    });
    await assertAwsError(ddb.send(new GetItemCommand({ TableName: "items", Key: { pk: { S: "a" } } })), {
      code: "ValidationException", message: "The provided key element does not match the schema",
    });
    await assertAwsError(ddb.send(new PutItemCommand({ TableName: "items", Item: { pk: { S: "a" }, sk: { N: "2" }, big: { S: "x".repeat(400 * 1024) } } })), {
      code: "ValidationException", message: "Item size has exceeded the maximum allowed size",
    });
    await assertAwsError(ddb.send(new GetItemCommand({ TableName: "items", Key: { pk: { S: "a" }, sk: { N: "1" } }, AttributesToGet: ["n"], ProjectionExpression: "n" })), {
      code: "ValidationException",
      message: "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
    });
    await assertAwsError(ddb.send(new UpdateItemCommand({ TableName: "items", Key: { pk: { S: "a" }, sk: { N: "1.5" } }, UpdateExpression: "SET pk = :v", ExpressionAttributeValues: { ":v": { S: "b" } } })), {
      code: "ValidationException", message: "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
    });
    const del = await ddb.send(new DeleteItemCommand({ TableName: "items", Key: { pk: { S: "a" }, sk: { N: "1.5" } }, ReturnValues: "ALL_OLD", ReturnConsumedCapacity: "TOTAL" }));
    assert.equal(del.Attributes?.n?.N, "2");
    assert.deepEqual(del.ConsumedCapacity?.CapacityUnits, 2); // table + GSI write
  });

  it("queries in numeric sort order, pages, filters, counts and queries a sparse GSI", async () => {
    await table("qry");
    const sks = ["-10", "-1.5", "0", "0.25", "1", "2", "10", "1e3"];
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { qry: sks.map((sk, i) => ({ PutRequest: { Item: { pk: { S: "p" }, sk: { N: sk }, ...(i % 2 ? { g: { S: "odd" } } : {}) } } })) } }));
    await ddb.send(new PutItemCommand({ TableName: "qry", Item: { pk: { S: "other" }, sk: { N: "5" } } }));
    const all = await ddb.send(new QueryCommand({ TableName: "qry", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } } }));
    assert.deepEqual(all.Items?.map((i) => i.sk?.N), ["-10", "-1.5", "0", "0.25", "1", "2", "10", "1000"]);
    const between = await ddb.send(new QueryCommand({ TableName: "qry", KeyConditionExpression: "pk = :p AND sk BETWEEN :a AND :b", ExpressionAttributeValues: { ":p": { S: "p" }, ":a": { N: "-1.5" }, ":b": { N: "2" } }, ScanIndexForward: false }));
    assert.deepEqual(between.Items?.map((i) => i.sk?.N), ["2", "1", "0.25", "0", "-1.5"]);
    const first = await ddb.send(new QueryCommand({ TableName: "qry", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } }, Limit: 3 }));
    assert.deepEqual(first.LastEvaluatedKey, { pk: { S: "p" }, sk: { N: "0" } });
    const second = await ddb.send(new QueryCommand({ TableName: "qry", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } }, Limit: 3, ExclusiveStartKey: first.LastEvaluatedKey }));
    assert.deepEqual(second.Items?.map((i) => i.sk?.N), ["0.25", "1", "2"]);
    const filtered = await ddb.send(new QueryCommand({ TableName: "qry", KeyConditionExpression: "pk = :p", FilterExpression: "attribute_exists(g)", ExpressionAttributeValues: { ":p": { S: "p" } }, Select: "COUNT" }));
    assert.equal(filtered.Count, 4);
    assert.equal(filtered.ScannedCount, 8);
    const gsi = await ddb.send(new QueryCommand({ TableName: "qry", IndexName: "byG", KeyConditionExpression: "g = :g", ExpressionAttributeValues: { ":g": { S: "odd" } } }));
    assert.deepEqual(gsi.Items?.map((i) => i.sk?.N), ["-1.5", "0.25", "2", "1000"]);
    await assertAwsError(ddb.send(new QueryCommand({ TableName: "qry", IndexName: "byG", ConsistentRead: true, KeyConditionExpression: "g = :g", ExpressionAttributeValues: { ":g": { S: "odd" } } })), {
      code: "ValidationException", message: "Consistent reads are not supported on global secondary indexes",
    });
    const scan = await ddb.send(new ScanCommand({ TableName: "qry" }));
    assert.equal(scan.Count, 9);
    const segs = await Promise.all([0, 1, 2].map((Segment) => ddb.send(new ScanCommand({ TableName: "qry", Segment, TotalSegments: 3 }))));
    assert.equal(segs.reduce((n, s) => n + (s.Count ?? 0), 0), 9);
    // A GSI added later is backfilled.
    await ddb.send(new UpdateTableCommand({ TableName: "qry", AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }], GlobalSecondaryIndexUpdates: [{ Create: { IndexName: "bySk", KeySchema: [{ AttributeName: "sk", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } } }] }));
    const bySk = await ddb.send(new QueryCommand({ TableName: "qry", IndexName: "bySk", KeyConditionExpression: "sk = :s", ExpressionAttributeValues: { ":s": { N: "5" } } }));
    assert.deepEqual(bySk.Items, [{ pk: { S: "other" }, sk: { N: "5" } }]);
  });

  it("batches and transactions: duplicates, cancellation reasons, idempotency", async () => {
    await table("txn");
    await assertAwsError(ddb.send(new BatchGetItemCommand({ RequestItems: { txn: { Keys: [{ pk: { S: "a" }, sk: { N: "1" } }, { pk: { S: "a" }, sk: { N: "1" } }] } } })), {
      code: "ValidationException", message: "Provided list of item keys contains duplicates",
    });
    await ddb.send(new PutItemCommand({ TableName: "txn", Item: { pk: { S: "a" }, sk: { N: "1" }, v: { N: "1" } } }));
    await assertAwsError(ddb.send(new TransactWriteItemsCommand({ TransactItems: [
      { ConditionCheck: { TableName: "txn", Key: { pk: { S: "a" }, sk: { N: "1" } }, ConditionExpression: "v = :two", ExpressionAttributeValues: { ":two": { N: "2" } } } },
      { Put: { TableName: "txn", Item: { pk: { S: "b" }, sk: { N: "1" } } } },
    ] })), { code: "TransactionCanceledException", message: "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]" });
    assert.equal((await ddb.send(new GetItemCommand({ TableName: "txn", Key: { pk: { S: "b" }, sk: { N: "1" } } }))).Item, undefined);
    const request = { ClientRequestToken: "tok-1", TransactItems: [{ Update: { TableName: "txn", Key: { pk: { S: "a" }, sk: { N: "1" } }, UpdateExpression: "ADD v :one", ExpressionAttributeValues: { ":one": { N: "1" } } } }] };
    await ddb.send(new TransactWriteItemsCommand(request));
    await ddb.send(new TransactWriteItemsCommand(request));
    const item = await ddb.send(new GetItemCommand({ TableName: "txn", Key: { pk: { S: "a" }, sk: { N: "1" } } }));
    assert.equal(item.Item?.v?.N, "2");
    const batch = await ddb.send(new BatchGetItemCommand({ RequestItems: { txn: { Keys: [{ pk: { S: "a" }, sk: { N: "1" } }, { pk: { S: "zz" }, sk: { N: "1" } }] } } }));
    assert.equal(batch.Responses?.txn?.length, 1);
  });

  it("expires items past their TTL when the clock advances", async () => {
    await table("ttl");
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: "ttl", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } }));
    const now = Math.floor((await server.clockNow()) / 1000);
    await ddb.send(new PutItemCommand({ TableName: "ttl", Item: { pk: { S: "a" }, sk: { N: "1" }, exp: { N: String(now + 60) } } }));
    await ddb.send(new PutItemCommand({ TableName: "ttl", Item: { pk: { S: "a" }, sk: { N: "2" }, exp: { N: String(now + 3600) } } }));
    await server.advanceClock(120);
    const left = await ddb.send(new ScanCommand({ TableName: "ttl" }));
    assert.deepEqual(left.Items?.map((i) => i.sk?.N), ["2"]);
  });

  it("works from boto3 and the AWS CLI", async () => {
    const out = await python(server.endpoint, `
from boto3.dynamodb.conditions import Key
ddb = boto3.resource('dynamodb', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
t = ddb.create_table(TableName='pyt', KeySchema=[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],
  AttributeDefinitions=[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'S'}], BillingMode='PAY_PER_REQUEST')
t.wait_until_exists()
for i in range(5): t.put_item(Item={'pk':'u1','sk':'order#%d' % i,'total':i})
r = t.query(KeyConditionExpression=Key('pk').eq('u1') & Key('sk').begins_with('order#'), ScanIndexForward=False, Limit=2)
try:
  client('dynamodb').get_item(TableName='pyt', Key={'pk':{'S':''},'sk':{'S':'x'}})
  err = None
except botocore.exceptions.ClientError as e:
  err = e.response['Error']
print(json.dumps({'sks':[i['sk'] for i in r['Items']], 'last': r.get('LastEvaluatedKey'), 'err': err}))
`);
    assert.deepEqual(out.sks, ["order#4", "order#3"]);
    assert.deepEqual(out.last, { pk: "u1", sk: "order#3" });
    assert.equal(out.err.Code, "ValidationException");
    assert.equal(out.err.Message, "One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty string value. Key: pk");
    const cli = await awsCli(server.endpoint, ["dynamodb", "describe-table", "--table-name", "pyt"]);
    assert.equal(cli.Table.ItemCount, 5);
    const scan = await awsCli(server.endpoint, ["dynamodb", "scan", "--table-name", "pyt", "--select", "COUNT"]);
    assert.equal(scan.Count, 5);
  });

  it("takes any attribute name, __proto__ and constructor too (boto3 sends them; JavaScript objects must not swallow them)", async () => {
    await table("names");
    const out = await python(server.endpoint, `
c = client('dynamodb')
c.put_item(TableName='names', Item={'pk':{'S':'a'},'sk':{'N':'1'},'__proto__':{'S':'p'},'m':{'M':{'__proto__':{'N':'1'},'constructor':{'S':'c'}}}})
c.update_item(TableName='names', Key={'pk':{'S':'a'},'sk':{'N':'1'}}, UpdateExpression='SET #m.#p = :v, #n = :v', ExpressionAttributeNames={'#m':'m','#p':'__proto__','#n':'constructor'}, ExpressionAttributeValues={':v':{'N':'2'}})
item = c.get_item(TableName='names', Key={'pk':{'S':'a'},'sk':{'N':'1'}})['Item']
projected = c.get_item(TableName='names', Key={'pk':{'S':'a'},'sk':{'N':'1'}}, ProjectionExpression='#p, #m.#p', ExpressionAttributeNames={'#p':'__proto__','#m':'m'})['Item']
c.put_item(TableName='names', Item={'pk':{'S':'b'},'sk':{'N':'1'}})
try:
  c.put_item(TableName='names', Item={'pk':{'S':'b'},'sk':{'N':'1'}}, ConditionExpression='attribute_exists(#p)', ExpressionAttributeNames={'#p':'__proto__'})
  err = None
except botocore.exceptions.ClientError as e:
  err = e.response['Error']['Code']
print(json.dumps({'item': item, 'projected': projected, 'err': err}))
`);
    assert.deepEqual(out.item, JSON.parse('{"pk":{"S":"a"},"sk":{"N":"1"},"__proto__":{"S":"p"},"m":{"M":{"__proto__":{"N":"2"},"constructor":{"S":"c"}}},"constructor":{"N":"2"}}'));
    assert.deepEqual(out.projected, JSON.parse('{"__proto__":{"S":"p"},"m":{"M":{"__proto__":{"N":"2"}}}}'));
    assert.equal(out.err, "ConditionalCheckFailedException", "an item without the attribute does not have it by inheritance");
  });
});
