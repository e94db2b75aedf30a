import type { ServiceError } from "../../../protocols/service-error.js";
import { invalidArgument, s3Error, malformedXml } from "../errors.js";
import type { BucketRecord } from "../records.js";
import { readCorsRules } from "../cors.js";
import type { S3Context, S3Handler, S3Input, S3Output } from "../types.js";
import { validateTagSet } from "../tags.js";

// The bucket configurations S3 stores and answers back (tagging, policy, CORS,
// encryption, ownership controls, public access block, versioning): one helper,
// one small table. CORS rules are evaluated in cors.ts; policies are not enforced
// yet (needs IAM).

interface ConfigSpec {
  /** The key in BucketRecord.configs. */
  noun: string;
  /** Reads what Put stores from its input (and validates it). */
  read(input: S3Input): unknown;
  /** The Get output of a stored value. */
  output(stored: any): S3Output;
  /** The error Get answers when nothing is stored. */
  missing(bucket: string): ServiceError;
  /** What a bucket has before any Put (and after Delete, for configurations AWS resets). */
  initial?: () => unknown;
  /** Delete restores `initial` instead of removing (encryption). */
  deleteRestores?: boolean;
}

function storedConfig(spec: ConfigSpec): { put: S3Handler; get: S3Handler; remove: S3Handler } {
  const current = (bucket: BucketRecord): unknown =>
    Object.hasOwn(bucket.configs, spec.noun) ? bucket.configs[spec.noun] : spec.initial?.();
  return {
    put: (input, ctx) => {
      const bucket = ctx.store.requireBucket(input.Bucket);
      bucket.configs[spec.noun] = spec.read(input);
      ctx.store.saveBucket(bucket);
      return {};
    },
    get: (input, ctx) => {
      const bucket = ctx.store.requireBucket(input.Bucket);
      const value = current(bucket);
      if (value === undefined || value === null) throw spec.missing(bucket.name);
      return spec.output(value);
    },
    remove: (input, ctx) => {
      const bucket = ctx.store.requireBucket(input.Bucket);
      if (spec.deleteRestores) delete bucket.configs[spec.noun];
      else bucket.configs[spec.noun] = null;
      ctx.store.saveBucket(bucket);
      return {};
    },
  };
}

function required<T>(value: T | undefined): T {
  if (value === undefined || value === null) throw malformedXml();
  return value;
}

const tagging = storedConfig({
  noun: "Tagging",
  read: (input) => validateTagSet(required(input.Tagging?.TagSet)),
  output: (tags: [string, string][]) => ({ TagSet: tags.map(([Key, Value]) => ({ Key, Value })) }),
  missing: (b) => s3Error("NoSuchTagSet", "The TagSet does not exist", { BucketName: b }),
});

const policy = storedConfig({
  noun: "Policy",
  read: (input) => {
    const text = String(input.Policy ?? "");
    let ok = text.trimStart().startsWith("{");
    if (ok) {
      try {
        JSON.parse(text);
      } catch {
        ok = false;
      }
    }
    if (!ok) throw s3Error("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
    return text;
  },
  output: (text: string) => ({ Policy: text }),
  missing: (b) => s3Error("NoSuchBucketPolicy", "The bucket policy does not exist", { BucketName: b }),
});

const cors = storedConfig({
  noun: "Cors",
  read: (input) => {
    const rules = required(input.CORSConfiguration?.CORSRules) as unknown[];
    if (rules.length === 0 || rules.length > 100) throw malformedXml();
    return readCorsRules(rules as Record<string, any>[]);
  },
  output: (rules: unknown[]) => ({ CORSRules: rules }),
  missing: (b) => s3Error("NoSuchCORSConfiguration", "The CORS configuration does not exist", { BucketName: b }),
});

// Every bucket is encrypted with SSE-S3 by default since January 2023 (S3 User
// Guide, "Setting default server-side encryption behavior"): Get answers it.
const encryption = storedConfig({
  noun: "Encryption",
  read: (input) => required(input.ServerSideEncryptionConfiguration?.Rules) && input.ServerSideEncryptionConfiguration,
  output: (config: unknown) => ({ ServerSideEncryptionConfiguration: config }),
  missing: (b) => s3Error("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", { BucketName: b }),
  initial: () => ({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }] }),
  deleteRestores: true,
});

// New buckets have BucketOwnerEnforced and all four public access blocks on since
// April 2023 (S3 User Guide, "Default settings for new S3 buckets").
const ownership = storedConfig({
  noun: "OwnershipControls",
  read: (input) => required(input.OwnershipControls?.Rules) && input.OwnershipControls,
  output: (config: unknown) => ({ OwnershipControls: config }),
  missing: (b) => s3Error("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", { BucketName: b }),
  initial: () => ({ Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] }),
});

const publicAccessBlock = storedConfig({
  noun: "PublicAccessBlock",
  read: (input) => required(input.PublicAccessBlockConfiguration),
  output: (config: unknown) => ({ PublicAccessBlockConfiguration: config }),
  missing: (b) => s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", { BucketName: b }),
  initial: () => ({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }),
});

// Website hosting configuration: stored and answered; website.ts serves it.
const website = storedConfig({
  noun: "Website",
  read: (input) => {
    const config = required(input.WebsiteConfiguration) as Record<string, any>;
    if (config.RedirectAllRequestsTo && (config.IndexDocument || config.ErrorDocument || config.RoutingRules)) {
      throw invalidArgument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing/Redirect configurations.");
    }
    if (!config.RedirectAllRequestsTo && !config.IndexDocument) {
      throw invalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty");
    }
    const suffix = config.IndexDocument?.Suffix;
    if (suffix !== undefined && (suffix === "" || String(suffix).includes("/"))) {
      throw invalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", String(suffix));
    }
    return config;
  },
  output: (config: Record<string, unknown>) => config,
  missing: (b) => s3Error("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration", { BucketName: b }),
});

export const PutBucketWebsite = website.put;
export const GetBucketWebsite = website.get;
export const DeleteBucketWebsite = website.remove;
export const PutBucketTagging = tagging.put;
export const GetBucketTagging = tagging.get;
export const DeleteBucketTagging = tagging.remove;
export const PutBucketPolicy = policy.put;
export const GetBucketPolicy = policy.get;
export const DeleteBucketPolicy = policy.remove;
export const PutBucketCors = cors.put;
export const GetBucketCors = cors.get;
export const DeleteBucketCors = cors.remove;
export const PutBucketEncryption = encryption.put;
export const GetBucketEncryption = encryption.get;
export const DeleteBucketEncryption = encryption.remove;
export const PutBucketOwnershipControls = ownership.put;
export const GetBucketOwnershipControls = ownership.get;
export const DeleteBucketOwnershipControls = ownership.remove;
export const PutPublicAccessBlock = publicAccessBlock.put;
export const GetPublicAccessBlock = publicAccessBlock.get;
export const DeletePublicAccessBlock = publicAccessBlock.remove;

export const PutBucketVersioning: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const status = input.VersioningConfiguration?.Status;
  if (status !== "Enabled" && status !== "Suspended") throw malformedXml();
  if (status === "Suspended" && bucket.configs["ObjectLock"]) {
    throw s3Error("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.", { BucketName: bucket.name });
  }
  bucket.versioning = status;
  if (input.VersioningConfiguration?.MFADelete) bucket.mfaDelete = input.VersioningConfiguration.MFADelete;
  ctx.store.saveBucket(bucket);
  return {};
};

/** A bucket that never had versioning configured answers an empty configuration. */
export const GetBucketVersioning: S3Handler = (input, ctx: S3Context) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  return { Status: bucket.versioning, MFADelete: bucket.versioning ? bucket.mfaDelete : undefined };
};
