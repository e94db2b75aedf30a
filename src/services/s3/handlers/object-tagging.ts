import { malformedXml } from "../errors.js";
import { resolveObject, versionIdHeader } from "../objects.js";
import { validateTagSet } from "../tags.js";
import { notify } from "../notifications.js";
import { originOf, type S3Handler } from "../types.js";

// GetObjectTagging, PutObjectTagging, DeleteObjectTagging: on the current
// version or the one named; at most 10 tags per object.

export const GetObjectTagging: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "GET");
  return { TagSet: record.tags.map(([Key, Value]) => ({ Key, Value })), VersionId: versionIdHeader(bucket, record) };
};

export const PutObjectTagging: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "PUT");
  const tagSet = input.Tagging?.TagSet;
  if (!Array.isArray(tagSet)) throw malformedXml();
  record.tags = validateTagSet(tagSet, 10);
  ctx.store.updateVersion(bucket.name, record);
  notify(ctx.store, bucket, "ObjectTagging:Put", record, originOf(ctx));
  return { VersionId: versionIdHeader(bucket, record) };
};

export const DeleteObjectTagging: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "DELETE");
  record.tags = [];
  ctx.store.updateVersion(bucket.name, record);
  notify(ctx.store, bucket, "ObjectTagging:Delete", record, originOf(ctx));
  return { VersionId: versionIdHeader(bucket, record) };
};
