import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectVersionsCommand, PutBucketVersioningCommand,
  PutObjectCommand, PutObjectTaggingCommand, S3Client,
} from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, testCredentials, useTestServer } from "../../../test/helpers.js";

// Reads after every kind of write see that write, though each key's current
// version is kept parsed-ready in memory (row-caches.ts): the cache is one
// per database, shared by every account's store, and emptied by a reset.

const server = await useTestServer();
const client = (account?: string) => new S3Client({ ...clientConfig(server.endpoint, "us-east-1", testCredentials({ account })), forcePathStyle: true });
const s3 = client();
const text = async (Key: string, Bucket = "cache-bucket", c = s3) => (await c.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();

await s3.send(new CreateBucketCommand({ Bucket: "cache-bucket" }));

test("a write through another account's store is seen by the next read", async () => {
  const other = client("111111111111");
  try {
    await s3.send(new PutObjectCommand({ Bucket: "cache-bucket", Key: "shared", Body: "mine" }));
    assert.equal(await text("shared"), "mine");
    await other.send(new PutObjectCommand({ Bucket: "cache-bucket", Key: "shared", Body: "theirs" }));
    assert.equal(await text("shared"), "theirs");
    assert.equal(await text("shared", "cache-bucket", other), "theirs");
  } finally {
    other.destroy();
  }
});

test("tags and a computed checksum written after a read show in the next read", async () => {
  await s3.send(new PutObjectCommand({ Bucket: "cache-bucket", Key: "tagged", Body: "x" }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: "cache-bucket", Key: "tagged" }))).TagCount, undefined);
  await s3.send(new PutObjectTaggingCommand({ Bucket: "cache-bucket", Key: "tagged", Tagging: { TagSet: [{ Key: "a", Value: "1" }] } }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: "cache-bucket", Key: "tagged" }))).TagCount, 1);
  await s3.send(new PutObjectTaggingCommand({ Bucket: "cache-bucket", Key: "tagged", Tagging: { TagSet: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] } }));
  assert.equal((await s3.send(new GetObjectCommand({ Bucket: "cache-bucket", Key: "tagged" }))).TagCount, 2);

  // Sent without a checksum (a raw PUT): S3 computes its CRC64NVME when first asked.
  const res = await fetch(`${server.endpoint}/cache-bucket/plain`, {
    method: "PUT",
    body: "plain bytes",
    headers: { authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00" },
  });
  assert.equal(res.status, 200);
  const first = await s3.send(new HeadObjectCommand({ Bucket: "cache-bucket", Key: "plain", ChecksumMode: "ENABLED" }));
  assert.match(first.ChecksumCRC64NVME ?? "", /^[A-Za-z0-9+/]{11}=$/);
  const again = await s3.send(new GetObjectCommand({ Bucket: "cache-bucket", Key: "plain", ChecksumMode: "ENABLED" }));
  assert.equal(again.ChecksumCRC64NVME, first.ChecksumCRC64NVME);
  assert.equal(await again.Body!.transformToString(), "plain bytes");
});

test("a reset forgets the objects read before it", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "reset-bucket" }));
  await s3.send(new PutObjectCommand({ Bucket: "reset-bucket", Key: "k", Body: "before" }));
  assert.equal(await text("k", "reset-bucket"), "before");
  assert.equal((await fetch(`${server.endpoint}/_terrarium/reset?service=s3`, { method: "POST" })).status, 200);
  await s3.send(new CreateBucketCommand({ Bucket: "reset-bucket" }));
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket: "reset-bucket", Key: "k" })), { code: "NoSuchKey", status: 404 });
  await s3.send(new PutObjectCommand({ Bucket: "reset-bucket", Key: "k", Body: "after" }));
  assert.equal(await text("k", "reset-bucket"), "after");
});

test("versions written through two accounts' stores keep their order and never collide", async () => {
  const other = client("222222222222");
  try {
    // The other account's store exists (and has read the highest version number) first.
    await other.send(new ListBucketsCommand({}));
    await s3.send(new CreateBucketCommand({ Bucket: "shared-versions" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: "shared-versions", VersioningConfiguration: { Status: "Enabled" } }));
    const written: string[] = [];
    for (const [c, body] of [[s3, "one"], [other, "two"], [s3, "three"], [other, "four"]] as const) {
      written.push((await c.send(new PutObjectCommand({ Bucket: "shared-versions", Key: "k", Body: body }))).VersionId!);
    }
    assert.equal(await text("k", "shared-versions"), "four");
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: "shared-versions" }));
    // Newest first.
    assert.deepEqual(listed.Versions?.map((v) => v.VersionId), [...written].reverse());
    assert.deepEqual(listed.Versions?.map((v) => v.IsLatest), [true, false, false, false]);
  } finally {
    other.destroy();
  }
});
