import { aclOutput, cannedGrants, grantsOf, type Grant } from "../acl.js";
import { resolveObject, versionIdHeader } from "../objects.js";
import { notify } from "../notifications.js";
import { originOf, type S3Handler } from "../types.js";

// PutBucketAcl, GetBucketAcl, PutObjectAcl, GetObjectAcl: canned ACLs and
// AccessControlPolicy bodies stored and answered (acl.ts); not enforced.

export const PutBucketAcl: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const grants = grantsOf(input, bucket, bucket.account, false);
  if (grants) {
    bucket.configs.Acl = grants;
    ctx.store.saveBucket(bucket);
  }
  return {};
};

export const GetBucketAcl: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  return aclOutput(bucket.account, bucket.configs.Acl as Grant[] | undefined);
};

export const PutObjectAcl: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "PUT");
  const grants = grantsOf(input, bucket, record.owner, true);
  if (grants) {
    const changed = JSON.stringify(grants) !== JSON.stringify(record.acl ?? cannedGrants("private", record.owner, bucket.account, true));
    record.acl = grants;
    ctx.store.updateVersion(bucket.name, record);
    // Only an ACL that changes makes the event (S3 User Guide, "Supported event types").
    if (changed) notify(ctx.store, bucket, "ObjectAcl:Put", record, originOf(ctx));
  }
  return { VersionId: versionIdHeader(bucket, record) };
};

export const GetObjectAcl: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "GET");
  return { ...aclOutput(record.owner, record.acl), VersionId: versionIdHeader(bucket, record) };
};
