import { expirationHeader } from "./lifecycle.js";
import { lockHeaders } from "./object-lock.js";
import { restoreHeader } from "./restore.js";
import { invalidArgument, s3Error, noSuchKey, noSuchVersion } from "./errors.js";
import { ALGORITHMS, checksumOf, incrementalDigest, memberOf } from "./checksums.js";
import type { BucketRecord, ContentHeaders, ObjectRecord, StoredChecksum } from "./records.js";
import type { S3Context, S3Input, S3Output } from "./types.js";

// Domain rules shared by the object handlers: which version a request names,
// what a new version's id is, and the headers a stored object answers with.

const STORAGE_CLASSES = new Set([
  "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
  "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE",
]);

export function storageClassOf(value: string | undefined): string {
  if (value === undefined || value === "") return "STANDARD";
  if (!STORAGE_CLASSES.has(value)) throw s3Error("InvalidStorageClass", "The storage class you specified is not valid", { StorageClassRequested: value });
  return value;
}

/** The id a new version gets: a fresh one with versioning on, else the null version. */
export function newVersionIdFor(ctx: S3Context, bucket: BucketRecord): string {
  return bucket.versioning === "Enabled" ? ctx.store.newVersionId() : "null";
}

/** Responses carry x-amz-version-id once versioning was ever configured on the bucket. */
export function versionIdHeader(bucket: BucketRecord, record: { versionId: string }): string | undefined {
  return bucket.versioning ? record.versionId : undefined;
}

const VERSION_ID = /^[A-Za-z0-9._]{32}$/;

export function checkVersionId(versionId: string): void {
  if (versionId !== "null" && !VERSION_ID.test(versionId)) throw invalidArgument("Invalid version id specified", "versionId", versionId);
}

/**
 * The object a read names: the version asked for, else the current one. A delete
 * marker is NoSuchKey when current, MethodNotAllowed when named by its version
 * (both with x-amz-delete-marker, GetObject API reference).
 */
export function resolveObject(ctx: S3Context, bucket: BucketRecord, key: string, versionId: string | undefined, method: string): ObjectRecord {
  if (versionId === undefined || versionId === "") {
    const current = ctx.store.current(bucket.name, key);
    if (!current) throw noSuchKey(key);
    if (current.deleteMarker) {
      throw noSuchKey(key, { "x-amz-delete-marker": "true", ...(bucket.versioning ? { "x-amz-version-id": current.versionId } : {}) });
    }
    return current;
  }
  checkVersionId(versionId);
  const found = ctx.store.version(bucket.name, key, versionId);
  if (!found) throw noSuchVersion(key, versionId);
  if (found.record.deleteMarker) {
    throw s3Error(
      "MethodNotAllowed",
      "The specified method is not allowed against this resource.",
      { Method: method, ResourceType: "DeleteMarker" },
      { "x-amz-delete-marker": "true", "x-amz-version-id": versionId, "Last-Modified": new Date(found.record.lastModified).toUTCString() },
    );
  }
  return found.record;
}

export function contentHeadersOf(input: S3Input): ContentHeaders {
  const redirect = input.WebsiteRedirectLocation as string | undefined;
  // PutObject API reference, x-amz-website-redirect-location.
  if (redirect !== undefined && !/^(\/|https?:\/\/)/.test(redirect)) {
    throw invalidArgument("The website redirect location must have a prefix of 'http://' or 'https://' or '/'");
  }
  return {
    ContentType: input.ContentType || "binary/octet-stream",
    ContentEncoding: input.ContentEncoding || undefined,
    ContentDisposition: input.ContentDisposition,
    ContentLanguage: input.ContentLanguage,
    CacheControl: input.CacheControl,
    Expires: input.Expires,
    WebsiteRedirectLocation: input.WebsiteRedirectLocation,
  };
}

/** Object keys are at most 1024 bytes of UTF-8 (S3 User Guide, "Naming Amazon S3 objects"). */
const MAX_KEY_BYTES = 1024;

/** The key a write names, which must fit S3's limit. */
export function keyOf(input: S3Input): string {
  const key = String(input.Key);
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) throw s3Error("KeyTooLongError", "Your key is too long.", { Size: size, MaxSizeAllowed: MAX_KEY_BYTES });
  return key;
}

/** User-defined metadata: at most 2 KB, the UTF-8 bytes of its keys and values (S3 User Guide, "Working with object metadata"). */
const MAX_METADATA_BYTES = 2048;

export function metadataOf(input: S3Input): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  for (const [k, v] of Object.entries((input.Metadata ?? {}) as Record<string, string>)) {
    out[k.toLowerCase()] = v;
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > MAX_METADATA_BYTES) {
    throw s3Error("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.", { Size: size, MaxSizeAllowed: MAX_METADATA_BYTES });
  }
  return out;
}

/** The headers an object answers GetObject and HeadObject with. */
export function objectHeaders(bucket: BucketRecord, record: ObjectRecord, now: number): S3Output {
  const headers = record.headers;
  // One literal of one shape, without spreads: every GetObject and HeadObject builds it.
  const output: S3Output = {
    ContentType: headers.ContentType,
    ContentEncoding: headers.ContentEncoding,
    ContentDisposition: headers.ContentDisposition,
    ContentLanguage: headers.ContentLanguage,
    CacheControl: headers.CacheControl,
    Expires: headers.Expires,
    WebsiteRedirectLocation: headers.WebsiteRedirectLocation,
    LastModified: new Date(record.lastModified),
    ETag: record.etag,
    Metadata: record.metadata,
    VersionId: versionIdHeader(bucket, record),
    StorageClass: record.storageClass === "STANDARD" ? undefined : record.storageClass,
    ServerSideEncryption: record.sse ?? "AES256",
    SSEKMSKeyId: record.sseKmsKeyId,
    AcceptRanges: "bytes",
    TagCount: record.tags.length > 0 ? record.tags.length : undefined,
    Expiration: expirationHeader(bucket, record),
    PartsCount: undefined,
    StatusCode: undefined,
    ContentRange: undefined,
  };
  if (record.lock) Object.assign(output, lockHeaders(record));
  if (record.restore) output.Restore = restoreHeader(record, now);
  return output;
}

/** Objects up to this size without a checksum get their CRC64NVME when first asked
 *  for; larger ones answer none (it runs in JavaScript at about 100 MB/s). */
const LAZY_CRC64_MAX = 16 * 1024 * 1024;

/** The stored checksum as output members; a CRC64NVME is computed on first need
 *  (S3 gives every object without one a CRC64NVME, "Checking object integrity"). */
export async function checksumOutput(ctx: S3Context, bucketName: string, record: ObjectRecord): Promise<S3Output> {
  if (!record.checksum && !record.deleteMarker && record.size <= LAZY_CRC64_MAX) {
    const body = ctx.store.readBytes(record, 0, record.size - 1);
    let value: string;
    if (Buffer.isBuffer(body)) value = await checksumOf("CRC64NVME", body);
    else {
      const digest = incrementalDigest("CRC64NVME");
      for await (const chunk of body) digest.update(chunk as Buffer);
      value = await digest.digest();
    }
    record.checksum = { algorithm: "CRC64NVME", value, type: "FULL_OBJECT" };
    ctx.store.updateVersion(bucketName, record);
  }
  return checksumMembers(record.checksum);
}

export function checksumMembers(checksum: StoredChecksum | undefined): S3Output {
  if (!checksum) return {};
  const members: S3Output = {};
  members[memberOf(checksum.algorithm)] = checksum.value;
  members.ChecksumType = checksum.type;
  return members;
}

/** The algorithms a listing shows for an object. */
export function checksumAlgorithmList(record: ObjectRecord): string[] | undefined {
  return record.checksum ? [record.checksum.algorithm] : ["CRC64NVME"];
}

export const KNOWN_ALGORITHMS = ALGORITHMS;
