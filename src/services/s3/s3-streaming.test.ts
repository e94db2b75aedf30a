import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { test } from "node:test";
import Database from "better-sqlite3";
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand, S3Client,
  UploadPartCommand, PutBucketVersioningCommand, ListObjectVersionsCommand,
} from "@aws-sdk/client-s3";
import { awsCli, clientConfig, python, startTestServer, useTestServer } from "../../../test/helpers.js";
import { AwsChunkedDecoder, decodeAwsChunked } from "./aws-chunked.js";

// Object bytes are streamed in and out (files under the data dir, or a temporary
// directory in memory mode): a large upload or download never sits in memory.

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const Bucket = "streaming-bucket";
await s3.send(new CreateBucketCommand({ Bucket }));
const MiB = 1024 * 1024;

/** `size` deterministic bytes, produced 1 MiB at a time. */
function bytes(size: number, seed = 1): { stream: () => Readable; sha256: string } {
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + seed * 7) & 0xff;
  const hash = createHash("sha256");
  for (let left = size; left > 0; left -= MiB) hash.update(block.subarray(0, Math.min(MiB, left)));
  return {
    sha256: hash.digest("hex"),
    stream: () =>
      Readable.from(
        (function* () {
          for (let left = size; left > 0; left -= MiB) yield Buffer.from(block.subarray(0, Math.min(MiB, left)));
        })(),
      ),
  };
}

async function sha256Of(body: unknown): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of body as Readable) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

test("aws-chunked decoding survives any split of the stream", async () => {
  const body = Buffer.from("5;chunk-signature=ab\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");
  for (const size of [1, 2, 3, 7, 1000]) {
    const decoder = new AwsChunkedDecoder();
    const pieces: Buffer[] = [];
    for (let i = 0; i < body.length; i += size) pieces.push(body.subarray(i, i + size));
    const out: Buffer[] = [];
    for await (const chunk of Readable.from(pieces).pipe(decoder)) out.push(chunk as Buffer);
    assert.equal(Buffer.concat(out).toString(), "hello world");
    assert.deepEqual(decoder.trailers, { "x-amz-checksum-crc32": "AAAAAA==" });
  }
  assert.deepEqual(decodeAwsChunked(body).bytes.toString(), "hello world");
  assert.throws(() => decodeAwsChunked(Buffer.from("5\r\nhel")), /terminated unexpectedly/);
});

test("a 200 MiB upload and download through the SDK stream: the server's memory stays flat", async (t) => {
  const size = 200 * MiB;
  const source = bytes(size);
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    await s3.send(new PutObjectCommand({ Bucket, Key: "big", Body: source.stream(), ContentLength: size }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: "big" }));
    assert.equal(got.ContentLength, size);
    assert.equal(await sha256Of(got.Body), source.sha256);
    const ranged = await s3.send(new GetObjectCommand({ Bucket, Key: "big", Range: `bytes=${100 * MiB}-${150 * MiB - 1}` }));
    assert.equal(ranged.ContentLength, 50 * MiB);
    assert.equal(ranged.ContentRange, `bytes ${100 * MiB}-${150 * MiB - 1}/${size}`);
    let n = 0;
    for await (const chunk of ranged.Body as Readable) n += (chunk as Buffer).length;
    assert.equal(n, 50 * MiB);
  } finally {
    clearInterval(sample);
  }
  const growth = (peak - before) / MiB;
  t.diagnostic(`RSS growth ${growth.toFixed(1)} MiB for ${size / MiB} MiB up and down`);
  assert.ok(growth < 150, `RSS grew by ${growth.toFixed(0)} MiB`);
});

test("a multipart object is read across its parts' files, ranges spanning parts", async () => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "parts" }));
  const partSize = 6 * MiB;
  const sources = [bytes(partSize, 1), bytes(partSize, 2), bytes(3 * MiB, 3)];
  const whole = createHash("sha256");
  const Parts = [];
  for (const [i, source] of sources.entries()) {
    const length = i < 2 ? partSize : 3 * MiB;
    const out = await s3.send(new UploadPartCommand({ Bucket, Key: "parts", UploadId, PartNumber: i + 1, Body: source.stream(), ContentLength: length }));
    Parts.push({ PartNumber: i + 1, ETag: out.ETag });
    for await (const chunk of source.stream()) whole.update(chunk as Buffer);
  }
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "parts", UploadId, MultipartUpload: { Parts } }));
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "parts" }));
  assert.equal(await sha256Of(got.Body), whole.digest("hex"));
  // 1 MiB on each side of the first boundary.
  const span = await s3.send(new GetObjectCommand({ Bucket, Key: "parts", Range: `bytes=${partSize - MiB}-${partSize + MiB - 1}` }));
  const expected = createHash("sha256");
  const first: Buffer[] = [];
  for await (const c of sources[0].stream()) first.push(c as Buffer);
  const second: Buffer[] = [];
  for await (const c of sources[1].stream()) second.push(c as Buffer);
  expected.update(Buffer.concat(first).subarray(partSize - MiB)).update(Buffer.concat(second).subarray(0, MiB));
  assert.equal(await sha256Of(span.Body), expected.digest("hex"));
  const part2 = await s3.send(new GetObjectCommand({ Bucket, Key: "parts", PartNumber: 2 }));
  assert.equal(part2.ContentLength, partSize);
  assert.equal(part2.PartsCount, 3);
});

test("boto3 upload_file/download_file and aws s3 cp of a file larger than 64 MiB", async () => {
  const dir = mkdtempSync(join(tmpdir(), "terrarium-s3-cp-"));
  try {
    const src = join(dir, "src.bin");
    const size = 70 * MiB;
    const source = bytes(size, 5);
    await pipeline(source.stream(), createWriteStream(src));
    const out = await python(server.endpoint, [
      "import hashlib",
      "c = client('s3')",
      `c.upload_file(${JSON.stringify(src)}, '${Bucket}', 'boto/large')`,
      `c.download_file('${Bucket}', 'boto/large', ${JSON.stringify(join(dir, "boto.bin"))})`,
      `print(json.dumps(hashlib.sha256(open(${JSON.stringify(join(dir, "boto.bin"))}, 'rb').read()).hexdigest()))`,
    ].join("\n"));
    assert.equal(out, source.sha256);
    await awsCli(server.endpoint, ["s3", "cp", src, `s3://${Bucket}/cli/large.bin`]);
    await awsCli(server.endpoint, ["s3", "cp", `s3://${Bucket}/cli/large.bin`, join(dir, "cli.bin")]);
    assert.equal(statSync(join(dir, "cli.bin")).size, size);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: "cli/large.bin" }));
    assert.equal(await sha256Of(got.Body), source.sha256);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("with a data dir, small bytes are rows and large ones files; reset and deletes remove both", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "terrarium-s3-blobs-"));
  const terrarium = await startTestServer({ dataDir });
  // A second connection reads what the server committed (WAL).
  const db = new Database(join(dataDir, "terrarium.db"), { readonly: true });
  const rows = () => (db.prepare("SELECT COUNT(*) AS n FROM s3_blobs").get() as { n: number }).n;
  const fileCount = () => {
    const dir = join(dataDir, "blobs", "s3");
    return existsSync(dir) ? readdirSync(dir).filter((f) => !f.endsWith(".tmp")).length : 0;
  };
  const files = () => fileCount() + rows();
  const client = new S3Client({ ...clientConfig(terrarium.endpoint), forcePathStyle: true });
  try {
    await client.send(new CreateBucketCommand({ Bucket: "files-bucket" }));
    await client.send(new PutObjectCommand({ Bucket: "files-bucket", Key: "small", Body: "tiny" }));
    const big = bytes(3 * MiB);
    await client.send(new PutObjectCommand({ Bucket: "files-bucket", Key: "big", Body: big.stream(), ContentLength: 3 * MiB }));
    assert.deepEqual([fileCount(), rows()], [1, 1]);
    await client.send(new PutObjectCommand({ Bucket: "files-bucket", Key: "big", Body: "replaced" }));
    assert.deepEqual([fileCount(), rows()], [0, 2]);
    const got = await client.send(new GetObjectCommand({ Bucket: "files-bucket", Key: "big" }));
    assert.equal(await got.Body!.transformToString(), "replaced");
    // A multipart object's segments go when a put replaces it (never-versioned bucket).
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: "files-bucket", Key: "mp" }));
    const part = await client.send(new UploadPartCommand({ Bucket: "files-bucket", Key: "mp", UploadId, PartNumber: 1, Body: "part" }));
    await client.send(new CompleteMultipartUploadCommand({
      Bucket: "files-bucket", Key: "mp", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
    }));
    assert.equal(files(), 3);
    await client.send(new PutObjectCommand({ Bucket: "files-bucket", Key: "mp", Body: "simple now" }));
    assert.equal(files(), 3);
    // Once versioning is on, the null version stays beside the new one.
    await client.send(new PutBucketVersioningCommand({ Bucket: "files-bucket", VersioningConfiguration: { Status: "Enabled" } }));
    await client.send(new PutObjectCommand({ Bucket: "files-bucket", Key: "small", Body: "second" }));
    assert.equal(files(), 4);
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: "files-bucket", Prefix: "small" }));
    assert.deepEqual(versions.Versions?.map((v) => [v.VersionId === "null", v.IsLatest]), [[false, true], [true, false]]);
    const res = await fetch(`${terrarium.endpoint}/_terrarium/reset?service=s3`, { method: "POST" });
    assert.equal(res.status, 200);
    assert.equal(files(), 0);
  } finally {
    client.destroy();
    db.close();
    await terrarium.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
