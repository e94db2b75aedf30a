import { describe, it } from "node:test";
import {
  CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { assertAwsError, useTestServer } from "../../../test/helpers.js";

// The common mistakes, each with AWS's exact error code and message, as the
// DynamoDB API reference ("Common errors", each operation's Errors) and
// dynalite's recordings of AWS's answers give them. One place to look when a
// user asks "what does DynamoDB say when I ...".

const server = await useTestServer();
const ddb = server.client(DynamoDBClient);
const INVALID = "One or more parameter values were invalid: ";
const TableName = "mistakes";

await ddb.send(new CreateTableCommand({
  TableName,
  AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
  BillingMode: "PAY_PER_REQUEST",
}));

describe("DynamoDB's answers to common mistakes", () => {
  it("a missing key attribute", async () => {
    await assertAwsError(ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: "a" } } })), {
      code: "ValidationException", message: `${INVALID}Missing the key sk in the item`, status: 400,
    });
    await assertAwsError(ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: "a" } } })), {
      code: "ValidationException", message: "The provided key element does not match the schema",
    });
    await assertAwsError(ddb.send(new QueryCommand({ TableName, KeyConditionExpression: "sk = :s", ExpressionAttributeValues: { ":s": { N: "1" } } })), {
      code: "ValidationException", message: "Query condition missed key schema element: pk",
    });
  });

  it("a key attribute of the wrong type", async () => {
    await assertAwsError(ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: "a" }, sk: { S: "1" } } })), {
      code: "ValidationException", message: `${INVALID}Type mismatch for key sk expected: N actual: S`,
    });
    await assertAwsError(ddb.send(new GetItemCommand({ TableName, Key: { pk: { N: "1" }, sk: { N: "1" } } })), {
      code: "ValidationException", message: "The provided key element does not match the schema",
    });
  });

  it("a failed condition", async () => {
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: "c" }, sk: { N: "1" } } }));
    await assertAwsError(ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: "c" }, sk: { N: "1" } }, ConditionExpression: "attribute_not_exists(pk)" })), {
      code: "ConditionalCheckFailedException", message: "The conditional request failed", status: 400,
    });
  });

  it("an unused ExpressionAttributeValues entry", async () => {
    await assertAwsError(ddb.send(new UpdateItemCommand({
      TableName, Key: { pk: { S: "c" }, sk: { N: "1" } }, UpdateExpression: "SET a = :a", ExpressionAttributeValues: { ":a": { S: "x" }, ":b": { S: "y" } },
    })), { code: "ValidationException", message: "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}" });
  });

  it("an UpdateExpression syntax error names the token", async () => {
    await assertAwsError(ddb.send(new UpdateItemCommand({
      TableName, Key: { pk: { S: "c" }, sk: { N: "1" } }, UpdateExpression: "SET a :a", ExpressionAttributeValues: { ":a": { S: "x" } },
    })), { code: "ValidationException", message: 'Invalid UpdateExpression: Syntax error; token: ":a", near: "a :a"' });
    await assertAwsError(ddb.send(new UpdateItemCommand({
      TableName, Key: { pk: { S: "c" }, sk: { N: "1" } }, UpdateExpression: "SET a = :a,", ExpressionAttributeValues: { ":a": { S: "x" } },
    })), { code: "ValidationException", message: 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","' });
  });

  it("an item over 400 KB", async () => {
    const big = "x".repeat(400 * 1024);
    await assertAwsError(ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: "big" }, sk: { N: "1" }, data: { S: big } } })), {
      code: "ValidationException", message: "Item size has exceeded the maximum allowed size",
    });
    await assertAwsError(ddb.send(new UpdateItemCommand({
      TableName, Key: { pk: { S: "big" }, sk: { N: "1" } }, UpdateExpression: "SET d = :d", ExpressionAttributeValues: { ":d": { S: big } },
    })), { code: "ValidationException", message: "Item size to update has exceeded the maximum allowed size" });
  });

  it("transaction conflicts: two actions on one item, and a cancelled transaction", async () => {
    const key = { pk: { S: "t" }, sk: { N: "1" } };
    await assertAwsError(ddb.send(new TransactWriteItemsCommand({
      TransactItems: [{ Put: { TableName, Item: key } }, { Delete: { TableName, Key: key } }],
    })), { code: "ValidationException", message: "Transaction request cannot include multiple operations on one item" });
    await assertAwsError(ddb.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName, Item: key } },
        { ConditionCheck: { TableName, Key: { pk: { S: "missing" }, sk: { N: "1" } }, ConditionExpression: "attribute_exists(pk)" } },
      ],
    })), { code: "TransactionCanceledException", message: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]" });
  });

  it("a table that does not exist", async () => {
    await assertAwsError(ddb.send(new GetItemCommand({ TableName: "nope", Key: { pk: { S: "a" } } })), {
      code: "ResourceNotFoundException", message: "Requested resource not found", status: 400,
    });
    await assertAwsError(ddb.send(new DescribeTableCommand({ TableName: "nope" })), {
      code: "ResourceNotFoundException", message: "Requested resource not found: Table: nope not found",
    });
  });

  it("a table that already exists", async () => {
    await assertAwsError(ddb.send(new CreateTableCommand({
      TableName, AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST",
    })), { code: "ResourceInUseException", message: `Table already exists: ${TableName}`, status: 400 });
  });
});
