import assert from "node:assert/strict";
import { test } from "node:test";
import { recordJson } from "./record-json.js";
import type { ObjectRecord } from "./records.js";

const base: ObjectRecord = {
  key: "photos/2024/ünïcode \"quoted\" \\ back\nline 😀", versionId: "null", lastModified: 1795425877523, owner: "000000000000",
  blob: "s3/x", size: 1024, etag: '"7265f4d211b56873a381d321f586e4a9"',
  headers: { ContentType: "application/octet-stream", ContentEncoding: undefined, CacheControl: "max-age=60" },
  metadata: { "x-note": "tab\there", "üser": "v" }, storageClass: "STANDARD", tags: [["k", "v\u0001"], ["a b", "\ud800"]],
  checksum: { algorithm: "CRC32", value: "SNfwYw==", type: "FULL_OBJECT" }, sse: undefined,
};

test("a plain record's text is JSON that parses to what JSON.stringify's does", () => {
  for (const record of [base, { ...base, tags: [], metadata: {}, checksum: undefined, blob: undefined }]) {
    const text = recordJson(record);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(record)));
  }
});

test("a record with fields it does not write by hand goes to JSON.stringify whole", () => {
  const withAcl = { ...base, acl: [{ grantee: { type: "CanonicalUser", id: "x" }, permission: "READ" }] } as unknown as ObjectRecord;
  assert.equal(recordJson(withAcl), JSON.stringify(withAcl));
  const odd = { ...base, size: Number.NaN };
  assert.equal(recordJson(odd), JSON.stringify(odd));
  const parts = { ...base, parts: [{ size: 5, etag: '"e"' }], deleteMarker: true } as ObjectRecord;
  assert.equal(recordJson(parts), JSON.stringify(parts));
});
