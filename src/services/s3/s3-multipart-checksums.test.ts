import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectAttributesCommand, HeadObjectCommand, ListMultipartUploadsCommand,
  S3Client, UploadPartCommand, UploadPartCopyCommand, type ChecksumAlgorithm, type ChecksumType, type CompletedPart,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { assertAwsError, clientConfig, useTestServer } from "../../../test/helpers.js";
import { checksumOf } from "./checksums.js";
import { combineCrcs } from "./crc-combine.js";

// Multipart uploads and flexible checksums (S3 User Guide, "Checking object
// integrity"; CreateMultipartUpload, UploadPart and CompleteMultipartUpload API
// references): which algorithm goes with which checksum type, parts of the
// upload's algorithm only, each part's checksum named at completion (COMPOSITE),
// and FULL_OBJECT checksums combined from the parts' CRCs.

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const Bucket = "mpu-checksums";
await s3.send(new CreateBucketCommand({ Bucket }));

const MiB = 1024 * 1024;
const data = randomBytes(11 * MiB + 3);
const pieces = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB, 10 * MiB), data.subarray(10 * MiB)];

test("the CRCs of joined bytes follow from the parts' CRCs and sizes", async () => {
  const cuts = [0, 1, 4096, 4096, 1 * MiB + 7, data.length];
  for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME"] as const) {
    const parts = [];
    for (let i = 0; i < cuts.length - 1; i++) {
      const bytes = data.subarray(cuts[i], cuts[i + 1]);
      parts.push({ checksum: await checksumOf(algorithm, bytes), size: bytes.length });
    }
    assert.equal(combineCrcs(algorithm, parts), await checksumOf(algorithm, data), algorithm);
  }
});

async function upload(Key: string, algorithm: ChecksumAlgorithm | undefined, type?: ChecksumType) {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: algorithm, ChecksumType: type }));
  const parts: CompletedPart[] = [];
  for (const [i, Body] of pieces.entries()) {
    const out = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: algorithm }));
    const { $metadata, ServerSideEncryption, ...rest } = out;
    parts.push({ PartNumber: i + 1, ...rest });
  }
  return { UploadId, parts };
}

test("FULL_OBJECT uploads answer the whole object's CRC, combined from the parts'", async () => {
  for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME"] as const) {
    const Key = `full-${algorithm}`;
    // CRC64NVME is FULL_OBJECT without being told.
    const { UploadId, parts } = await upload(Key, algorithm, algorithm === "CRC64NVME" ? undefined : "FULL_OBJECT");
    const expected = await checksumOf(algorithm, data);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts }, ChecksumType: "FULL_OBJECT" }));
    assert.equal(done[`Checksum${algorithm}`], expected, algorithm);
    assert.equal(done.ChecksumType, "FULL_OBJECT");
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
    assert.equal(head[`Checksum${algorithm}`], expected);
  }
  // A whole-object checksum sent with the completion must be the one computed.
  const { UploadId, parts } = await upload("full-wrong", "CRC32", "FULL_OBJECT");
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "full-wrong", UploadId, MultipartUpload: { Parts: parts }, ChecksumCRC32: "AAAAAA==" })), {
    code: "BadDigest", message: "The CRC32 you specified did not match the calculated checksum.", status: 400,
  });
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "full-wrong", UploadId, MultipartUpload: { Parts: parts }, MpuObjectSize: 5 })), {
    code: "InvalidRequest", message: "The provided 'x-amz-mp-object-size' header does not match what was computed", status: 400,
  });
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "full-wrong", UploadId, MultipartUpload: { Parts: parts }, ChecksumType: "COMPOSITE" })), {
    code: "InvalidRequest", message: "The upload was created using the FULL_OBJECT checksum mode. The complete request must use the same checksum mode.",
  });
});

test("checksum types an algorithm cannot make are refused at creation", async () => {
  const refuse = (ChecksumAlgorithm: ChecksumAlgorithm | undefined, ChecksumType: ChecksumType, message: string) =>
    assertAwsError(s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "refused", ChecksumAlgorithm, ChecksumType })), { code: "InvalidRequest", message, status: 400 });
  await refuse("SHA256", "FULL_OBJECT", "The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.");
  await refuse("SHA1", "FULL_OBJECT", "The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.");
  await refuse("CRC64NVME", "COMPOSITE", "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
  await refuse(undefined, "FULL_OBJECT", "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "defaults", ChecksumAlgorithm: "SHA256" }));
  assert.equal(created.ChecksumType, "COMPOSITE");
});

test("COMPOSITE uploads: parts of the upload's algorithm only, each named at completion with its checksum", async () => {
  const Key = "composite";
  const { UploadId, parts } = await upload(Key, "SHA256");
  await assertAwsError(s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 4, Body: "x", ChecksumAlgorithm: "CRC32" })), {
    code: "InvalidRequest", message: "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32", status: 400,
  });
  const withoutFirst = parts.map((p, i) => (i === 0 ? { PartNumber: p.PartNumber, ETag: p.ETag } : p));
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: withoutFirst } })), {
    code: "InvalidRequest",
    message: "The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.",
  });
  const wrong = parts.map((p, i) => (i === 1 ? { ...p, ChecksumSHA256: parts[0].ChecksumSHA256 } : p));
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: wrong } })), { code: "InvalidPart", status: 400 });
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
  assert.match(done.ChecksumSHA256 ?? "", /^[A-Za-z0-9+/]{43}=-3$/);
  assert.equal(done.ChecksumType, "COMPOSITE");
  // GetObjectAttributes lists each part's checksum.
  const attributes = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ["ObjectParts", "Checksum"] }));
  assert.deepEqual(attributes.ObjectParts?.Parts?.map((p) => p.ChecksumSHA256), parts.map((p) => p.ChecksumSHA256));
  assert.equal(attributes.Checksum?.ChecksumSHA256, done.ChecksumSHA256);

  // An upload created without an algorithm takes no part checksums at completion.
  const plain = await upload("plain", undefined);
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "plain", UploadId: plain.UploadId, MultipartUpload: { Parts: plain.parts } })), {
    code: "InvalidPart", status: 400,
  });
  const bare = plain.parts.map((p) => ({ PartNumber: p.PartNumber, ETag: p.ETag }));
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "plain", UploadId: plain.UploadId, MultipartUpload: { Parts: bare } }));
});

test("UploadPartCopy answers the part's checksum, which a COMPOSITE Complete needs", async () => {
  const Key = "copied-parts";
  await new Upload({ client: s3, params: { Bucket, Key: "copy-source", Body: data }, partSize: 5 * MiB }).done();
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: "SHA256" }));
  const parts: CompletedPart[] = [];
  for (const [i, range] of ["bytes=0-5242879", `bytes=5242880-${data.length - 1}`].entries()) {
    const out = await s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: i + 1, CopySource: `${Bucket}/copy-source`, CopySourceRange: range }));
    parts.push({ PartNumber: i + 1, ETag: out.CopyPartResult?.ETag, ChecksumSHA256: out.CopyPartResult?.ChecksumSHA256 });
  }
  assert.equal(parts[0].ChecksumSHA256, await checksumOf("SHA256", data.subarray(0, 5 * MiB)));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
  assert.equal(done.ChecksumType, "COMPOSITE");
});

test("lib-storage Upload with CRC64NVME gets the whole object's CRC64NVME", async () => {
  const done = await new Upload({ client: s3, params: { Bucket, Key: "lib/crc64 ü", Body: data, ChecksumAlgorithm: "CRC64NVME" }, partSize: 5 * MiB }).done();
  assert.equal(done.ChecksumCRC64NVME, await checksumOf("CRC64NVME", data));
  const composite = await new Upload({ client: s3, params: { Bucket, Key: "lib/default", Body: data }, partSize: 5 * MiB }).done();
  assert.match(composite.ETag ?? "", /-3"$/);
});

test("a CRC64NVME upload whose parts carried no checksum gets the whole object's CRC64NVME at completion", async () => {
  // A client that sends checksums only when an operation requires them sends none with its parts.
  const bare = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" });
  const Key = "crc64-unsent";
  const { UploadId } = await bare.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: "CRC64NVME" }));
  const parts: CompletedPart[] = [];
  for (const [i, Body] of pieces.entries()) {
    const out = await bare.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
    assert.equal(out.ChecksumCRC64NVME, undefined);
    parts.push({ PartNumber: i + 1, ETag: out.ETag });
  }
  const expected = await checksumOf("CRC64NVME", data);
  // Known at completion, so a wrong whole-object checksum is refused there.
  await assertAwsError(bare.send(new CompleteMultipartUploadCommand({
    Bucket, Key, UploadId, MultipartUpload: { Parts: parts }, ChecksumCRC64NVME: await checksumOf("CRC64NVME", Buffer.from("other")),
  })), { code: "BadDigest", message: "The CRC64NVME you specified did not match the calculated checksum.", status: 400 });
  const done = await bare.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts }, ChecksumCRC64NVME: expected }));
  assert.equal(done.ChecksumCRC64NVME, expected);
  assert.equal(done.ChecksumType, "FULL_OBJECT");
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
  assert.equal(head.ChecksumCRC64NVME, expected);
  bare.destroy();
});

test("a multipart object is dated from its upload's initiation", async () => {
  const Key = "dated";
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const initiated = (await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: Key }))).Uploads![0].Initiated!;
  const part = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: "late" }));
  await server.advanceClock(3600);
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
  assert.equal(head.LastModified!.getTime(), Math.floor(initiated.getTime() / 1000) * 1000);
});
