import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BatchExecuteStatementCommand, CreateTableCommand, DynamoDBClient, ExecuteStatementCommand, ExecuteTransactionCommand, GetItemCommand,
} from "@aws-sdk/client-dynamodb";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

// PartiQL through the JS SDK and boto3. Statement forms and error codes: the
// "PartiQL for DynamoDB" reference and the ExecuteStatement,
// BatchExecuteStatement and ExecuteTransaction API references.

const server = await useTestServer();
const ddb = server.client(DynamoDBClient);

await ddb.send(new CreateTableCommand({
  TableName: "pq",
  AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
  BillingMode: "PAY_PER_REQUEST",
}));

const run = (Statement: string, Parameters?: any[], extra: Record<string, unknown> = {}) =>
  ddb.send(new ExecuteStatementCommand({ Statement, Parameters, ...extra }));

describe("PartiQL", () => {
  it("INSERT, SELECT with key and filter conditions, UPDATE SET/REMOVE, DELETE", async () => {
    for (let i = 1; i <= 5; i++) {
      await run(`INSERT INTO "pq" VALUE {'pk': 'a', 'sk': ?, 'n': ?, 'tags': <<'x', 'y'>>, 'm': {'k': [1, 'two']}}`, [{ N: String(i) }, { N: String(i * 10) }]);
    }
    await run(`INSERT INTO pq VALUE {'pk': 'b', 'sk': 1}`);
    const all = await run(`SELECT * FROM "pq" WHERE pk = 'a'`);
    assert.equal(all.Items?.length, 5);
    assert.deepEqual(all.Items?.[0], { pk: { S: "a" }, sk: { N: "1" }, n: { N: "10" }, tags: { SS: ["x", "y"] }, m: { M: { k: { L: [{ N: "1" }, { S: "two" }] } } } });
    const filtered = await run(`SELECT sk, n FROM pq WHERE pk = ? AND sk BETWEEN 2 AND 4 AND n <> 30`, [{ S: "a" }]);
    assert.deepEqual(filtered.Items, [{ sk: { N: "2" }, n: { N: "20" } }, { sk: { N: "4" }, n: { N: "40" } }]);
    const scanned = await run(`SELECT pk FROM pq WHERE sk = 1`);
    assert.deepEqual(scanned.Items?.map((i) => i.pk?.S).sort(), ["a", "b"]);
    const nested = await run(`SELECT m.k[1] FROM pq WHERE pk = 'a' AND sk = 1`);
    assert.deepEqual(nested.Items, [{ m: { M: { k: { L: [{ S: "two" }] } } } }]);
    await run(`UPDATE pq SET n = n + 5 SET extra = 'yes' REMOVE tags WHERE pk = 'a' AND sk = 1`);
    const got = await ddb.send(new GetItemCommand({ TableName: "pq", Key: { pk: { S: "a" }, sk: { N: "1" } } }));
    assert.deepEqual(got.Item, { pk: { S: "a" }, sk: { N: "1" }, n: { N: "15" }, m: { M: { k: { L: [{ N: "1" }, { S: "two" }] } } }, extra: { S: "yes" } });
    await run(`DELETE FROM pq WHERE pk = 'a' AND sk = 5`);
    assert.equal((await run(`SELECT * FROM pq WHERE pk = 'a'`)).Items?.length, 4);
    // Paging with Limit and NextToken.
    const p1 = await run(`SELECT sk FROM pq WHERE pk = 'a'`, undefined, { Limit: 3 });
    assert.equal(p1.Items?.length, 3);
    assert.ok(p1.NextToken);
    const p2 = await run(`SELECT sk FROM pq WHERE pk = 'a'`, undefined, { Limit: 3, NextToken: p1.NextToken });
    assert.deepEqual(p2.Items, [{ sk: { N: "4" } }]);
  });

  it("answers AWS's errors", async () => {
    await assertAwsError(run(`INSERT INTO pq VALUE {'pk': 'b', 'sk': 1}`), { code: "DuplicateItemException", message: "Duplicate primary key exists in table" });
    await assertAwsError(run(`UPDATE pq SET n = 1 WHERE pk = 'b'`), {
      code: "ValidationException", message: "Where clause does not contain a mandatory equality on all key attributes",
    });
    await assertAwsError(run(`UPDATE pq SET n = 1 WHERE pk = 'nope' AND sk = 1`), { code: "ConditionalCheckFailedException", message: "The conditional request failed" });
    await assertAwsError(run(`UPDATE pq SET n = 1 WHERE pk = 'b' AND sk = 1 AND n = 99`), { code: "ConditionalCheckFailedException" });
    await assertAwsError(run(`SELECT * FROM pq WHERE pk = ?`), { code: "ValidationException", message: "Number of parameters in request and statement don't match." });
    await assertAwsError(run(`SELEKT * FROM pq`), { code: "ValidationException", message: /^Statement wasn't well formed, can't be processed: / });
    await assertAwsError(run(`SELECT * FROM nope`), { code: "ResourceNotFoundException", message: "Requested resource not found" });
    await assertAwsError(run(`INSERT INTO pq VALUE {'pk': 'c'}`), { code: "ValidationException", message: "One or more parameter values were invalid: Missing the key sk in the item" });
  });

  it("BatchExecuteStatement reports per statement; ExecuteTransaction is all or nothing", async () => {
    const batch = await ddb.send(new BatchExecuteStatementCommand({
      Statements: [
        { Statement: `INSERT INTO pq VALUE {'pk': 'c', 'sk': 1}` },
        { Statement: `INSERT INTO pq VALUE {'pk': 'b', 'sk': 1}` },
        { Statement: `SELECT * FROM pq WHERE pk = 'c' AND sk = 1` },
      ],
    }));
    assert.deepEqual(batch.Responses?.[0], { TableName: "pq" });
    assert.equal(batch.Responses?.[1]?.Error?.Code, "DuplicateItem");
    assert.deepEqual(batch.Responses?.[2]?.Item, { pk: { S: "c" }, sk: { N: "1" } });
    await assertAwsError(ddb.send(new ExecuteTransactionCommand({
      TransactStatements: [
        { Statement: `INSERT INTO pq VALUE {'pk': 't', 'sk': 1}` },
        { Statement: `UPDATE pq SET v = 1 WHERE pk = 'missing' AND sk = 1` },
      ],
    })), { code: "TransactionCanceledException", message: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]" });
    assert.deepEqual((await run(`SELECT * FROM pq WHERE pk = 't'`)).Items, []);
    await ddb.send(new ExecuteTransactionCommand({
      TransactStatements: [
        { Statement: `INSERT INTO pq VALUE {'pk': 't', 'sk': 1}` },
        { Statement: `UPDATE pq SET v = ? WHERE pk = 'c' AND sk = 1`, Parameters: [{ S: "set" }] },
      ],
    }));
    const read = await ddb.send(new ExecuteTransactionCommand({
      TransactStatements: [{ Statement: `SELECT * FROM pq WHERE pk = 't' AND sk = 1` }, { Statement: `SELECT v FROM pq WHERE pk = 'c' AND sk = 1` }],
    }));
    assert.deepEqual(read.Responses, [{ Item: { pk: { S: "t" }, sk: { N: "1" } } }, { Item: { v: { S: "set" } } }]);
  });

  it("works with boto3's execute_statement", async () => {
    const out = await python(server.endpoint, `
d = client('dynamodb')
d.execute_statement(Statement="INSERT INTO pq VALUE {'pk': 'py', 'sk': 7, 'name': ?}", Parameters=[{'S': 'boto'}])
items = d.execute_statement(Statement="SELECT name FROM pq WHERE pk = ?", Parameters=[{'S': 'py'}])['Items']
try:
    d.execute_statement(Statement="INSERT INTO pq VALUE {'pk': 'py', 'sk': 7}")
    err = None
except botocore.exceptions.ClientError as e:
    err = e.response['Error']
print(json.dumps({'items': items, 'err': err}))
`);
    assert.deepEqual(out, { items: [{ name: { S: "boto" } }], err: { Code: "DuplicateItemException", Message: "Duplicate primary key exists in table" } });
  });
});
