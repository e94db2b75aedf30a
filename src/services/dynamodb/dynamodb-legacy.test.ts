import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { assertAwsError, useTestServer } from "../../../test/helpers.js";

// The legacy conditional parameters (Expected, AttributeUpdates, KeyConditions,
// QueryFilter, ScanFilter, ConditionalOperator). Semantics: the "Legacy
// conditional parameters" appendix of the DynamoDB developer guide; messages as
// dynalite's validations/index.js and actions/query.js record AWS's answers.

const server = await useTestServer();
const ddb = server.client(DynamoDBClient);
const INVALID = "One or more parameter values were invalid: ";

await ddb.send(new CreateTableCommand({
  TableName: "legacy",
  AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
  BillingMode: "PAY_PER_REQUEST",
}));
const TableName = "legacy";
const key = (sk: number) => ({ pk: { S: "p" }, sk: { N: String(sk) } });

describe("DynamoDB legacy parameters", () => {
  it("Expected: Exists/Value, ComparisonOperator, ConditionalOperator", async () => {
    await ddb.send(new PutItemCommand({ TableName, Item: { ...key(1), n: { N: "5" }, s: { S: "hello" } }, Expected: { pk: { Exists: false } } }));
    await assertAwsError(ddb.send(new PutItemCommand({ TableName, Item: key(1), Expected: { pk: { Exists: false } } })), {
      code: "ConditionalCheckFailedException", message: "The conditional request failed",
    });
    await ddb.send(new PutItemCommand({ TableName, Item: { ...key(1), n: { N: "6" }, s: { S: "hello" } }, Expected: { n: { Value: { N: "5" } } } }));
    await ddb.send(new PutItemCommand({
      TableName, Item: { ...key(1), n: { N: "7" }, s: { S: "hello" } },
      Expected: { n: { ComparisonOperator: "GT", AttributeValueList: [{ N: "100" }] }, s: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ S: "he" }] } },
      ConditionalOperator: "OR",
    }));
    await assertAwsError(ddb.send(new DeleteItemCommand({
      TableName, Key: key(1),
      Expected: { n: { ComparisonOperator: "GT", AttributeValueList: [{ N: "100" }] }, s: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ S: "he" }] } },
    })), { code: "ConditionalCheckFailedException" });
    await ddb.send(new DeleteItemCommand({
      TableName, Key: key(1), Expected: { n: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "1" }, { N: "7" }] }, x: { ComparisonOperator: "NULL" } },
    }));
    assert.equal((await ddb.send(new GetItemCommand({ TableName, Key: key(1) }))).Item, undefined);
  });

  it("Expected: AWS's validation messages", async () => {
    const put = (Expected: Record<string, unknown>) => ddb.send(new PutItemCommand({ TableName, Item: key(2), Expected: Expected as never }));
    await assertAwsError(put({ a: { ComparisonOperator: "EQ" } }), {
      code: "ValidationException", message: `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`,
    });
    await assertAwsError(put({ a: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "x" }, { S: "y" }] } }), {
      code: "ValidationException", message: `${INVALID}Invalid number of argument(s) for the EQ ComparisonOperator`,
    });
    await assertAwsError(put({ a: { ComparisonOperator: "NULL", AttributeValueList: [{ S: "x" }] } }), {
      code: "ValidationException", message: `${INVALID}Invalid number of argument(s) for the NULL ComparisonOperator`,
    });
    await assertAwsError(put({ a: { Exists: true } }), {
      code: "ValidationException", message: `${INVALID}Value must be provided when Exists is true for Attribute: a`,
    });
    await assertAwsError(put({ a: { Exists: false, Value: { S: "x" } } }), {
      code: "ValidationException", message: `${INVALID}Value cannot be used when Exists is false for Attribute: a`,
    });
    await assertAwsError(put({ a: { Exists: true, ComparisonOperator: "EQ", Value: { S: "x" } } }), {
      code: "ValidationException", message: `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: a`,
    });
    await assertAwsError(put({ a: { AttributeValueList: [{ S: "x" }] } }), {
      code: "ValidationException", message: `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`,
    });
    await assertAwsError(put({ a: { ComparisonOperator: "IN", AttributeValueList: [{ S: "x" }, { N: "1" }] } }), {
      code: "ValidationException", message: `${INVALID}AttributeValues inside AttributeValueList must be of same type`,
    });
    await assertAwsError(ddb.send(new PutItemCommand({
      TableName, Item: key(2), Expected: { a: { Exists: false } }, ConditionExpression: "attribute_not_exists(pk)",
    })), {
      code: "ValidationException",
      message: "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
    });
  });

  it("AttributeUpdates: PUT, ADD, DELETE, with Expected and ReturnValues", async () => {
    const out = await ddb.send(new UpdateItemCommand({
      TableName, Key: key(3), ReturnValues: "ALL_NEW",
      AttributeUpdates: {
        name: { Action: "PUT", Value: { S: "x" } }, count: { Action: "ADD", Value: { N: "2" } },
        tags: { Action: "ADD", Value: { SS: ["a", "b"] } }, list: { Action: "ADD", Value: { L: [{ S: "one" }] } },
      },
    }));
    assert.deepEqual(out.Attributes, {
      ...key(3), name: { S: "x" }, count: { N: "2" }, tags: { SS: ["a", "b"] }, list: { L: [{ S: "one" }] },
    });
    const second = await ddb.send(new UpdateItemCommand({
      TableName, Key: key(3), ReturnValues: "UPDATED_NEW", Expected: { count: { Value: { N: "2" } } },
      AttributeUpdates: {
        name: { Action: "DELETE" }, count: { Action: "ADD", Value: { N: "-0.5" } },
        tags: { Action: "DELETE", Value: { SS: ["a"] } }, list: { Action: "ADD", Value: { L: [{ S: "two" }] } },
      },
    }));
    assert.deepEqual(second.Attributes, { count: { N: "1.5" }, tags: { SS: ["b"] }, list: { L: [{ S: "one" }, { S: "two" }] } });
    const update = (AttributeUpdates: Record<string, unknown>) => ddb.send(new UpdateItemCommand({ TableName, Key: key(3), AttributeUpdates: AttributeUpdates as never }));
    await assertAwsError(update({ count: { Action: "ADD", Value: { SS: ["z"] } } }), { code: "ValidationException", message: "Type mismatch for attribute to update" });
    await assertAwsError(update({ a: { Action: "PUT" } }), {
      code: "ValidationException", message: `${INVALID}Only DELETE action is allowed when no attribute value is specified`,
    });
    await assertAwsError(update({ a: { Action: "DELETE", Value: { S: "x" } } }), {
      code: "ValidationException", message: `${INVALID}DELETE action with value is not supported for the type S`,
    });
    await assertAwsError(update({ a: { Action: "ADD", Value: { S: "x" } } }), {
      code: "ValidationException", message: `${INVALID}ADD action is not supported for the type S`,
    });
    await assertAwsError(update({ sk: { Action: "PUT", Value: { N: "1" } } }), {
      code: "ValidationException", message: `${INVALID}Cannot update attribute sk. This attribute is part of the key`,
    });
    await assertAwsError(ddb.send(new UpdateItemCommand({
      TableName, Key: key(3), AttributeUpdates: { a: { Action: "PUT", Value: { S: "x" } } }, UpdateExpression: "SET b = :b", ExpressionAttributeValues: { ":b": { S: "y" } },
    })), {
      code: "ValidationException",
      message: "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}",
    });
  });

  it("KeyConditions, QueryFilter and ScanFilter", async () => {
    for (let sk = 10; sk < 20; sk++) {
      await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: "q" }, sk: { N: String(sk) }, odd: { BOOL: sk % 2 === 1 }, tag: { S: `t${sk}` } } }));
    }
    const q = await ddb.send(new QueryCommand({
      TableName,
      KeyConditions: { pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "q" }] }, sk: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "12" }, { N: "17" }] } },
      QueryFilter: { odd: { ComparisonOperator: "EQ", AttributeValueList: [{ BOOL: true }] } },
      ScanIndexForward: false,
    }));
    assert.deepEqual(q.Items?.map((i) => i.sk?.N), ["17", "15", "13"]);
    assert.equal(q.ScannedCount, 6);
    const s = await ddb.send(new ScanCommand({
      TableName,
      ScanFilter: { tag: { ComparisonOperator: "IN", AttributeValueList: [{ S: "t11" }, { S: "t19" }] }, sk: { ComparisonOperator: "LT", AttributeValueList: [{ N: "11" }] } },
      ConditionalOperator: "OR",
    }));
    assert.deepEqual(s.Items?.map((i) => i.sk?.N).sort(), ["10", "11", "19", "3"]); // sk 3: the AttributeUpdates test's item
    const query = (KeyConditions: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      ddb.send(new QueryCommand({ TableName, KeyConditions: KeyConditions as never, ...extra }));
    const pkEq = { pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "q" }] } };
    await assertAwsError(query({ ...pkEq, sk: { ComparisonOperator: "NE", AttributeValueList: [{ N: "1" }] } }), {
      code: "ValidationException", message: "Attempted conditional constraint is not an indexable operation",
    });
    await assertAwsError(query({ pk: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ S: "q" }] } }), {
      code: "ValidationException", message: "Query key condition not supported",
    });
    await assertAwsError(query({ sk: { ComparisonOperator: "EQ", AttributeValueList: [{ N: "1" }] } }), {
      code: "ValidationException", message: "Query condition missed key schema element: pk",
    });
    await assertAwsError(query({ pk: { ComparisonOperator: "EQ", AttributeValueList: [{ N: "1" }] } }), {
      code: "ValidationException", message: `${INVALID}Condition parameter type does not match schema type`,
    });
    await assertAwsError(query({ ...pkEq, sk: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ N: "1" }] } }), {
      code: "ValidationException", message: `${INVALID}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`,
    });
    await assertAwsError(query(pkEq, { QueryFilter: { sk: { ComparisonOperator: "EQ", AttributeValueList: [{ N: "1" }] } } }), {
      code: "ValidationException", message: "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk",
    });
    // The same rule for a FilterExpression, in AWS's other words.
    await assertAwsError(ddb.send(new QueryCommand({
      TableName, KeyConditionExpression: "pk = :p", FilterExpression: "sk > :s", ExpressionAttributeValues: { ":p": { S: "q" }, ":s": { N: "1" } },
    })), { code: "ValidationException", message: "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk" });
    await assertAwsError(ddb.send(new ScanCommand({ TableName, ScanFilter: { a: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "1" }] } } })), {
      code: "ValidationException", message: `${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`,
    });
    await assertAwsError(ddb.send(new ScanCommand({ TableName, ScanFilter: { a: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "2" }, { N: "1" }] } } })), {
      code: "ValidationException", message: "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
    });
    await assertAwsError(ddb.send(new ScanCommand({ TableName, ScanFilter: { a: { ComparisonOperator: "GT", AttributeValueList: [{ SS: ["x"] }] } } })), {
      code: "ValidationException", message: `${INVALID}ComparisonOperator GT is not valid for SS AttributeValue type`,
    });
    await assertAwsError(ddb.send(new ScanCommand({ TableName, ScanFilter: { a: { ComparisonOperator: "NULL" } }, FilterExpression: "attribute_exists(b)" })), {
      code: "ValidationException",
      message: "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}",
    });
  });
});
