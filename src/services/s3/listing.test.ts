import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pastPrefix, walk } from "./listing.js";

// A seekable source over sorted keys that counts the keys it hands out.
function seekable(keys: string[]) {
  const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const read = { count: 0 };
  const source = (function* (): Generator<{ key: string; item: string }, void, string | undefined> {
    let i = 0;
    while (i < sorted.length) {
      read.count++;
      const seek = yield { key: sorted[i], item: sorted[i] };
      if (seek === undefined) i++;
      else while (i < sorted.length && Buffer.compare(Buffer.from(sorted[i]), Buffer.from(seek)) < 0) i++;
    }
  })();
  return { source, read };
}

describe("S3 listing walk", () => {
  it("rolls a folder up into one common prefix and seeks past its other keys", () => {
    const keys = Array.from({ length: 300 }, (_, n) => `d${Math.floor(n / 100)}/k${String(n % 100).padStart(3, "0")}`).concat(["top"]);
    const { source, read } = seekable(keys);
    const page = walk(source, { prefix: "", delimiter: "/", max: 1000 });
    assert.deepEqual(page.entries.map((e) => (e.kind === "prefix" ? e.prefix : e.key)), ["d0/", "d1/", "d2/", "top"]);
    assert.equal(page.truncated, false);
    assert.equal(read.count, 4);
  });

  it("gives the same page from a source that cannot seek", () => {
    const keys = ["a/1", "a/2", "b", "c/x/y", "c/z"];
    const page = walk(keys.map((key) => ({ key, item: key })), { prefix: "", delimiter: "/", max: 1000 });
    assert.deepEqual(page.entries.map((e) => (e.kind === "prefix" ? e.prefix : e.key)), ["a/", "b", "c/"]);
  });

  it("continues after a marker inside a rolled-up prefix, and stops at max", () => {
    const { source } = seekable(["a/1", "a/2", "b/1", "c"]);
    const page = walk(source, { prefix: "", delimiter: "/", max: 1, after: "a/1" });
    assert.deepEqual(page.entries, [{ kind: "prefix", prefix: "b/" }]);
    assert.equal(page.truncated, true);
    assert.equal(page.last, "b/");
  });

  it("pastPrefix sorts above every key with the prefix and below the next one", () => {
    assert.equal(pastPrefix("d0/"), "d00");
    assert.equal(pastPrefix("a\u{10ffff}"), "b");
    assert.equal(pastPrefix("\u{10ffff}"), undefined);
    assert.equal(pastPrefix("x\ud7ff"), "x\ue000");
    const past = Buffer.from(pastPrefix("é/")!);
    assert.ok(Buffer.compare(Buffer.from("é/\u{10ffff}zz"), past) < 0);
    assert.ok(Buffer.compare(past, Buffer.from("é0")) <= 0);
  });
});
