import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { request } from "node:http";
import { Readable } from "node:stream";
import { test } from "node:test";
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListMultipartUploadsCommand,
  ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand, ListPartsCommand, PutBucketVersioningCommand, PutObjectCommand,
  PutObjectTaggingCommand, S3Client, UploadPartCommand, UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { assertAwsError, awsCli, clientConfig, python, useTestServer } from "../../../test/helpers.js";

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const Bucket = "objects-bucket";
await s3.send(new CreateBucketCommand({ Bucket }));
const text = async (out: { Body?: unknown }) => (out.Body as { transformToString(): Promise<string> }).transformToString();
const md5 = (s: string | Buffer) => `"${createHash("md5").update(s).digest("hex")}"`;

test("PutObject and GetObject: ETag, metadata, content headers, odd keys", async () => {
  for (const Key of ["plain.txt", "with space/and+plus%percent", "dir//double", "ünïcødé/日本語"]) {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, ContentType: "text/plain", Metadata: { Color: "blue" }, CacheControl: "max-age=60" }));
    assert.equal(put.ETag, md5(`body of ${Key}`));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.equal(await text(got), `body of ${Key}`);
    assert.equal(got.ContentType, "text/plain");
    assert.equal(got.CacheControl, "max-age=60");
    assert.deepEqual(got.Metadata, { color: "blue" });
  }
});

test("streamed upload (aws-chunked with a CRC32 trailer) and checksums", async () => {
  const body = Buffer.alloc(100_000, "z");
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "streamed", Body: Readable.from([body]), ContentLength: body.length }));
  assert.equal(put.ETag, md5(body));
  assert.ok(put.ChecksumCRC32);
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "streamed", ChecksumMode: "ENABLED" }));
  assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
  assert.equal((await got.Body!.transformToByteArray()).length, body.length);
  await assertAwsError(s3.send(new PutObjectCommand({ Bucket, Key: "bad", Body: "abc", ChecksumCRC32: "AAAAAA==" })), {
    code: "BadDigest", message: "The CRC32 you specified did not match the calculated checksum.", status: 400,
  });
  await assertAwsError(s3.send(new PutObjectCommand({ Bucket, Key: "bad", Body: "abc", ContentMD5: Buffer.alloc(16).toString("base64") })), {
    code: "BadDigest", message: "The Content-MD5 you specified did not match what we received.",
  });
  await assertAwsError(s3.send(new PutObjectCommand({ Bucket, Key: "bad", Body: "abc", ContentMD5: "nope" })), {
    code: "InvalidDigest", message: "The Content-MD5 you specified was invalid.",
  });
  for (const algorithm of ["CRC32C", "SHA1", "SHA256", "CRC64NVME"] as const) {
    const out = await s3.send(new PutObjectCommand({ Bucket, Key: `sum-${algorithm}`, Body: "checksummed", ChecksumAlgorithm: algorithm }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: `sum-${algorithm}`, ChecksumMode: "ENABLED" }));
    assert.equal(head[`Checksum${algorithm}`], out[`Checksum${algorithm}`]);
  }
});

test("Range, conditional reads and writes", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "ranged", Body: "0123456789" }));
  const part = await s3.send(new GetObjectCommand({ Bucket, Key: "ranged", Range: "bytes=2-4" }));
  assert.equal(part.$metadata.httpStatusCode, 206);
  assert.equal(part.ContentRange, "bytes 2-4/10");
  assert.equal(await text(part), "234");
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "ranged", Range: "bytes=-3" }))), "789");
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket, Key: "ranged", Range: "bytes=20-" })), {
    code: "InvalidRange", message: "The requested range is not satisfiable", status: 416,
  });
  const etag = md5("0123456789");
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket, Key: "ranged", IfMatch: '"nope"' })), {
    code: "PreconditionFailed", message: "At least one of the pre-conditions you specified did not hold", status: 412,
  });
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: "ranged", IfNoneMatch: etag })), (e: any) => e.$metadata.httpStatusCode === 304);
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: "ranged", IfModifiedSince: new Date(Date.now() + 86400_000 * 3650) })), (e: any) => e.$metadata.httpStatusCode === 304);
  // On the wire a 304 is headers only: the ETag, no document and no Content-Type or Content-Length.
  for (const method of ["GET", "HEAD"]) {
    const notModified = await rawRequest(method, `/${Bucket}/ranged`, { "if-none-match": etag });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.etag, etag);
    assert.equal(notModified.headers["content-type"], undefined);
    assert.equal(notModified.headers["content-length"], undefined);
  }
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket, Key: "ranged", IfUnmodifiedSince: new Date(Date.UTC(2000, 0, 1)) })), { code: "PreconditionFailed" });
  await assertAwsError(s3.send(new PutObjectCommand({ Bucket, Key: "ranged", Body: "x", IfNoneMatch: "*" })), { code: "PreconditionFailed", status: 412 });
  await s3.send(new PutObjectCommand({ Bucket, Key: "fresh-conditional", Body: "x", IfNoneMatch: "*" }));
  const overridden = await s3.send(new GetObjectCommand({ Bucket, Key: "ranged", ResponseContentType: "application/x-test", ResponseContentDisposition: "attachment" }));
  assert.equal(overridden.ContentType, "application/x-test");
  assert.equal(overridden.ContentDisposition, "attachment");
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket, Key: "missing" })), { code: "NoSuchKey", message: "The specified key does not exist.", status: 404 });
  await assertAwsError(s3.send(new HeadObjectCommand({ Bucket, Key: "missing" })), { code: "NotFound", status: 404 });
});

test("CopyObject, tagging, DeleteObject(s)", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "src key+1", Body: "copy me", Metadata: { a: "1" }, Tagging: "t1=v1&t2=v2" }));
  const copied = await s3.send(new CopyObjectCommand({ Bucket, Key: "dst", CopySource: `${Bucket}/${encodeURIComponent("src key+1")}` }));
  assert.equal(copied.CopyObjectResult?.ETag, md5("copy me"));
  const dst = await s3.send(new GetObjectCommand({ Bucket, Key: "dst" }));
  assert.deepEqual(dst.Metadata, { a: "1" });
  assert.equal(dst.TagCount, 2);
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket, Key: "dst", CopySource: `${Bucket}/dst` })), {
    code: "InvalidRequest",
    message: "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
  });
  await s3.send(new CopyObjectCommand({ Bucket, Key: "dst", CopySource: `${Bucket}/dst`, MetadataDirective: "REPLACE", Metadata: { b: "2" } }));
  assert.deepEqual((await s3.send(new HeadObjectCommand({ Bucket, Key: "dst" }))).Metadata, { b: "2" });
  await s3.send(new PutObjectTaggingCommand({ Bucket, Key: "dst", Tagging: { TagSet: [{ Key: "x", Value: "y" }] } }));
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: "dst" }))).TagSet, [{ Key: "x", Value: "y" }]);
  assert.equal((await s3.send(new DeleteObjectCommand({ Bucket, Key: "dst" }))).$metadata.httpStatusCode, 204);
  const out = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "src key+1" }, { Key: "never-was" }, { Key: "k", VersionId: "bad" }] } }));
  assert.deepEqual(out.Deleted?.map((d) => d.Key), ["src key+1", "never-was"]);
  assert.equal(out.Errors?.[0].Code, "InvalidArgument");
  const quiet = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Quiet: true, Objects: [{ Key: "a" }] } }));
  assert.equal(quiet.Deleted, undefined);
});

test("ListObjectsV2 and ListObjects: prefix, delimiter, pages, url encoding", async () => {
  const B = "listing-bucket";
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  const keys = ["a/1", "a/2", "a/b/3", "b", "c d", "c+e"];
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: B, Key, Body: Key }));
  const all = await s3.send(new ListObjectsV2Command({ Bucket: B }));
  assert.deepEqual(all.Contents?.map((c) => c.Key), keys);
  assert.equal(all.KeyCount, 6);
  const delimited = await s3.send(new ListObjectsV2Command({ Bucket: B, Delimiter: "/" }));
  assert.deepEqual(delimited.CommonPrefixes?.map((p) => p.Prefix), ["a/"]);
  assert.deepEqual(delimited.Contents?.map((c) => c.Key), ["b", "c d", "c+e"]);
  const nested = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: "a/", Delimiter: "/" }));
  assert.deepEqual(nested.Contents?.map((c) => c.Key), ["a/1", "a/2"]);
  assert.deepEqual(nested.CommonPrefixes?.map((p) => p.Prefix), ["a/b/"]);
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: B, MaxKeys: 2, ContinuationToken: token }));
    seen.push(...(page.Contents ?? []).map((c) => c.Key!));
    token = page.NextContinuationToken;
    assert.equal(page.IsTruncated, token !== undefined);
  } while (token);
  assert.deepEqual(seen, keys);
  assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: B, StartAfter: "b" }))).Contents?.map((c) => c.Key), ["c d", "c+e"]);
  const encoded = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: "c", EncodingType: "url" }));
  assert.deepEqual(encoded.Contents?.map((c) => c.Key), ["c+d", "c%2Be"]);
  const v1 = await s3.send(new ListObjectsCommand({ Bucket: B, Delimiter: "/", MaxKeys: 2 }));
  assert.equal(v1.IsTruncated, true);
  assert.equal(v1.NextMarker, "b");
  assert.ok(v1.Contents?.[0].Owner?.ID);
  // boto3 decodes url-encoded keys itself.
  const viaBoto = await python(server.endpoint, `print(json.dumps([o['Key'] for o in client('s3').list_objects_v2(Bucket='${B}', Prefix='c')['Contents']]))`);
  assert.deepEqual(viaBoto, ["c d", "c+e"]);
});

test("multipart upload: parts, EntityTooSmall, InvalidPartOrder, ETag of ETags, partNumber reads", async () => {
  const Key = "multi";
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const big = Buffer.alloc(5 * 1024 * 1024, "a");
  const p1 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: big }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: "tail" }));
  const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
  assert.deepEqual(listed.Parts?.map((p) => p.Size), [big.length, 4]);
  assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads?.[0].UploadId, UploadId);
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: p2.ETag }, { PartNumber: 1, ETag: p1.ETag }] } })), {
    code: "InvalidPartOrder", message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
  });
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00"' }] } })), {
    code: "InvalidPart",
    message: "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  });
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
  const expected = createHash("md5").update(Buffer.concat([p1.ETag!, p2.ETag!].map((e) => Buffer.from(e.replace(/"/g, ""), "hex")))).digest("hex");
  assert.equal(done.ETag, `"${expected}-2"`);
  const second = await s3.send(new GetObjectCommand({ Bucket, Key, PartNumber: 2 }));
  assert.equal(await text(second), "tail");
  assert.equal(second.PartsCount, 2);

  const small = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "small" }));
  const s1 = await s3.send(new UploadPartCommand({ Bucket, Key: "small", UploadId: small.UploadId, PartNumber: 1, Body: "x" }));
  const s2 = await s3.send(new UploadPartCopyCommand({ Bucket, Key: "small", UploadId: small.UploadId, PartNumber: 2, CopySource: `${Bucket}/multi`, CopySourceRange: "bytes=0-9" }));
  assert.equal(s2.CopyPartResult?.ETag, md5(Buffer.alloc(10, "a")));
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "small", UploadId: small.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: s1.ETag }, { PartNumber: 2, ETag: s2.CopyPartResult?.ETag }] } })), {
    code: "EntityTooSmall", message: "Your proposed upload is smaller than the minimum allowed size", status: 400,
  });
  await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: "small", UploadId: small.UploadId }));
  await assertAwsError(s3.send(new ListPartsCommand({ Bucket, Key: "small", UploadId: small.UploadId })), { code: "NoSuchUpload", status: 404 });
});

test("ListObjectVersions rolls folders up into common prefixes, page by page", async () => {
  const B = "versioned-folders";
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: "Enabled" } }));
  for (const Key of ["a/1", "a/1", "a/2", "b/x/1", "c"]) await s3.send(new PutObjectCommand({ Bucket: B, Key, Body: Key }));
  const all = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Delimiter: "/" }));
  assert.deepEqual(all.CommonPrefixes?.map((p) => p.Prefix), ["a/", "b/"]);
  assert.deepEqual(all.Versions?.map((v) => v.Key), ["c"]);
  const first = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Delimiter: "/", MaxKeys: 1 }));
  assert.equal(first.IsTruncated, true);
  assert.deepEqual(first.CommonPrefixes?.map((p) => p.Prefix), ["a/"]);
  assert.equal(first.NextKeyMarker, "a/");
  const second = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Delimiter: "/", KeyMarker: first.NextKeyMarker }));
  assert.deepEqual(second.CommonPrefixes?.map((p) => p.Prefix), ["b/"]);
  assert.deepEqual(second.Versions?.map((v) => v.Key), ["c"]);
  const inner = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: "a/", Delimiter: "/" }));
  assert.deepEqual(inner.Versions?.map((v) => v.Key), ["a/1", "a/1", "a/2"]);
});

test("versioning: version ids, delete markers, null versions, ListObjectVersions", async () => {
  const B = "versioned-bucket";
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: "k", Body: "null version" }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: "Enabled" } }));
  const v1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: "k", Body: "one" }));
  const v2 = await s3.send(new PutObjectCommand({ Bucket: B, Key: "k", Body: "two" }));
  assert.match(v1.VersionId!, /^[A-Za-z0-9._]{32}$/);
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: B, Key: "k", VersionId: v1.VersionId }))), "one");
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: B, Key: "k", VersionId: "null" }))), "null version");
  const del = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: "k" }));
  assert.equal(del.DeleteMarker, true);
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket: B, Key: "k" })), { code: "NoSuchKey", status: 404 });
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket: B, Key: "k", VersionId: del.VersionId })), {
    code: "MethodNotAllowed", message: "The specified method is not allowed against this resource.", status: 405,
  });
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
  assert.deepEqual(versions.Versions?.map((v) => v.VersionId), [v2.VersionId, v1.VersionId, "null"]);
  assert.equal(versions.DeleteMarkers?.[0].IsLatest, true);
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: "k", VersionId: del.VersionId }));
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: B, Key: "k" }))), "two");
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket: B, Key: "k", VersionId: "A".repeat(32) })), {
    code: "NoSuchVersion", message: "The specified version does not exist.", status: 404,
  });
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: "Suspended" } }));
  const suspended = await s3.send(new PutObjectCommand({ Bucket: B, Key: "k", Body: "three" }));
  assert.equal(suspended.VersionId, "null");
  assert.equal((await s3.send(new ListObjectVersionsCommand({ Bucket: B }))).Versions?.length, 3);
});

test("presigned GET and PUT from fetch; expired URLs are refused", async () => {
  const presigner = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" });
  const putUrl = await getSignedUrl(presigner, new PutObjectCommand({ Bucket, Key: "presigned.txt" }), { expiresIn: 60 });
  assert.equal((await fetch(putUrl, { method: "PUT", body: "via url" })).status, 200);
  const getUrl = await getSignedUrl(presigner, new GetObjectCommand({ Bucket, Key: "presigned.txt" }), { expiresIn: 60 });
  const res = await fetch(getUrl);
  assert.equal(await res.text(), "via url");
  const old = await getSignedUrl(presigner, new GetObjectCommand({ Bucket, Key: "presigned.txt" }), { expiresIn: 1, signingDate: new Date(Date.now() - 3600_000) });
  const expired = await fetch(old);
  assert.equal(expired.status, 403);
  const body = await expired.text();
  assert.match(body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  // A URL valid for more than a week (the presigner refuses to make one: edited by hand).
  const tooLong = await fetch(getUrl.replace(/X-Amz-Expires=\d+/, "X-Amz-Expires=604801"));
  assert.equal(tooLong.status, 400);
  assert.match(await tooLong.text(), /<Code>AuthorizationQueryParametersError<\/Code><Message>X-Amz-Expires must be less than a week \(in seconds\) that is 604800<\/Message>/);
  presigner.destroy();
});

test("virtual-hosted addressing through the Host header", async () => {
  const port = new URL(server.endpoint).port;
  const get = (host: string, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, headers: { host: `${host}:${port}` } }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      });
      req.on("error", reject);
      req.end();
    });
  await s3.send(new PutObjectCommand({ Bucket, Key: "vhost/key.txt", Body: "virtual" }));
  assert.equal((await get(`${Bucket}.s3.localhost.localstack.cloud`, "/vhost/key.txt")).body, "virtual");
  assert.equal((await get(`${Bucket}.localhost`, "/vhost/key.txt")).body, "virtual");
  assert.match((await get(`${Bucket}.s3.localhost.localstack.cloud`, "/?list-type=2&prefix=vhost/")).body, /<ListBucketResult[^>]*><IsTruncated>false<\/IsTruncated><Contents><Key>vhost\/key.txt<\/Key>/);
});

test("boto3 transfer manager and the AWS CLI (multipart for large files)", async () => {
  const out = await python(server.endpoint, [
    "import os, tempfile",
    "from boto3.s3.transfer import TransferConfig",
    "c = client('s3')",
    "cfg = TransferConfig(multipart_threshold=5*1024*1024, multipart_chunksize=5*1024*1024)",
    "d = tempfile.mkdtemp(); src = os.path.join(d, 'src'); dst = os.path.join(d, 'dst')",
    "open(src, 'wb').write(os.urandom(12*1024*1024))",
    `c.upload_file(src, '${Bucket}', 'boto/big', Config=cfg)`,
    `c.download_file('${Bucket}', 'boto/big', dst, Config=cfg)`,
    `h = c.head_object(Bucket='${Bucket}', Key='boto/big')`,
    "print(json.dumps([open(src,'rb').read() == open(dst,'rb').read(), h['ETag']]))",
  ].join("\n"));
  assert.equal(out[0], true);
  assert.match(out[1], /-3"$/);
  await awsCli(server.endpoint, ["s3api", "put-object", "--bucket", Bucket, "--key", "cli/one.txt", "--body", "/etc/hostname"]);
  const listing = await awsCli(server.endpoint, ["s3", "ls", `s3://${Bucket}/cli/`]);
  assert.match(listing, /one\.txt/);
  const api = await awsCli(server.endpoint, ["s3api", "list-objects-v2", "--bucket", Bucket, "--prefix", "cli/"]);
  assert.equal(api.Contents[0].Key, "cli/one.txt");
});

test("a restart with a data dir keeps buckets and object bytes", async () => {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { startTestServer } = await import("../../../test/helpers.js");
  const dataDir = mkdtempSync(join(tmpdir(), "terrarium-s3-"));
  try {
    const first = await startTestServer({ dataDir });
    const a = new S3Client({ ...clientConfig(first.endpoint), forcePathStyle: true });
    await a.send(new CreateBucketCommand({ Bucket: "kept-bucket" }));
    await a.send(new PutObjectCommand({ Bucket: "kept-bucket", Key: "kept", Body: "still here" }));
    a.destroy();
    await first.stop();
    const second = await startTestServer({ dataDir });
    const b = new S3Client({ ...clientConfig(second.endpoint), forcePathStyle: true });
    assert.equal(await text(await b.send(new GetObjectCommand({ Bucket: "kept-bucket", Key: "kept" }))), "still here");
    b.destroy();
    await second.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** One request on its own connection (node:http keeps the answer's headers as sent). */
function rawRequest(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: new URL(server.endpoint).port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}
