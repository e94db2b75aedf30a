import { test } from "node:test";
import assert from "node:assert/strict";
import { ExpressionError, RequestExpressions } from "./index.js";

const values = { ":p": { S: "p" }, ":a": { N: "1" }, ":b": { N: "2" } };
const key = (expr: string, schema = { partitionKey: "pk", sortKey: "sk" }) =>
  new RequestExpressions(undefined, values).keyCondition(expr, schema);

function fails(expr: string, message: string): void {
  assert.throws(() => key(expr), (e: unknown) => e instanceof ExpressionError && e.message === message);
}

test("partition key equality with an optional sort key condition", () => {
  assert.deepEqual(key("pk = :p"), { partitionKey: { name: "pk", value: { S: "p" } } });
  assert.deepEqual(key(":a < sk AND pk = :p").sortKey, { name: "sk", op: ">", value: { N: "1" } });
  assert.deepEqual(key("pk = :p AND sk BETWEEN :a AND :b").sortKey, { name: "sk", op: "BETWEEN", low: { N: "1" }, high: { N: "2" } });
  assert.deepEqual(key("pk = :p AND begins_with(sk, :p)").sortKey, { name: "sk", op: "begins_with", prefix: { S: "p" } });
});

test("restricted shape errors", () => {
  fails("pk = :p OR sk = :a", "Invalid operator used in KeyConditionExpression: OR");
  fails("pk <> :p", "Invalid operator used in KeyConditionExpression: <>");
  fails("pk = :p AND contains(sk, :a)", "Invalid operator used in KeyConditionExpression: contains");
  fails("pk = :p AND pk = :p", "KeyConditionExpressions must only contain one condition per key");
  fails("pk = :p AND sk.x = :a", "KeyConditionExpressions cannot have conditions on nested attributes");
  fails("pk = :p AND size(sk) = :a", "KeyConditionExpressions cannot contain nested operations");
  fails("pk = sk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
  fails(":p = :p", "Invalid condition in KeyConditionExpression: No key attribute specified");
  fails("sk = :a", "Query condition missed key schema element: pk");
  assert.throws(() => key("pk = :p AND pk = :p AND sk = :a"), ExpressionError);
});
