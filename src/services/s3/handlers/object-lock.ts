import { malformedXml, invalidArgument, s3Error } from "../errors.js";
import { checkRetentionChange, lockConfigOf, readLockConfig, requireLockEnabled, retainUntilOf } from "../object-lock.js";
import { resolveObject } from "../objects.js";
import type { S3Handler } from "../types.js";

// Put/GetObjectLockConfiguration, Put/GetObjectRetention, Put/GetObjectLegalHold.
// The rules themselves are in object-lock.ts.

const noObjectLock = () => s3Error("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration");

export const PutObjectLockConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const config = readLockConfig(input);
  // Object Lock can be turned on for an existing bucket only while it is versioned.
  if (!lockConfigOf(bucket) && bucket.versioning !== "Enabled") {
    throw s3Error("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", { BucketName: bucket.name });
  }
  bucket.configs["ObjectLock"] = config;
  ctx.store.saveBucket(bucket);
  return {};
};

export const GetObjectLockConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const config = lockConfigOf(bucket);
  if (!config) throw s3Error("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", { BucketName: bucket.name });
  return { ObjectLockConfiguration: config };
};

export const PutObjectRetention: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  requireLockEnabled(bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "PUT");
  const retention = (input.Retention ?? {}) as { Mode?: string; RetainUntilDate?: unknown };
  if ((retention.Mode === undefined) !== (retention.RetainUntilDate === undefined)) throw malformedXml();
  if (retention.Mode !== undefined && retention.Mode !== "GOVERNANCE" && retention.Mode !== "COMPLIANCE") throw malformedXml();
  const now = ctx.clock.now();
  const next = retention.Mode === undefined ? {} : { mode: retention.Mode as "GOVERNANCE" | "COMPLIANCE", retainUntil: retainUntilOf(retention.RetainUntilDate) };
  if (next.retainUntil !== undefined && next.retainUntil <= now) throw invalidArgument("The retain until date must be in the future!");
  checkRetentionChange(record.lock, next, now, input.BypassGovernanceRetention === true);
  record.lock = { ...record.lock, mode: next.mode, retainUntil: next.retainUntil };
  ctx.store.updateVersion(bucket.name, record);
  return {};
};

export const GetObjectRetention: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  requireLockEnabled(bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "GET");
  if (record.lock?.mode === undefined) throw noObjectLock();
  return { Retention: { Mode: record.lock.mode, RetainUntilDate: new Date(record.lock.retainUntil!) } };
};

export const PutObjectLegalHold: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  requireLockEnabled(bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "PUT");
  const status = input.LegalHold?.Status;
  if (status !== "ON" && status !== "OFF") throw malformedXml();
  record.lock = { ...record.lock, legalHold: status };
  ctx.store.updateVersion(bucket.name, record);
  return {};
};

export const GetObjectLegalHold: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  requireLockEnabled(bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "GET");
  if (record.lock?.legalHold === undefined) throw noObjectLock();
  return { LegalHold: { Status: record.lock.legalHold } };
};
