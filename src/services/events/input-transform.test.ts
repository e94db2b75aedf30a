import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePath, readPath } from "./input-transform.js";

test("InputPath reads the event's own members only: no inherited names, no array length", () => {
  const event = JSON.parse('{"detail": {"list": [1, 2], "__proto__": "p", "a b": 3}}');
  const read = (path: string) => readPath(event, parsePath(path)!);
  assert.deepEqual(read("$.detail.list[1]"), 2);
  assert.equal(read("$.detail.__proto__"), "p");
  assert.equal(read("$['detail']['a b']"), 3);
  for (const path of ["$.detail.constructor", "$.detail.toString", "$.detail.list.length", "$.detail.list[5]"]) {
    assert.equal(read(path), undefined, path);
  }
});
