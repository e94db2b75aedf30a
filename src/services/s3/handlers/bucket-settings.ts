import { malformedXml, s3Error } from "../errors.js";
import type { S3Handler } from "../types.js";

// Bucket settings infrastructure tools read back on every refresh (Terraform's
// aws_s3_bucket reads each one): transfer acceleration, requester pays, server
// access logging and replication. Stored and answered as S3 validates them;
// nothing acts on them (no accelerated endpoint, no log delivery, no replication).

export const PutBucketAccelerateConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const status = input.AccelerateConfiguration?.Status;
  if (status !== "Enabled" && status !== "Suspended") throw malformedXml();
  // The accelerated endpoint is a virtual host: no dots (S3 User Guide, "Transfer Acceleration").
  if (bucket.name.includes(".")) {
    throw s3Error("InvalidRequest", "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
  }
  bucket.configs.Accelerate = status;
  ctx.store.saveBucket(bucket);
  return {};
};

/** A bucket that never had acceleration configured answers no Status. */
export const GetBucketAccelerateConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  return { Status: bucket.configs.Accelerate as string | undefined };
};

export const PutBucketRequestPayment: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const payer = input.RequestPaymentConfiguration?.Payer;
  if (payer !== "Requester" && payer !== "BucketOwner") throw malformedXml();
  bucket.configs.RequestPayment = payer;
  ctx.store.saveBucket(bucket);
  return {};
};

export const GetBucketRequestPayment: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  return { Payer: (bucket.configs.RequestPayment as string | undefined) ?? "BucketOwner" };
};

/** An empty BucketLoggingStatus turns logging off (PutBucketLogging API reference). */
export const PutBucketLogging: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const enabled = input.BucketLoggingStatus?.LoggingEnabled as { TargetBucket?: string; TargetPrefix?: string } | undefined;
  if (enabled) {
    if (!enabled.TargetBucket || enabled.TargetPrefix === undefined) throw malformedXml();
    if (!ctx.store.findBucket(enabled.TargetBucket)) {
      throw s3Error(
        "InvalidTargetBucketForLogging",
        "The target bucket for logging does not exist, is not owned by you, or does not have the appropriate grants for the log-delivery group.",
        { TargetBucket: enabled.TargetBucket },
      );
    }
  }
  bucket.configs.Logging = enabled ?? null;
  ctx.store.saveBucket(bucket);
  return {};
};

export const GetBucketLogging: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  return { LoggingEnabled: bucket.configs.Logging ?? undefined };
};

/** Replication needs versioning on the source (PutBucketReplication API reference). */
export const PutBucketReplication: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const config = input.ReplicationConfiguration as { Role?: string; Rules?: unknown[] } | undefined;
  if (!config || !Array.isArray(config.Rules) || config.Rules.length === 0) throw malformedXml();
  if (bucket.versioning !== "Enabled") {
    throw s3Error("InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration", { BucketName: bucket.name });
  }
  bucket.configs.Replication = config;
  ctx.store.saveBucket(bucket);
  return {};
};

export const GetBucketReplication: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const config = bucket.configs.Replication;
  if (!config) throw s3Error("ReplicationConfigurationNotFoundError", "The replication configuration was not found", { BucketName: bucket.name });
  return { ReplicationConfiguration: config };
};

export const DeleteBucketReplication: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  delete bucket.configs.Replication;
  ctx.store.saveBucket(bucket);
  return {};
};
