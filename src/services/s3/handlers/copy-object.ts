import { digestBlob } from "../body.js";
import { isAlgorithm } from "../checksums.js";
import { checkCopyable } from "../restore.js";
import { lockForNewVersion } from "../object-lock.js";
import { checkCopySourceConditions, checkWriteConditions } from "../conditions.js";
import { parseCopySource } from "../copy-source.js";
import { invalidArgument, invalidRequest } from "../errors.js";
import {
  checksumMembers, contentHeadersOf, keyOf, metadataOf, newVersionIdFor, resolveObject, storageClassOf, versionIdHeader,
} from "../objects.js";
import type { ObjectRecord } from "../records.js";
import { parseTaggingHeader } from "../tags.js";
import { notify } from "../notifications.js";
import { originOf, type S3Handler } from "../types.js";

// CopyObject: the source's bytes under a new key, with its metadata and tags
// (COPY) or the request's (REPLACE). Copying an object onto itself must change
// something (CopyObject API reference), unless the source names a version: that
// is how a previous version is restored (S3 User Guide, "Restoring previous
// versions"). If-Match and If-None-Match are conditional writes on the destination.

export const CopyObject: S3Handler = async (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const key = keyOf(input);
  const source = parseCopySource(input.CopySource);
  const sourceBucket = ctx.store.requireBucket(source.bucket);
  const from = resolveObject(ctx, sourceBucket, source.key, source.versionId, "GET");
  checkCopyable(from, ctx.clock.now());
  checkCopySourceConditions(
    {
      IfMatch: input.CopySourceIfMatch,
      IfNoneMatch: input.CopySourceIfNoneMatch,
      IfModifiedSince: input.CopySourceIfModifiedSince,
      IfUnmodifiedSince: input.CopySourceIfUnmodifiedSince,
    },
    from,
  );
  const metadataDirective = input.MetadataDirective ?? "COPY";
  const taggingDirective = input.TaggingDirective ?? "COPY";
  if (metadataDirective !== "COPY" && metadataDirective !== "REPLACE") {
    throw invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", metadataDirective);
  }
  if (taggingDirective !== "COPY" && taggingDirective !== "REPLACE") {
    throw invalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", taggingDirective);
  }
  const storageClass = storageClassOf(input.StorageClass ?? from.storageClass);
  const sameObject = source.bucket === bucket.name && source.key === key && source.versionId === undefined;
  if (
    sameObject &&
    metadataDirective === "COPY" &&
    input.StorageClass === undefined &&
    input.WebsiteRedirectLocation === undefined &&
    input.ServerSideEncryption === undefined &&
    input.SSEKMSKeyId === undefined &&
    // A bucket whose default encryption was configured re-encrypts the copy.
    !Object.hasOwn(bucket.configs, "Encryption")
  ) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  checkWriteConditions(input, ctx.store.current(bucket.name, key), key);
  const algorithm = input.ChecksumAlgorithm as string | undefined;
  let checksum = from.checksum?.type === "FULL_OBJECT" ? from.checksum : undefined;
  if (isAlgorithm(algorithm) && algorithm !== "CRC64NVME" && checksum?.algorithm !== algorithm) {
    checksum = { algorithm, value: await digestBlob(ctx.store.blobs, undefined, algorithm, ctx.store.readBytes(from, 0, from.size - 1)), type: "FULL_OBJECT" };
  }
  // The copy is one object, not a multipart one: a multipart source's bytes get
  // their MD5 as ETag and no parts (as S3 answers; its ETag of ETags would not be
  // the copy's). The parts' files stay the copy's segments.
  let etag = from.etag;
  let segmentSizes = from.segmentSizes;
  if (from.parts) {
    etag = `"${Buffer.from(await digestBlob(ctx.store.blobs, undefined, "MD5", ctx.store.readBytes(from, 0, from.size - 1)), "base64").toString("hex")}"`;
    segmentSizes = from.parts.map((p) => p.size);
  }
  const record: ObjectRecord = {
    key,
    versionId: newVersionIdFor(ctx, bucket),
    lastModified: ctx.clock.now(),
    owner: ctx.account,
    ...ctx.store.copyBytes(from),
    size: from.size,
    etag,
    headers: metadataDirective === "REPLACE" ? contentHeadersOf(input) : from.headers,
    metadata: metadataDirective === "REPLACE" ? metadataOf(input) : from.metadata,
    storageClass,
    tags: taggingDirective === "REPLACE" ? parseTaggingHeader(input.Tagging) : from.tags,
    checksum,
    segmentSizes,
    sse: input.ServerSideEncryption ?? from.sse,
    sseKmsKeyId: input.SSEKMSKeyId ?? from.sseKmsKeyId,
    // The copy is a new version: its lock comes from the request or the bucket's default, never from the source.
    lock: lockForNewVersion(bucket, input, ctx.clock.now()),
  };
  ctx.store.putVersion(bucket, record);
  notify(ctx.store, bucket, "ObjectCreated:Copy", record, originOf(ctx));
  return {
    CopyObjectResult: { ETag: record.etag, LastModified: new Date(record.lastModified), ...checksumMembers(record.checksum) },
    VersionId: versionIdHeader(bucket, record),
    CopySourceVersionId: sourceBucket.versioning ? from.versionId : undefined,
    ServerSideEncryption: record.sse ?? "AES256",
  };
};
