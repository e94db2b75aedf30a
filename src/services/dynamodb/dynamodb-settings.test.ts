import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeContinuousBackupsCommand, DescribeEndpointsCommand,
  DescribeLimitsCommand, DynamoDBClient, PutItemCommand, TransactWriteItemsCommand, UpdateContinuousBackupsCommand, UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { assertAwsError, awsCli, useTestServer } from "../../../test/helpers.js";

// The account-level answers (DescribeLimits, DescribeEndpoints), point-in-time
// recovery, ReturnItemCollectionMetrics, a token's repeat, and the AWS CLI's
// everyday commands. Expected values: the DynamoDB API reference of each operation.

const server = await useTestServer();
const ddb = server.client(DynamoDBClient);

describe("DynamoDB account answers and settings", () => {
  it("DescribeLimits answers the default quotas; DescribeEndpoints this endpoint", async () => {
    const limits = await ddb.send(new DescribeLimitsCommand({}));
    assert.deepEqual(
      [limits.AccountMaxReadCapacityUnits, limits.AccountMaxWriteCapacityUnits, limits.TableMaxReadCapacityUnits, limits.TableMaxWriteCapacityUnits],
      [80000, 80000, 40000, 40000],
    );
    const endpoints = await ddb.send(new DescribeEndpointsCommand({}));
    assert.equal(endpoints.Endpoints?.length, 1);
    assert.equal(endpoints.Endpoints![0]!.Address, new URL(server.endpoint).host);
    assert.equal(endpoints.Endpoints![0]!.CachePeriodInMinutes, 1440);
  });

  it("continuous backups: PITR off by default, on after UpdateContinuousBackups; unknown table", async () => {
    await ddb.send(new CreateTableCommand({
      TableName: "pitr", AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST",
    }));
    const before = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: "pitr" }));
    assert.equal(before.ContinuousBackupsDescription?.ContinuousBackupsStatus, "ENABLED");
    assert.deepEqual(before.ContinuousBackupsDescription?.PointInTimeRecoveryDescription, { PointInTimeRecoveryStatus: "DISABLED" });
    const on = await ddb.send(new UpdateContinuousBackupsCommand({ TableName: "pitr", PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    const pitr = on.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    assert.equal(pitr?.PointInTimeRecoveryStatus, "ENABLED");
    assert.ok(pitr?.EarliestRestorableDateTime instanceof Date && pitr.LatestRestorableDateTime instanceof Date);
    const after = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: "pitr" }));
    assert.equal(after.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, "ENABLED");
    await assertAwsError(ddb.send(new DescribeContinuousBackupsCommand({ TableName: "nope" })), {
      code: "TableNotFoundException", message: "Table not found: nope", status: 400,
    });
  });
});

describe("DynamoDB ReturnItemCollectionMetrics", () => {
  it("reports the item collection of every write on a table with an LSI, nothing without one", async () => {
    await ddb.send(new CreateTableCommand({
      TableName: "lsi",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }, { AttributeName: "ts", AttributeType: "N" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
      LocalSecondaryIndexes: [{ IndexName: "byTs", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "ts", KeyType: "RANGE" }], Projection: { ProjectionType: "ALL" } }],
      BillingMode: "PAY_PER_REQUEST",
    }));
    await ddb.send(new CreateTableCommand({
      TableName: "nolsi", AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST",
    }));
    const metrics = (pk: string) => ({ ItemCollectionKey: { pk: { S: pk } }, SizeEstimateRangeGB: [0, 1] });
    const put = await ddb.send(new PutItemCommand({ TableName: "lsi", Item: { pk: { S: "a" }, sk: { S: "1" }, ts: { N: "5" } }, ReturnItemCollectionMetrics: "SIZE" }));
    assert.deepEqual(put.ItemCollectionMetrics, metrics("a"));
    const quiet = await ddb.send(new PutItemCommand({ TableName: "lsi", Item: { pk: { S: "a" }, sk: { S: "2" } } }));
    assert.equal(quiet.ItemCollectionMetrics, undefined);
    const update = await ddb.send(new UpdateItemCommand({
      TableName: "lsi", Key: { pk: { S: "a" }, sk: { S: "2" } }, UpdateExpression: "SET ts = :n", ExpressionAttributeValues: { ":n": { N: "1" } },
      ReturnItemCollectionMetrics: "SIZE",
    }));
    assert.deepEqual(update.ItemCollectionMetrics, metrics("a"));
    const del = await ddb.send(new DeleteItemCommand({ TableName: "lsi", Key: { pk: { S: "a" }, sk: { S: "2" } }, ReturnItemCollectionMetrics: "SIZE" }));
    assert.deepEqual(del.ItemCollectionMetrics, metrics("a"));
    const none = await ddb.send(new PutItemCommand({ TableName: "nolsi", Item: { pk: { S: "a" } }, ReturnItemCollectionMetrics: "SIZE" }));
    assert.equal(none.ItemCollectionMetrics, undefined);

    // Batches and transactions: one entry per collection touched, per table with an LSI.
    const batch = await ddb.send(new BatchWriteItemCommand({
      RequestItems: {
        lsi: [
          { PutRequest: { Item: { pk: { S: "b" }, sk: { S: "1" } } } },
          { PutRequest: { Item: { pk: { S: "b" }, sk: { S: "2" } } } },
          { DeleteRequest: { Key: { pk: { S: "a" }, sk: { S: "1" } } } },
        ],
        nolsi: [{ PutRequest: { Item: { pk: { S: "z" } } } }],
      },
      ReturnItemCollectionMetrics: "SIZE",
    }));
    assert.deepEqual(batch.ItemCollectionMetrics, { lsi: [metrics("b"), metrics("a")] });
    const txn = await ddb.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: "lsi", Item: { pk: { S: "c" }, sk: { S: "1" } } } },
        { ConditionCheck: { TableName: "lsi", Key: { pk: { S: "b" }, sk: { S: "1" } }, ConditionExpression: "attribute_exists(pk)" } },
      ],
      ReturnItemCollectionMetrics: "SIZE",
    }));
    assert.deepEqual(txn.ItemCollectionMetrics, { lsi: [metrics("c")] });
  });
});

describe("DynamoDB TransactWriteItems ClientRequestToken", () => {
  it("a repeat writes nothing and reports read capacity; other parameters with the same token are refused", async () => {
    await ddb.send(new CreateTableCommand({
      TableName: "tok", AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST",
    }));
    const request = {
      ClientRequestToken: "repeat-me", ReturnConsumedCapacity: "TOTAL" as const,
      TransactItems: [{ Update: { TableName: "tok", Key: { pk: { S: "a" } }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } } }],
    };
    const first = await ddb.send(new TransactWriteItemsCommand(request));
    assert.deepEqual(first.ConsumedCapacity, [{ TableName: "tok", CapacityUnits: 2, WriteCapacityUnits: 2 }]);
    const again = await ddb.send(new TransactWriteItemsCommand(request));
    assert.deepEqual(again.ConsumedCapacity, [{ TableName: "tok", CapacityUnits: 1, ReadCapacityUnits: 1 }]);
    await assertAwsError(ddb.send(new TransactWriteItemsCommand({ ...request, TransactItems: [{ Put: { TableName: "tok", Item: { pk: { S: "b" } } } }] })), {
      code: "IdempotentParameterMismatchException", status: 400,
    });
    const cli = await awsCli(server.endpoint, ["dynamodb", "get-item", "--table-name", "tok", "--key", '{"pk":{"S":"a"}}']);
    assert.deepEqual(cli.Item, { pk: { S: "a" }, n: { N: "1" } });
  });
});

describe("DynamoDB through the AWS CLI", () => {
  it("create-table, put-item, query, update-item, delete-table", async () => {
    const created = await awsCli(server.endpoint, [
      "dynamodb", "create-table", "--table-name", "cli",
      "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
      "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
      "--billing-mode", "PAY_PER_REQUEST",
    ]);
    assert.equal(created.TableDescription.TableName, "cli");
    for (const sk of ["1", "2", "3"]) {
      await awsCli(server.endpoint, ["dynamodb", "put-item", "--table-name", "cli", "--item", JSON.stringify({ pk: { S: "p" }, sk: { N: sk }, v: { S: `v${sk}` } })]);
    }
    const query = await awsCli(server.endpoint, [
      "dynamodb", "query", "--table-name", "cli", "--key-condition-expression", "pk = :p AND sk >= :s",
      "--expression-attribute-values", '{":p":{"S":"p"},":s":{"N":"2"}}', "--no-scan-index-forward",
    ]);
    assert.deepEqual(query.Items.map((i: { sk: { N: string } }) => i.sk.N), ["3", "2"]);
    assert.equal(query.Count, 2);
    const updated = await awsCli(server.endpoint, [
      "dynamodb", "update-item", "--table-name", "cli", "--key", '{"pk":{"S":"p"},"sk":{"N":"1"}}',
      "--update-expression", "SET v = :v", "--expression-attribute-values", '{":v":{"S":"new"}}', "--return-values", "UPDATED_NEW",
    ]);
    assert.deepEqual(updated.Attributes, { v: { S: "new" } });
    const deleted = await awsCli(server.endpoint, ["dynamodb", "delete-table", "--table-name", "cli"]);
    assert.equal(deleted.TableDescription.TableName, "cli");
  });
});
