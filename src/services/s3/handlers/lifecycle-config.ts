import { invalidArgument, s3Error } from "../errors.js";
import { lifecycleOutput, markLifecycleBucket, readLifecycleRules, type LifecycleRule } from "../lifecycle.js";
import type { S3Handler } from "../types.js";

// PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration and
// DeleteBucketLifecycle; the rules run in lifecycle.ts on the shared clock.

// Which objects under 128 KB may transition (lifecycle-transitions.ts); S3's default
// since September 2024 is that none do.
const MINIMUM_SIZES = new Set(["all_storage_classes_128K", "varies_by_storage_class"]);
const DEFAULT_MINIMUM_SIZE = "all_storage_classes_128K";

export const PutBucketLifecycleConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const minimumSize = input.TransitionDefaultMinimumObjectSize as string | undefined;
  if (minimumSize !== undefined && !MINIMUM_SIZES.has(minimumSize)) {
    throw invalidArgument("Invalid value for x-amz-transition-default-minimum-object-size", "x-amz-transition-default-minimum-object-size", minimumSize);
  }
  bucket.configs.Lifecycle = readLifecycleRules(input);
  bucket.configs.TransitionDefaultMinimumObjectSize = minimumSize ?? DEFAULT_MINIMUM_SIZE;
  ctx.store.saveBucket(bucket);
  markLifecycleBucket(ctx.store, bucket.name, true);
  return { TransitionDefaultMinimumObjectSize: bucket.configs.TransitionDefaultMinimumObjectSize };
};

export const GetBucketLifecycleConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const rules = bucket.configs.Lifecycle as LifecycleRule[] | undefined | null;
  if (!rules) throw s3Error("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", { BucketName: bucket.name });
  return { Rules: lifecycleOutput(rules), TransitionDefaultMinimumObjectSize: bucket.configs.TransitionDefaultMinimumObjectSize ?? DEFAULT_MINIMUM_SIZE };
};

export const DeleteBucketLifecycle: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  delete bucket.configs.Lifecycle;
  delete bucket.configs.TransitionDefaultMinimumObjectSize;
  ctx.store.saveBucket(bucket);
  markLifecycleBucket(ctx.store, bucket.name, false);
  return {};
};
