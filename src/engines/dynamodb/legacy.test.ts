import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyUpdate, evaluateCondition, ExpressionError, legacyAttributeUpdates, legacyExpected, legacyFilter, legacyKeyConditions, RequestExpressions,
  type Item,
} from "./index.js";

// The legacy parameters translate to the trees the expression parsers build:
// each pair below must agree on every item.

const items: (Item | undefined)[] = [
  undefined,
  { a: { N: "5" }, s: { S: "hello" }, ss: { SS: ["x", "y"] } },
  { a: { S: "5" }, s: { S: "world" } },
  { a: { N: "12" } },
];

function agrees(legacy: ReturnType<typeof legacyFilter>, expression: string, values: Record<string, Item[string]>): void {
  const expr = new RequestExpressions(undefined, values).condition(expression);
  for (const item of items) assert.equal(evaluateCondition(legacy!, item), evaluateCondition(expr, item), `${expression} on ${JSON.stringify(item)}`);
}

test("filters agree with the equivalent expressions", () => {
  agrees(legacyFilter({ a: { ComparisonOperator: "EQ", AttributeValueList: [{ N: "5" }] } }, undefined, "scanFilter"), "a = :v", { ":v": { N: "5" } });
  agrees(legacyFilter({ a: { ComparisonOperator: "NE", AttributeValueList: [{ N: "5" }] } }, undefined, "scanFilter"), "a <> :v", { ":v": { N: "5" } });
  agrees(legacyFilter({ a: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "1" }, { N: "10" }] } }, undefined, "scanFilter"), "a BETWEEN :l AND :h", { ":l": { N: "1" }, ":h": { N: "10" } });
  agrees(legacyFilter({ a: { ComparisonOperator: "NOT_NULL" }, s: { ComparisonOperator: "NOT_CONTAINS", AttributeValueList: [{ S: "ell" }] } }, "OR", "scanFilter"),
    "attribute_exists(a) OR NOT contains(s, :v)", { ":v": { S: "ell" } });
  agrees(legacyFilter({ a: { ComparisonOperator: "IN", AttributeValueList: [{ N: "5" }, { N: "12" }] }, s: { ComparisonOperator: "NULL" } }, "AND", "scanFilter"),
    "a IN (:x, :y) AND attribute_not_exists(s)", { ":x": { N: "5" }, ":y": { N: "12" } });
  agrees(legacyExpected({ a: { Value: { N: "5" } }, b: { Exists: false } }, undefined), "a = :v AND attribute_not_exists(b)", { ":v": { N: "5" } });
});

test("KeyConditions become the KeyCondition a KeyConditionExpression gives", () => {
  const schema = { partitionKey: "pk", sortKey: "sk" };
  const legacy = legacyKeyConditions({
    pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "p" }] }, sk: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ S: "a#" }] },
  }, schema, { partitionKey: "S", sortKey: "S" });
  const expr = new RequestExpressions(undefined, { ":p": { S: "p" }, ":s": { S: "a#" } }).keyCondition("pk = :p AND begins_with(sk, :s)", schema);
  assert.deepEqual(legacy, expr);
  assert.throws(() => legacyKeyConditions({}, schema, { partitionKey: "S", sortKey: "S" }), (e: unknown) => e instanceof ExpressionError && e.message === "Conditions can be of length 1 or 2 only");
});

test("AttributeUpdates apply as the equivalent UpdateExpression", () => {
  const item: Item = { id: { S: "k" }, n: { N: "1" }, ss: { SS: ["a", "b"] }, gone: { S: "x" }, l: { L: [{ N: "1" }] } };
  const { item: out } = applyUpdate(legacyAttributeUpdates({
    n: { Action: "ADD", Value: { N: "2" } }, ss: { Action: "DELETE", Value: { SS: ["a"] } }, gone: { Action: "DELETE" },
    p: { Value: { S: "put" } }, l: { Action: "ADD", Value: { L: [{ N: "2" }] } }, fresh: { Action: "ADD", Value: { L: [{ N: "3" }] } },
  }), item);
  assert.deepEqual(out, { id: { S: "k" }, n: { N: "3" }, ss: { SS: ["b"] }, p: { S: "put" }, l: { L: [{ N: "1" }, { N: "2" }] }, fresh: { L: [{ N: "3" }] } });
});
