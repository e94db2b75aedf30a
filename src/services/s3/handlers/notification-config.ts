import { notificationOutput, readNotificationConfig, sendTestEvents, validateDestinations, type NotificationConfig } from "../notifications.js";
import type { S3Handler } from "../types.js";

// PutBucketNotificationConfiguration and GetBucketNotificationConfiguration: the
// configuration replaces the previous one whole; an empty one turns notifications
// off. A bucket without one answers an empty configuration.

export const PutBucketNotificationConfiguration: S3Handler = async (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const config = readNotificationConfig(input);
  await validateDestinations(ctx.store, config);
  const current = ctx.store.requireBucket(bucket.name);
  current.configs.Notification = config;
  ctx.store.saveBucket(current);
  sendTestEvents(ctx.store, current, config, ctx.requestId);
  return {};
};

export const GetBucketNotificationConfiguration: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  return notificationOutput(bucket.configs.Notification as NotificationConfig | undefined);
};
