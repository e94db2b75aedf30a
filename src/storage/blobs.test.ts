import assert from "node:assert/strict";
import { test } from "node:test";
import { createBlobStore } from "./blobs.js";

test("a small value kept in memory does not keep the larger buffer it was a view of", () => {
  const blobs = createBlobStore(undefined);
  // Pipelined requests in one packet.
  const packet = Buffer.from(`PUT /b/k HTTP/1.1\r\ncontent-length: 5\r\n\r\nhello${"PUT /b/other HTTP/1.1\r\n".repeat(500)}`);
  const at = packet.indexOf("hello");
  blobs.put("k", packet.subarray(at, at + 5));
  const kept = blobs.get("k")!;
  assert.equal(kept.toString(), "hello");
  assert.equal(kept.buffer.byteLength, 5);
  // A buffer of its own is kept as it is.
  const own = Buffer.alloc(3, 1);
  blobs.put("own", own);
  assert.equal(blobs.get("own"), own);
  blobs.close();
});
