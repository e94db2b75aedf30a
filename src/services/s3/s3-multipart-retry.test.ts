import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, useTestServer } from "../../../test/helpers.js";

// A CompleteMultipartUpload sent again after it succeeded (a retry after a lost
// response) answers 200 with the first one's result for a while, as S3 does
// (completed-uploads.ts); it completes nothing a second time.

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const Bucket = "mpu-retry";
await s3.send(new CreateBucketCommand({ Bucket }));
await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));

const gone = {
  code: "NoSuchUpload",
  message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
  status: 404,
};

test("a repeated Complete answers the first one's result; another list of parts, or hours later, NoSuchUpload", async () => {
  const Key = "retried";
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const first = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 1) }));
  const second = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: "tail" }));
  const Parts = [{ PartNumber: 1, ETag: first.ETag }, { PartNumber: 2, ETag: second.ETag }];
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }));
  await server.advanceClock(60);
  const again = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }));
  assert.equal(again.$metadata.httpStatusCode, 200);
  for (const member of ["ETag", "VersionId", "Location", "Bucket", "Key"] as const) assert.equal(again[member], done[member], member);
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: Key }));
  assert.equal(versions.Versions?.length, 1, "completed once");

  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: Parts.slice(0, 1) } })), gone);
  await server.advanceClock(4 * 3600);
  await assertAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } })), gone);
});
