import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { Clock } from "../../platform/clock.js";
import { openDatabase } from "../../storage/database.js";
import { DocumentStore } from "../../storage/documents.js";
import { clientConfig, startTestServer } from "../../../test/helpers.js";
import type { StoreScope } from "../service.js";
import { DynamoDbStore } from "./store.js";

// The storage promises: a Query reads its partition's range through the
// primary key (base table) or the index entries' key (GSI/LSI), never the
// table; and tables and items survive a restart with a data directory.

test("a Query is a range search of the clustered primary key, not a scan", () => {
  const db = openDatabase(undefined);
  const store = new DynamoDbStore({ db, documents: new DocumentStore(db), clock: new Clock(), service: "dynamodb", account: "000000000000", region: "us-east-1" } as StoreScope);
  const plan = (sql: string, n: number) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(n).fill(1)).map((r: any) => r.detail as string);
  const bounds = { lower: { key: Buffer.from("a"), inclusive: true }, upper: { key: Buffer.from("b"), inclusive: false } };
  const base = plan(store.rangeSql(false, bounds, true), 4);
  assert.equal(base.length, 1, base.join("; "));
  assert.match(base[0]!, /^SEARCH dynamodb_items USING PRIMARY KEY \(table_id=\? AND pk=\? AND sk>\? AND sk<\?\)$/);
  const index = plan(store.rangeSql(true, bounds, false), 5);
  assert.match(index[0]!, /^SEARCH e USING PRIMARY KEY \(index_id=\? AND pk=\? AND sk>\? AND sk<\?\)$/);
  assert.match(index[1]!, /^SEARCH i USING PRIMARY KEY \(table_id=\? AND pk=\? AND sk=\?\)$/);
  assert.ok(![...base, ...index].some((d) => /SCAN|TEMP B-TREE/.test(d)), [...base, ...index].join("; "));
});

test("tables and items survive a restart with a data directory", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "terrarium-ddb-"));
  try {
    let server = await startTestServer({ dataDir });
    let ddb = new DynamoDBClient(clientConfig(server.endpoint));
    await ddb.send(new CreateTableCommand({
      TableName: "kept", AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }], BillingMode: "PAY_PER_REQUEST",
    }));
    for (const sk of ["3", "-1", "20"]) await ddb.send(new PutItemCommand({ TableName: "kept", Item: { pk: { S: "p" }, sk: { N: sk }, b: { B: new Uint8Array([9]) } } }));
    ddb.destroy();
    await server.stop();
    server = await startTestServer({ dataDir });
    ddb = new DynamoDBClient(clientConfig(server.endpoint));
    const q = await ddb.send(new QueryCommand({ TableName: "kept", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } } }));
    assert.deepEqual(q.Items?.map((i) => i.sk?.N), ["-1", "3", "20"]);
    const got = await ddb.send(new GetItemCommand({ TableName: "kept", Key: { pk: { S: "p" }, sk: { N: "20" } } }));
    assert.deepEqual(got.Item?.b, { B: new Uint8Array([9]) });
    ddb.destroy();
    await server.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
