import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand,
  GetBucketVersioningCommand, GetObjectLegalHoldCommand, GetObjectLockConfigurationCommand, GetObjectRetentionCommand, HeadObjectCommand,
  PutBucketVersioningCommand, PutObjectCommand, PutObjectLegalHoldCommand, PutObjectLockConfigurationCommand, PutObjectRetentionCommand,
  S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, useTestServer } from "../../../test/helpers.js";

// Object Lock (S3 User Guide, "Locking objects with Object Lock").

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
const accessDenied = { code: "AccessDenied", message: "Access Denied", status: 403 };

test("a bucket created with Object Lock: versioned for good, configuration and default retention", async () => {
  const Bucket = "locked-bucket";
  await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, "Enabled");
  assert.deepEqual((await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration, { ObjectLockEnabled: "Enabled" });
  await assertAwsError(s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } })), {
    code: "InvalidBucketState", message: "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.", status: 409,
  });
  // No retention yet on a plain object.
  await s3.send(new PutObjectCommand({ Bucket, Key: "plain", Body: "x" }));
  const noLock = { code: "NoSuchObjectLockConfiguration", message: "The specified object does not have a ObjectLock configuration", status: 404 };
  await assertAwsError(s3.send(new GetObjectRetentionCommand({ Bucket, Key: "plain" })), noLock);
  await assertAwsError(s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "plain" })), noLock);

  const ObjectLockConfiguration = { ObjectLockEnabled: "Enabled" as const, Rule: { DefaultRetention: { Mode: "GOVERNANCE" as const, Days: 1 } } };
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration }));
  assert.deepEqual((await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration, ObjectLockConfiguration);
  await assertAwsError(
    s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1, Years: 1 } } } })),
    { code: "MalformedXML", status: 400 },
  );
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "defaulted", Body: "x" }));
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "defaulted" }));
  assert.equal(head.ObjectLockMode, "GOVERNANCE");
  const until = head.ObjectLockRetainUntilDate!.getTime();
  assert.ok(until > Date.now() + 86_000_000 && until < Date.now() + 87_000_000);
  // Deleting that version needs the governance bypass; a delete marker does not.
  await assertAwsError(s3.send(new DeleteObjectCommand({ Bucket, Key: "defaulted", VersionId: put.VersionId })), accessDenied);
  const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: "defaulted" }));
  assert.equal(marker.DeleteMarker, true);
  await s3.send(new DeleteObjectCommand({ Bucket, Key: "defaulted", VersionId: put.VersionId, BypassGovernanceRetention: true }));
});

test("retention and legal hold per version; COMPLIANCE cannot be shortened or deleted", async () => {
  const Bucket = "retention-bucket";
  await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  const RetainUntilDate = inDays(10);
  const put = await s3.send(new PutObjectCommand({
    Bucket, Key: "doc", Body: "x", ObjectLockMode: "COMPLIANCE", ObjectLockRetainUntilDate: RetainUntilDate, ObjectLockLegalHoldStatus: "ON",
  }));
  const retention = (await s3.send(new GetObjectRetentionCommand({ Bucket, Key: "doc" }))).Retention!;
  assert.equal(retention.Mode, "COMPLIANCE");
  assert.equal(retention.RetainUntilDate!.getTime(), RetainUntilDate.getTime());
  assert.equal((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "doc" }))).LegalHold?.Status, "ON");

  await assertAwsError(s3.send(new PutObjectRetentionCommand({ Bucket, Key: "doc", Retention: { Mode: "COMPLIANCE", RetainUntilDate: inDays(5) } })), accessDenied);
  await assertAwsError(s3.send(new PutObjectRetentionCommand({ Bucket, Key: "doc", Retention: { Mode: "GOVERNANCE", RetainUntilDate: inDays(20) }, BypassGovernanceRetention: true })), accessDenied);
  await s3.send(new PutObjectRetentionCommand({ Bucket, Key: "doc", Retention: { Mode: "COMPLIANCE", RetainUntilDate: inDays(30) } }));
  await assertAwsError(s3.send(new DeleteObjectCommand({ Bucket, Key: "doc", VersionId: put.VersionId, BypassGovernanceRetention: true })), accessDenied);
  const many = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "doc", VersionId: put.VersionId }] } }));
  assert.deepEqual(many.Errors?.map((e) => [e.Key, e.Code]), [["doc", "AccessDenied"]]);

  // GOVERNANCE: shortened only with the bypass; a legal hold blocks even then.
  const gov = await s3.send(new PutObjectCommand({ Bucket, Key: "gov", Body: "x", ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(10) }));
  await assertAwsError(s3.send(new PutObjectRetentionCommand({ Bucket, Key: "gov", Retention: { Mode: "GOVERNANCE", RetainUntilDate: inDays(1) } })), accessDenied);
  await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: "gov", LegalHold: { Status: "ON" } }));
  await assertAwsError(s3.send(new DeleteObjectCommand({ Bucket, Key: "gov", VersionId: gov.VersionId, BypassGovernanceRetention: true })), accessDenied);
  await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: "gov", LegalHold: { Status: "OFF" } }));
  await s3.send(new PutObjectRetentionCommand({ Bucket, Key: "gov", Retention: {}, BypassGovernanceRetention: true }));
  await s3.send(new DeleteObjectCommand({ Bucket, Key: "gov", VersionId: gov.VersionId }));

  // A copy and a multipart upload are new versions with their own lock.
  await s3.send(new CopyObjectCommand({ Bucket, Key: "copy", CopySource: `${Bucket}/doc`, ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(2) }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "copy" }))).ObjectLockMode, "GOVERNANCE");
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "mp", ObjectLockLegalHoldStatus: "ON" }));
  const part = await s3.send(new UploadPartCommand({ Bucket, Key: "mp", UploadId, PartNumber: 1, Body: "abc" }));
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "mp", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "mp" }))).ObjectLockLegalHoldStatus, "ON");

  await assertAwsError(
    s3.send(new PutObjectCommand({ Bucket, Key: "half", Body: "x", ObjectLockMode: "GOVERNANCE" })),
    { code: "InvalidArgument", message: "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied", status: 400 },
  );
  await assertAwsError(
    s3.send(new PutObjectCommand({ Bucket, Key: "past", Body: "x", ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(-1) })),
    { code: "InvalidArgument", message: "The retain until date must be in the future!", status: 400 },
  );
});

test("without Object Lock: lock parameters refused, configuration only on a versioned bucket", async () => {
  const Bucket = "unlocked-bucket";
  await s3.send(new CreateBucketCommand({ Bucket }));
  await assertAwsError(s3.send(new GetObjectLockConfigurationCommand({ Bucket })), {
    code: "ObjectLockConfigurationNotFoundError", message: "Object Lock configuration does not exist for this bucket", status: 404,
  });
  const missing = { code: "InvalidRequest", message: "Bucket is missing Object Lock Configuration", status: 400 };
  await assertAwsError(s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", ObjectLockLegalHoldStatus: "ON" })), missing);
  await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x" }));
  await assertAwsError(s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: "k", LegalHold: { Status: "ON" } })), missing);
  await assertAwsError(s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } })), {
    code: "InvalidBucketState", message: "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", status: 409,
  });
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }));
  await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: "k", LegalHold: { Status: "ON" } }));
  assert.equal((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: "k" }))).LegalHold?.Status, "ON");
});
