import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isServiceError } from "../../protocols/service-error.js";
import { decodeMarker, encodeMarker, paginate, sortedBy } from "./pagination.js";

const names = sortedBy(["delta", "alpha", "charlie", "bravo", "echo"], (n) => n);
const key = (n: string) => n;

describe("IAM pagination", () => {
  it("answers everything without a Marker when it fits", () => {
    assert.deepEqual(paginate(names, key, {}), { items: names, IsTruncated: false });
  });

  it("walks pages with MaxItems and the Marker it hands out", () => {
    const first = paginate(names, key, { MaxItems: 2 });
    assert.deepEqual(first.items, ["alpha", "bravo"]);
    assert.equal(first.IsTruncated, true);
    assert.ok(first.Marker);
    const second = paginate(names, key, { MaxItems: 2, Marker: first.Marker });
    assert.deepEqual(second.items, ["charlie", "delta"]);
    const third = paginate(names, key, { MaxItems: 2, Marker: second.Marker });
    assert.deepEqual(third, { items: ["echo"], IsTruncated: false });
  });

  it("continues after the marked item even when it was deleted meanwhile", () => {
    const first = paginate(names, key, { MaxItems: 2 });
    const shrunk = names.filter((n) => n !== "bravo");
    assert.deepEqual(paginate(shrunk, key, { MaxItems: 2, Marker: first.Marker }).items, ["charlie", "delta"]);
  });

  it("defaults MaxItems to 100", () => {
    const many = sortedBy(Array.from({ length: 150 }, (_, i) => `user-${String(i).padStart(3, "0")}`), key);
    const page = paginate(many, key, {});
    assert.equal(page.items.length, 100);
    assert.equal(page.IsTruncated, true);
  });

  it("rejects markers it did not issue", () => {
    assert.equal(decodeMarker(encodeMarker("x/y")), "x/y");
    for (const bad of ["not a marker", "AAAA", "%%%"]) {
      assert.throws(
        () => paginate(names, key, { Marker: bad }),
        (e: unknown) => isServiceError(e) && e.code === "ValidationError" && e.message === "Invalid Marker.",
      );
    }
  });
});
