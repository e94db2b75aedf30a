import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand,
  HeadObjectCommand, ListObjectVersionsCommand, PutBucketEncryptionCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, python, useTestServer } from "../../../test/helpers.js";

// Conditional writes on every operation that writes an object (PutObject,
// CompleteMultipartUpload, CopyObject: S3 User Guide, "Conditional writes") and
// the rules of copying an object onto itself (CopyObject API reference).

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const Bucket = "write-rules";
await s3.send(new CreateBucketCommand({ Bucket }));

const precondition = { code: "PreconditionFailed", message: "At least one of the pre-conditions you specified did not hold", status: 412 };
const text = async (out: { Body?: unknown }) => (out.Body as { transformToString(): Promise<string> }).transformToString();

test("CompleteMultipartUpload is a conditional write; the upload stays for another try", async () => {
  const Key = "mpu-target";
  const existing = await s3.send(new PutObjectCommand({ Bucket, Key, Body: "already here" }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const part = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: "new bytes" }));
  const MultipartUpload = { Parts: [{ PartNumber: 1, ETag: part.ETag }] };
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload, IfNoneMatch: "*" })), precondition);
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload, IfMatch: '"0123"' })), precondition);
  // If-Match needs an object to match.
  const other = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "nothing-there" }));
  const otherPart = await s3.send(new UploadPartCommand({ Bucket, Key: "nothing-there", UploadId: other.UploadId, PartNumber: 1, Body: "x" }));
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({
    Bucket, Key: "nothing-there", UploadId: other.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: otherPart.ETag }] }, IfMatch: existing.ETag,
  })), { code: "NoSuchKey", message: "The specified key does not exist.", status: 404 });
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket, Key }))), "already here");
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload, IfMatch: existing.ETag }));
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket, Key }))), "new bytes");

  // If-None-Match takes "*" only (boto3 sends the header as given).
  const out = await python(server.endpoint, [
    "c = client('s3')",
    `u = c.create_multipart_upload(Bucket='${Bucket}', Key='${Key}')['UploadId']`,
    `e = c.upload_part(Bucket='${Bucket}', Key='${Key}', UploadId=u, PartNumber=1, Body=b'x')['ETag']`,
    "try:",
    `    c.complete_multipart_upload(Bucket='${Bucket}', Key='${Key}', UploadId=u, IfNoneMatch='"abc"', MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': e}]})`,
    "except botocore.exceptions.ClientError as err:",
    "    print(json.dumps([err.response['Error'], err.response['ResponseMetadata']['HTTPStatusCode']]))",
  ].join("\n"));
  assert.equal(out[0].Code, "NotImplemented");
  assert.equal(out[0].Header, "If-None-Match");
  assert.equal(out[1], 501);
});

test("CopyObject: If-None-Match and If-Match on the destination, apart from the source's conditions", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "copy-src", Body: "source" }));
  const dst = await s3.send(new PutObjectCommand({ Bucket, Key: "copy-dst", Body: "destination" }));
  const CopySource = `${Bucket}/copy-src`;
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket, Key: "copy-dst", CopySource, IfNoneMatch: "*" })), precondition);
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket, Key: "copy-dst", CopySource, IfMatch: '"0123"' })), precondition);
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket, Key: "copy-new", CopySource, IfMatch: dst.ETag })), {
    code: "NoSuchKey", message: "The specified key does not exist.", status: 404,
  });
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "copy-dst" }))), "destination");
  await s3.send(new CopyObjectCommand({ Bucket, Key: "copy-new", CopySource, IfNoneMatch: "*" }));
  await s3.send(new CopyObjectCommand({ Bucket, Key: "copy-dst", CopySource, IfMatch: dst.ETag }));
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "copy-dst" }))), "source");
});

test("copying onto itself: refused unchanged, allowed from a named version or into an encrypted bucket", async () => {
  const Versioned = "write-rules-versioned";
  await s3.send(new CreateBucketCommand({ Bucket: Versioned }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: Versioned, VersioningConfiguration: { Status: "Enabled" } }));
  const first = await s3.send(new PutObjectCommand({ Bucket: Versioned, Key: "doc", Body: "first" }));
  await s3.send(new PutObjectCommand({ Bucket: Versioned, Key: "doc", Body: "second" }));
  const illegal = {
    code: "InvalidRequest",
    message: "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    status: 400,
  };
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket: Versioned, Key: "doc", CopySource: `${Versioned}/doc` })), illegal);
  // Restoring a previous version is a copy of it onto its own key (S3 User Guide, "Restoring previous versions").
  const restored = await s3.send(new CopyObjectCommand({ Bucket: Versioned, Key: "doc", CopySource: `${Versioned}/doc?versionId=${first.VersionId}` }));
  assert.equal(restored.CopySourceVersionId, first.VersionId);
  assert.notEqual(restored.VersionId, first.VersionId);
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: Versioned, Key: "doc" }))), "first");
  assert.equal((await s3.send(new ListObjectVersionsCommand({ Bucket: Versioned, Prefix: "doc" }))).Versions?.length, 3);

  // A bucket whose default encryption was configured re-encrypts in place.
  await s3.send(new PutObjectCommand({ Bucket, Key: "in-place", Body: "x" }));
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket, Key: "in-place", CopySource: `${Bucket}/in-place` })), illegal);
  const Encrypted = "write-rules-encrypted";
  await s3.send(new CreateBucketCommand({ Bucket: Encrypted }));
  await s3.send(new PutObjectCommand({ Bucket: Encrypted, Key: "in-place", Body: "x" }));
  await s3.send(new PutBucketEncryptionCommand({
    Bucket: Encrypted,
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" } }] },
  }));
  await s3.send(new CopyObjectCommand({ Bucket: Encrypted, Key: "in-place", CopySource: `${Encrypted}/in-place` }));
});

test("CopyObject with ChecksumAlgorithm gives the copy that algorithm's checksum", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "sum-src", Body: "hello world", ChecksumAlgorithm: "CRC32" }));
  const copied = await s3.send(new CopyObjectCommand({ Bucket, Key: "sum-dst", CopySource: `${Bucket}/sum-src`, ChecksumAlgorithm: "SHA256" }));
  // SHA-256 of "hello world", base64.
  assert.equal(copied.CopyObjectResult?.ChecksumSHA256, "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
  const copiedC = await s3.send(new CopyObjectCommand({ Bucket, Key: "sum-dst", CopySource: `${Bucket}/sum-src`, ChecksumAlgorithm: "CRC32C" }));
  assert.equal(copiedC.CopyObjectResult?.ChecksumCRC32C, "yZRlqg==");
});

test("a copy of a multipart object is one object: the bytes' MD5 as ETag, no parts", async () => {
  const Key = "multipart-source";
  const bytes = Buffer.concat([Buffer.alloc(5 * 1024 * 1024, "a"), Buffer.from("tail of the object")]);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const p1 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: bytes.subarray(0, 5 * 1024 * 1024) }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: bytes.subarray(5 * 1024 * 1024) }));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
  assert.match(done.ETag!, /-2"$/);
  const md5 = `"${createHash("md5").update(bytes).digest("hex")}"`;
  const copied = await s3.send(new CopyObjectCommand({ Bucket, Key: "multipart-copy", CopySource: `${Bucket}/${Key}` }));
  assert.equal(copied.CopyObjectResult?.ETag, md5);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "multipart-copy", PartNumber: 1 }));
  assert.equal(head.PartsCount, undefined);
  assert.equal(head.ContentLength, bytes.length);
  // A copy of the copy, and its bytes read across the parts' files.
  await s3.send(new CopyObjectCommand({ Bucket, Key: "copy-of-copy", CopySource: `${Bucket}/multipart-copy` }));
  const out = await s3.send(new GetObjectCommand({ Bucket, Key: "copy-of-copy", Range: `bytes=${5 * 1024 * 1024 - 2}-${5 * 1024 * 1024 + 3}` }));
  assert.equal(await text(out), "aatail");
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "copy-of-copy" }))).ETag, md5);
});

test("user metadata is limited to 2 KB of keys and values", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "meta-ok", Body: "x", Metadata: { k: "v".repeat(2047) } }));
  await assertAwsError(s3.send(new PutObjectCommand({ Bucket, Key: "meta-big", Body: "x", Metadata: { k: "v".repeat(2048) } })), {
    code: "MetadataTooLarge", message: "Your metadata headers exceed the maximum allowed metadata size.", status: 400,
  });
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket, Key: "meta-big", CopySource: `${Bucket}/meta-ok`, MetadataDirective: "REPLACE", Metadata: { a: "1".repeat(1024), b: "2".repeat(1024) } })), {
    code: "MetadataTooLarge", status: 400,
  });
});

test("keys are at most 1024 bytes of UTF-8", async () => {
  const longest = "k/" + "é".repeat(511);
  await s3.send(new PutObjectCommand({ Bucket, Key: longest, Body: "x" }));
  const tooLong = { code: "KeyTooLongError", message: "Your key is too long.", status: 400 };
  await assertAwsError(s3.send(new PutObjectCommand({ Bucket, Key: `${longest}x`, Body: "x" })), tooLong);
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket, Key: `${longest}x`, CopySource: `${Bucket}/${encodeURIComponent(longest)}` })), tooLong);
  await assertAwsError(s3.send(new CreateMultipartUploadCommand({ Bucket, Key: `${longest}x` })), tooLong);
});

test("a checksum of an algorithm Terrarium does not compute (SHA512, MD5, XXHASH*) is refused, never stored unverified", async () => {
  for (const [header, value] of [["x-amz-checksum-sha512", "A".repeat(86) + "=="], ["x-amz-checksum-xxhash64", "AAAAAAAAAAA="]]) {
    const res = await fetch(`${server.endpoint}/${Bucket}/unverifiable`, {
      method: "PUT",
      headers: { [header]: value, authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00" },
      body: "bytes",
    });
    assert.equal(res.status, 400, header);
    assert.match(await res.text(), /<Code>InvalidRequest<\/Code><Message>Checksum algorithm provided is unsupported\. Please try again with any of the valid types: \[CRC32, CRC32C, CRC64NVME, SHA1, SHA256\]<\/Message>/);
  }
  await assertAwsError(s3.send(new HeadObjectCommand({ Bucket, Key: "unverifiable" })), { code: "NotFound", status: 404 });
});
