import { s3Error, invalidArgument } from "../errors.js";
import { bucketRegion, validateBucketName } from "../names.js";
import { creationGrants } from "../acl.js";
import { markLifecycleBucket } from "../lifecycle.js";
import { ownerOf } from "../owner.js";
import type { BucketRecord } from "../records.js";
import type { S3Handler } from "../types.js";

// CreateBucket, HeadBucket, ListBuckets, DeleteBucket, GetBucketLocation.

export const CreateBucket: S3Handler = (input, ctx) => {
  const name = String(input.Bucket ?? "");
  validateBucketName(name);
  const region = bucketRegion(ctx.region, input.CreateBucketConfiguration?.LocationConstraint);
  const existing = ctx.store.findBucket(name);
  if (existing) {
    if (existing.account !== ctx.account) {
      throw s3Error(
        "BucketAlreadyExists",
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
        { BucketName: name },
      );
    }
    // us-east-1 keeps its legacy answer: re-creating your own bucket there succeeds
    // (CreateBucket API reference, "BucketAlreadyOwnedByYou").
    if (existing.region === "us-east-1" && region === "us-east-1") return { Location: `/${name}` };
    throw s3Error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", { BucketName: name });
  }
  const bucket: BucketRecord = { name, account: ctx.account, region, created: ctx.clock.now(), configs: {} };
  if (input.CreateBucketConfiguration?.LocationConstraint === "EU") bucket.legacyEu = true;
  // x-amz-object-ownership sets the ownership controls from the start; a canned ACL must fit them.
  if (input.ObjectOwnership !== undefined) bucket.configs["OwnershipControls"] = { Rules: [{ ObjectOwnership: input.ObjectOwnership }] };
  const grants = creationGrants(input, bucket);
  if (grants) bucket.configs["Acl"] = grants;
  // Object Lock at creation turns versioning on for good (CreateBucket API reference).
  if (input.ObjectLockEnabledForBucket === true) {
    bucket.versioning = "Enabled";
    bucket.configs["ObjectLock"] = { ObjectLockEnabled: "Enabled" };
  }
  ctx.store.saveBucket(bucket);
  return { Location: `/${name}`, BucketArn: `arn:aws:s3:::${name}` };
};

export const HeadBucket: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  return { BucketRegion: bucket.region, AccessPointAlias: false, BucketArn: `arn:aws:s3:::${bucket.name}` };
};

export const GetBucketLocation: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  // us-east-1 buckets answer an empty LocationConstraint, buckets made with "EU" answer
  // "EU" (GetBucketLocation API reference).
  return { LocationConstraint: bucket.region === "us-east-1" ? "" : bucket.legacyEu ? "EU" : bucket.region };
};

export const DeleteBucket: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  if (!ctx.store.bucketIsEmpty(bucket.name)) {
    throw s3Error(
      "BucketNotEmpty",
      bucket.versioning ? "The bucket you tried to delete is not empty. You must delete all versions in the bucket." : "The bucket you tried to delete is not empty",
      { BucketName: bucket.name },
    );
  }
  for (const upload of ctx.store.uploadsOf(bucket.name)) ctx.store.deleteUpload(upload);
  ctx.store.deleteBucket(bucket.name);
  markLifecycleBucket(ctx.store, bucket.name, false);
  return {};
};

/** ListBuckets pages only when MaxBuckets or a token is given; the token is the last name, opaque. */
export const ListBuckets: S3Handler = (input, ctx) => {
  const max = input.MaxBuckets;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 10000)) {
    throw invalidArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets", String(max));
  }
  let after = "";
  if (input.ContinuationToken !== undefined) {
    after = Buffer.from(String(input.ContinuationToken), "base64url").toString("utf8");
    if (!after) throw invalidArgument("The continuation token provided is incorrect", "continuation-token", String(input.ContinuationToken));
  }
  const prefix: string = input.Prefix ?? "";
  const matching = ctx.store
    .bucketsOfAccount()
    .filter((b) => b.name > after && b.name.startsWith(prefix) && (input.BucketRegion === undefined || b.region === input.BucketRegion));
  const page = max === undefined ? matching : matching.slice(0, max);
  const truncated = page.length < matching.length;
  return {
    Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.created), BucketRegion: b.region, BucketArn: `arn:aws:s3:::${b.name}` })),
    Owner: ownerOf(ctx.account),
    ContinuationToken: truncated ? Buffer.from(page[page.length - 1].name).toString("base64url") : undefined,
    Prefix: input.Prefix,
  };
};
