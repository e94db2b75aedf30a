import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

// The higher-level clients users write against: the JS SDK's DocumentClient
// (@aws-sdk/lib-dynamodb marshals plain JS values, Sets and numbers) and
// boto3's resource API (Table, boto3.dynamodb.conditions, batch_writer).

const server = await useTestServer();
const ddb = server.client(DynamoDBClient);
const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });

async function table(name: string) {
  await ddb.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
}

describe("DynamoDB through the DocumentClient and boto3's resource API", () => {
  it("DocumentClient: Put, Get, Query, Update and TransactWrite with plain JS values", async () => {
    await table("doc");
    const item = {
      pk: "user#1", sk: "profile", name: "Ada", age: 36, ratio: 0.25, admin: true, nothing: null,
      tags: new Set(["a", "b"]), scores: new Set([1, 2, 3]), address: { city: "London", zip: ["N1", 7] },
    };
    await doc.send(new PutCommand({ TableName: "doc", Item: item }));
    const got = await doc.send(new GetCommand({ TableName: "doc", Key: { pk: "user#1", sk: "profile" } }));
    assert.deepEqual(got.Item, item);
    for (let i = 0; i < 3; i++) await doc.send(new PutCommand({ TableName: "doc", Item: { pk: "user#1", sk: `order#${i}`, total: 10 * i } }));
    const orders = await doc.send(new QueryCommand({
      TableName: "doc", KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)", FilterExpression: "#t >= :min",
      ExpressionAttributeNames: { "#t": "total" }, ExpressionAttributeValues: { ":pk": "user#1", ":p": "order#", ":min": 10 }, ScanIndexForward: false,
    }));
    assert.deepEqual(orders.Items, [{ pk: "user#1", sk: "order#2", total: 20 }, { pk: "user#1", sk: "order#1", total: 10 }]);
    const updated = await doc.send(new UpdateCommand({
      TableName: "doc", Key: { pk: "user#1", sk: "profile" },
      UpdateExpression: "SET age = age + :one, address.city = :city ADD tags :t DELETE scores :s REMOVE nothing",
      ExpressionAttributeValues: { ":one": 1, ":city": "Paris", ":t": new Set(["c"]), ":s": new Set([2]) }, ReturnValues: "ALL_NEW",
    }));
    const { nothing: _removed, ...kept } = item;
    assert.deepEqual(updated.Attributes, {
      ...kept, age: 37, tags: new Set(["a", "b", "c"]), scores: new Set([1, 3]), address: { city: "Paris", zip: ["N1", 7] },
    });
    await doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: "doc", Item: { pk: "user#2", sk: "profile", name: "Grace" }, ConditionExpression: "attribute_not_exists(pk)" } },
        { Update: { TableName: "doc", Key: { pk: "user#1", sk: "profile" }, UpdateExpression: "SET friends = :f", ExpressionAttributeValues: { ":f": ["user#2"] } } },
        { ConditionCheck: { TableName: "doc", Key: { pk: "user#1", sk: "order#0" }, ConditionExpression: "#t = :zero", ExpressionAttributeNames: { "#t": "total" }, ExpressionAttributeValues: { ":zero": 0 } } },
      ],
    }));
    assert.deepEqual((await doc.send(new GetCommand({ TableName: "doc", Key: { pk: "user#1", sk: "profile" }, ProjectionExpression: "friends" }))).Item, { friends: ["user#2"] });
    await assertAwsError(doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: "doc", Item: { pk: "user#3", sk: "profile" } } },
        { Put: { TableName: "doc", Item: { pk: "user#2", sk: "profile" }, ConditionExpression: "attribute_not_exists(pk)" } },
      ],
    })), { code: "TransactionCanceledException", message: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]" });
    assert.equal((await doc.send(new GetCommand({ TableName: "doc", Key: { pk: "user#3", sk: "profile" } }))).Item, undefined);
  });

  it("boto3's resource API: Table.put_item, get_item, query with Key and Attr conditions, batch_writer", async () => {
    await table("res");
    const out = await python(server.endpoint, `
from decimal import Decimal
from boto3.dynamodb.conditions import Key, Attr
ddb = boto3.resource('dynamodb', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
t = ddb.Table('res')
t.put_item(Item={'pk': 'u1', 'sk': 'profile', 'name': 'Ada', 'age': 36, 'tags': {'x', 'y'}, 'ratio': Decimal('0.5')})
got = t.get_item(Key={'pk': 'u1', 'sk': 'profile'})['Item']
with t.batch_writer() as batch:
    for i in range(30):
        batch.put_item(Item={'pk': 'u1', 'sk': 'order#%02d' % i, 'total': i, 'status': 'open' if i % 3 == 0 else 'closed'})
q = t.query(KeyConditionExpression=Key('pk').eq('u1') & Key('sk').begins_with('order#'), FilterExpression=Attr('status').eq('open') & Attr('total').gte(10))
between = t.query(KeyConditionExpression=Key('pk').eq('u1') & Key('sk').between('order#05', 'order#07'), ScanIndexForward=False)
scan = t.scan(FilterExpression=Attr('tags').contains('x') | Attr('total').lt(1))
try:
    t.put_item(Item={'pk': 'u1', 'sk': 'profile'}, ConditionExpression=Attr('pk').not_exists())
    err = None
except botocore.exceptions.ClientError as e:
    err = e.response['Error']
print(json.dumps({
  'got': {'name': got['name'], 'age': str(got['age']), 'tags': sorted(got['tags']), 'ratio': str(got['ratio'])},
  'q': [i['sk'] for i in q['Items']], 'count': q['Count'], 'scanned': q['ScannedCount'],
  'between': [i['sk'] for i in between['Items']],
  'scan': sorted(i['sk'] for i in scan['Items']), 'err': err,
}))
`);
    assert.deepEqual(out, {
      got: { name: "Ada", age: "36", tags: ["x", "y"], ratio: "0.5" },
      q: ["order#12", "order#15", "order#18", "order#21", "order#24", "order#27"], count: 6, scanned: 30,
      between: ["order#07", "order#06", "order#05"],
      scan: ["order#00", "profile"],
      err: { Code: "ConditionalCheckFailedException", Message: "The conditional request failed" },
    });
  });
});
