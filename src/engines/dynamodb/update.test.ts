import { test } from "node:test";
import assert from "node:assert/strict";
import { applyUpdate, ExpressionError, RequestExpressions, type AttributeValue, type Item } from "./index.js";

const base = (): Item => ({
  id: { S: "k" },
  n: { N: "10" },
  s: { S: "str" },
  l: { L: [{ N: "0" }, { N: "1" }, { N: "2" }, { N: "3" }] },
  m: { M: { a: { S: "x" } } },
  ss: { SS: ["a", "b"] },
});

function run(expr: string, values?: Record<string, AttributeValue>, item: Item = base()) {
  return applyUpdate(new RequestExpressions(undefined, values).update(expr), item);
}

function fails(expr: string, values: Record<string, AttributeValue> | undefined, message: string): void {
  assert.throws(() => run(expr, values), (e: unknown) => e instanceof ExpressionError && e.message === message);
}

test("SET with arithmetic, if_not_exists and list_append", () => {
  const r = run("SET n = n + :one, c = if_not_exists(c, :zero) - :one, l = list_append(:pre, l), m.b = s", {
    ":one": { N: "1" }, ":zero": { N: "0" }, ":pre": { L: [{ S: "p" }] },
  });
  assert.deepEqual(r.item.n, { N: "11" });
  assert.deepEqual(r.item.c, { N: "-1" });
  assert.equal((r.item.l as { L: unknown[] }).L.length, 5);
  assert.deepEqual(r.item.m, { M: { a: { S: "x" }, b: { S: "str" } } });
  assert.deepEqual(r.updatedPaths, [["n"], ["c"], ["l"], ["m", "b"]]);
});

test("right-hand sides read the item as it was", () => {
  const r = run("SET a = n, n = :v", { ":v": { N: "5" } });
  assert.deepEqual(r.item.a, { N: "10" });
  assert.deepEqual(r.item.n, { N: "5" });
});

test("the input item is not modified", () => {
  const item = base();
  run("SET m.a = :v REMOVE l[0] ADD ss :s", { ":v": { S: "y" }, ":s": { SS: ["c"] } }, item);
  assert.deepEqual(item, base());
});

test("list indexes: SET past the end appends, REMOVE uses original positions", () => {
  const r = run("SET l[10] = :v, l[1] = :w REMOVE l[0], l[2], l[9]", { ":v": { S: "end" }, ":w": { S: "one" } });
  assert.deepEqual(r.item.l, { L: [{ S: "one" }, { N: "3" }, { S: "end" }] });
});

test("ADD and DELETE on numbers and sets", () => {
  const r = run("ADD n :five, newn :five, ss :s, newset :s DELETE ss2 :s", { ":five": { N: "5" }, ":s": { SS: ["b", "c"] } });
  assert.deepEqual(r.item.n, { N: "15" });
  assert.deepEqual(r.item.newn, { N: "5" });
  assert.deepEqual(r.item.ss, { SS: ["a", "b", "c"] });
  assert.deepEqual(r.item.newset, { SS: ["b", "c"] });
  const d = run("DELETE ss :s", { ":s": { SS: ["a", "b"] } });
  assert.equal("ss" in d.item, false);
  const e = run("DELETE ss :s", { ":s": { SS: ["a", "z"] } });
  assert.deepEqual(e.item.ss, { SS: ["b"] });
});

test("REMOVE nested and missing attributes", () => {
  const r = run("REMOVE m.a, nope, l[7]");
  assert.deepEqual(r.item.m, { M: {} });
  assert.equal((r.item.l as { L: unknown[] }).L.length, 4);
});

test("runtime errors carry AWS's text", () => {
  fails("SET n = nope + :one", { ":one": { N: "1" } },
    "The provided expression refers to an attribute that does not exist in the item");
  fails("SET n = s + :one", { ":one": { N: "1" } }, "An operand in the update expression has an incorrect data type");
  fails("SET x = list_append(s, :l)", { ":l": { L: [] } }, "An operand in the update expression has an incorrect data type");
  fails("ADD s :one", { ":one": { N: "1" } }, "An operand in the update expression has an incorrect data type");
  fails("ADD ss :ns", { ":ns": { NS: ["1"] } }, "An operand in the update expression has an incorrect data type");
  fails("SET nope.a = :one", { ":one": { N: "1" } }, "The document path provided in the update expression is invalid for update");
  fails("SET s[0] = :one", { ":one": { N: "1" } }, "The document path provided in the update expression is invalid for update");
  fails("SET n = n + :big", { ":big": { N: "9.9999999999999999999999999999999999999E+125" } },
    "Attempting to store more than 38 significant digits in a Number");
});
