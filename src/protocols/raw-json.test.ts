import { test } from "node:test";
import assert from "node:assert/strict";
import { RawJson, RawJsonSplicer } from "./raw-json.js";

test("splices raw JSON text where its placeholders stand", () => {
  const splicer = new RawJsonSplicer();
  const body = { Items: [splicer.placeholder(new RawJson('{"pk":{"S":"a"}}')), splicer.placeholder(new RawJson('{"n":{"N":"1.5"}}'))], Count: 2 };
  const text = splicer.stringify(body);
  assert.equal(text, '{"Items":[{"pk":{"S":"a"}},{"n":{"N":"1.5"}}],"Count":2}');
  assert.deepEqual(JSON.parse(text), { Items: [{ pk: { S: "a" } }, { n: { N: "1.5" } }], Count: 2 });
});

test("a user's string that looks like a placeholder stays a string", () => {
  const splicer = new RawJsonSplicer();
  const lookalike = "\u0001abc:0";
  const text = splicer.stringify({ S: lookalike, Items: [splicer.placeholder(new RawJson("[1]"))] });
  assert.deepEqual(JSON.parse(text), { S: lookalike, Items: [[1]] });
});

test("without a splicer, JSON.stringify still writes the value", () => {
  assert.equal(JSON.stringify({ a: new RawJson('{"x":1}') }), '{"a":{"x":1}}');
});
