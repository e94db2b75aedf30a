import { test } from "node:test";
import assert from "node:assert/strict";
import { pageAfterKey, pageSorted } from "./pagination.js";

const bad = () => new Error("bad token");

test("pages through sorted keys with opaque tokens that survive changes", () => {
  const names = ["e", "a", "c", "b", "d"];
  const first = pageSorted(names, (n) => n, 2, undefined, bad);
  assert.deepEqual(first.items, ["a", "b"]);
  const second = pageSorted([...names, "bb"], (n) => n, 2, first.next, bad);
  assert.deepEqual(second.items, ["bb", "c"]);
  const last = pageSorted(names, (n) => n, 2, second.next, bad);
  assert.deepEqual(last, { items: ["d", "e"], next: undefined });
});

test("caps the page at max and refuses tokens it did not issue", () => {
  assert.equal(pageSorted(Array.from({ length: 150 }, (_, i) => String(i).padStart(3, "0")), (n) => n, 500, undefined, bad).items.length, 100);
  assert.throws(() => pageAfterKey(["a"], (n) => n, 1, "not-a-token", bad), /bad token/);
  assert.throws(() => pageAfterKey(["a"], (n) => n, 1, Buffer.from('{"after":1}').toString("base64"), bad), /bad token/);
});
