import { s3Error } from "../errors.js";
import { lifecycleOutput, readLifecycleRules, type LifecycleRule } from "../lifecycle.js";
import type { S3Handler } from "../types.js";

// PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration and
// DeleteBucketLifecycle; the rules run in lifecycle.ts on the shared clock.

export const PutBucketLifecycleConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  bucket.configs.Lifecycle = readLifecycleRules(input);
  ctx.store.saveBucket(bucket);
  return { TransitionDefaultMinimumObjectSize: input.TransitionDefaultMinimumObjectSize ?? "all_storage_classes_128K" };
};

export const GetBucketLifecycleConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const rules = bucket.configs.Lifecycle as LifecycleRule[] | undefined | null;
  if (!rules) throw s3Error("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", { BucketName: bucket.name });
  return { Rules: lifecycleOutput(rules), TransitionDefaultMinimumObjectSize: "all_storage_classes_128K" };
};

export const DeleteBucketLifecycle: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  delete bucket.configs.Lifecycle;
  ctx.store.saveBucket(bucket);
  return {};
};
