import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateCondition, projectItem, RequestExpressions, type AttributeValue, type Item } from "./index.js";

const item: Item = {
  id: { S: "u1" },
  age: { N: "42" },
  name: { S: "Alice" },
  tags: { SS: ["a", "b"] },
  nums: { NS: ["1", "2.5"] },
  lst: { L: [{ S: "x" }, { N: "7" }, { M: { deep: { BOOL: true } } }] },
  mp: { M: { inr: { S: "v" }, n: { NULL: true } } },
  bin: { B: new Uint8Array([1, 2, 3]) },
};

function check(expr: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>, on: Item = item): boolean {
  const req = new RequestExpressions(names, Object.keys(values).length ? values : undefined);
  return evaluateCondition(req.condition(expr), on);
}

test("comparisons: numbers by value, strings by bytes, mismatched types false", () => {
  assert.equal(check("age = :v", { ":v": { N: "42.0" } }), true);
  assert.equal(check("age > :v", { ":v": { N: "9" } }), true);
  assert.equal(check("age < :v", { ":v": { S: "9" } }), false);
  assert.equal(check("age = :v", { ":v": { S: "42" } }), false);
  assert.equal(check("age <> :v", { ":v": { S: "42" } }), true);
  assert.equal(check("#n >= :v", { ":v": { S: "Al" } }, { "#n": "name" }), true);
  assert.equal(check("tags = :v", { ":v": { SS: ["b", "a"] } }), true);
});

test("missing attributes: comparisons false, <> true", () => {
  assert.equal(check("nope = :v", { ":v": { N: "1" } }), false);
  assert.equal(check("nope < :v", { ":v": { N: "1" } }), false);
  assert.equal(check("nope <> :v", { ":v": { N: "1" } }), true);
  assert.equal(check("NOT nope = :v", { ":v": { N: "1" } }), true);
  // No item at all (a PutItem on a new key).
  assert.equal(evaluateCondition(new RequestExpressions(undefined, undefined).condition("attribute_not_exists(id)"), undefined), true);
});

test("BETWEEN and IN", () => {
  assert.equal(check("age BETWEEN :a AND :b", { ":a": { N: "40" }, ":b": { N: "42" } }), true);
  assert.equal(check("age BETWEEN :a AND :b", { ":a": { N: "43" }, ":b": { N: "50" } }), false);
  assert.equal(check("age IN (:a, :b)", { ":a": { N: "1" }, ":b": { N: "42" } }), true);
  assert.equal(check("age IN (:a)", { ":a": { S: "42" } }), false);
});

test("functions", () => {
  assert.equal(check("attribute_exists(mp.inr) AND attribute_not_exists(mp.nope)"), true);
  assert.equal(check("attribute_exists(lst[2].deep)"), true);
  assert.equal(check("attribute_exists(lst[3])"), false);
  assert.equal(check("attribute_type(age, :t)", { ":t": { S: "N" } }), true);
  assert.equal(check("begins_with(#n, :p)", { ":p": { S: "Ali" } }, { "#n": "name" }), true);
  assert.equal(check("begins_with(bin, :p)", { ":p": { B: new Uint8Array([1, 2]) } }), true);
  assert.equal(check("contains(tags, :t)", { ":t": { S: "b" } }), true);
  assert.equal(check("contains(nums, :t)", { ":t": { N: "2.50" } }), true);
  assert.equal(check("contains(#n, :t)", { ":t": { S: "lic" } }, { "#n": "name" }), true);
  assert.equal(check("contains(lst, :t)", { ":t": { N: "7" } }), true);
  assert.equal(check("size(lst) = :n", { ":n": { N: "3" } }), true);
  assert.equal(check("size(#n) > :n", { ":n": { N: "4" } }, { "#n": "name" }), true);
  assert.equal(check("size(age) > :n", { ":n": { N: "0" } }), false);
});

test("logic and precedence", () => {
  const v = { ":a": { N: "1" }, ":b": { N: "42" } };
  assert.equal(check("age = :a OR age = :b AND attribute_exists(id)", v), true);
  assert.equal(check("(age = :a OR age = :b) AND attribute_not_exists(id)", v), false);
  assert.equal(check("NOT age = :a AND age = :b", v), true);
});

test("projection keeps nested structure and lst order", () => {
  const req = new RequestExpressions({ "#m": "mp" }, undefined);
  const out = projectItem(item, req.projection("#m.inr, lst[2].deep, lst[0], nope, id"));
  assert.deepEqual(out, {
    mp: { M: { inr: { S: "v" } } },
    lst: { L: [{ S: "x" }, { M: { deep: { BOOL: true } } }] },
    id: { S: "u1" },
  });
});
