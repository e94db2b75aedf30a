import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExpiringKeys } from "./expiring-keys.js";

// The FIFO deduplication window's keys: each lives until its time, a key set again
// lives until its new time, and expired keys leave.

describe("ExpiringKeys", () => {
  it("keeps each key until it expires, a key set again until its new time", () => {
    const keys = new ExpiringKeys();
    keys.set("a", 100, 0);
    keys.set("b", 150, 10);
    keys.set("a", 200, 50);
    assert.equal(keys.get("a", 120), 200);
    assert.equal(keys.get("b", 120), 150);
    assert.equal(keys.get("b", 150), undefined);
    keys.set("c", 300, 160);
    // "a"'s first entry expired at 100 without taking the later one with it; "b" is gone.
    assert.equal(keys.get("a", 160), 200);
    assert.equal(keys.size, 2);
    keys.set("d", 400, 250);
    assert.equal(keys.get("a", 250), undefined);
    assert.equal(keys.size, 2);
  });

  it("stays as large as its live keys over many windows", () => {
    const keys = new ExpiringKeys();
    for (let now = 0; now < 100_000; now++) keys.set(`k${now}`, now + 300, now);
    assert.equal(keys.size, 300);
    assert.equal(keys.get("k99999", 99_999), 100_299);
    assert.equal(keys.get("k99000", 99_999), undefined);
  });

  it("tells which keys left, not those set again", () => {
    const gone: string[] = [];
    const keys = new ExpiringKeys((key) => gone.push(key));
    keys.set("a", 10, 0);
    keys.set("b", 10, 0);
    keys.set("a", 30, 5);
    keys.set("c", 40, 20);
    assert.deepEqual(gone, ["b"]);
    keys.set("d", 50, 35);
    assert.deepEqual(gone, ["b", "a"]);
  });
});
