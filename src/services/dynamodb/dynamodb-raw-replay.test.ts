import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useTestServer } from "../../../test/helpers.js";

// Regression: the bench's DynamoDB workloads (bench/workloads/dynamodb.ts) replayed
// as raw JSON 1.0 requests, concurrently, as autocannon sends them. Every answer
// must be a 200 with the expected body, never a 500 InternalFailure (a handler
// throwing something other than a ServiceError).

const server = await useTestServer();

async function call(operation: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(server.endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDB_20120810.${operation}`,
      "x-amz-date": "20240101T000000Z",
      authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=00",
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const PAD = "x".repeat(1000);

describe("DynamoDB bench workloads over raw HTTP", () => {
  it("answer 200 to concurrent PutItem, GetItem, Query and BatchWriteItem", async () => {
    const created = await call("CreateTable", {
      TableName: "bench",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    assert.equal(created.status, 200, created.text);
    for (let p = 0; p < 2; p++) {
      const puts = await Promise.all(Array.from({ length: 100 }, (_, i) => call("PutItem", { TableName: "bench", Item: { pk: { S: `p${p}` }, sk: { N: String(i) }, pad: { S: PAD } } })));
      for (const r of puts) assert.equal(r.status, 200, r.text);
    }
    const batch = { RequestItems: { bench: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: "b" }, sk: { N: String(i) }, pad: { S: PAD } } } })) } };
    const query = {
      TableName: "bench", KeyConditionExpression: "pk = :p AND sk BETWEEN :a AND :b",
      ExpressionAttributeValues: { ":p": { S: "p1" }, ":a": { N: "10" }, ":b": { N: "34" } },
    };
    const rounds = await Promise.all(Array.from({ length: 16 }, async () => [
      await call("PutItem", { TableName: "bench", Item: { pk: { S: "w" }, sk: { N: "1" }, pad: { S: PAD } } }),
      await call("GetItem", { TableName: "bench", Key: { pk: { S: "p1" }, sk: { N: "42" } } }),
      await call("Query", query),
      await call("BatchWriteItem", batch),
    ]));
    for (const [put, get, q, b] of rounds) {
      assert.equal(put!.text, "{}");
      assert.match(get!.text, /"Item"/);
      assert.match(q!.text, /"Count":25/);
      assert.equal(b!.text, '{"UnprocessedItems":{}}');
    }
  });
});
