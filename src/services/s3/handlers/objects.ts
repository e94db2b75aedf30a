import type { Readable } from "node:stream";
import { grantsOf } from "../acl.js";
import { receiveBody, type ReceivedBody } from "../body.js";
import { checkReadConditions, checkWriteConditions, type Conditions } from "../conditions.js";
import { invalidArgument, s3Error } from "../errors.js";
import {
  checkVersionId, checksumMembers, checksumOutput, contentHeadersOf, keyOf, metadataOf, newVersionIdFor, objectHeaders,
  resolveObject, storageClassOf, versionIdHeader,
} from "../objects.js";
import { parseRange } from "../range.js";
import type { BucketRecord, ObjectRecord } from "../records.js";
import { parseTaggingHeader } from "../tags.js";
import { expirationHeader } from "../lifecycle.js";
import { checkReadable } from "../restore.js";
import { notify } from "../notifications.js";
import { checkDeletable, lockForNewVersion } from "../object-lock.js";
import { headersOf, originOf, signatureChainFor, type S3Context, type S3Handler, type S3Input, type S3Output } from "../types.js";

// PutObject, GetObject, HeadObject, DeleteObject.

/** Conditional writes (If-None-Match: * and If-Match), PutObject API reference. */
function checkPutConditions(ctx: S3Context, bucket: BucketRecord, key: string, input: S3Input): void {
  if (input.IfNoneMatch === undefined && input.IfMatch === undefined) return;
  checkWriteConditions(input, ctx.store.current(bucket.name, key), key);
}

export const PutObject: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const key = keyOf(input);
  const storageClass = storageClassOf(input.StorageClass);
  const tags = parseTaggingHeader(input.Tagging);
  checkPutConditions(ctx, bucket, key, input);
  const acl = input.ACL === undefined ? undefined : grantsOf(input, bucket, ctx.account, true);
  const lock = lockForNewVersion(bucket, input, ctx.clock.now());
  // A small body comes back unstored: putVersion writes it with the record.
  const body = receiveBody(ctx.store.blobs, ctx.store.newBlobKey(), input.Body as Readable | Buffer | undefined, headersOf(ctx), {
    contentEncoding: input.ContentEncoding,
    chain: signatureChainFor(ctx),
    hold: true,
  });
  // A body in hand is stored at once: a small upload's answer needs no promise.
  const store = (body: ReceivedBody): S3Output => {
    try {
      // Checked again once the bytes are in: another write may have won meanwhile.
      checkPutConditions(ctx, bucket, key, input);
    } catch (error) {
      if (body.blob && !body.held) ctx.store.blobs.delete(body.blob);
      throw error;
    }
    const record: ObjectRecord = {
      key,
      versionId: newVersionIdFor(ctx, bucket),
      lastModified: ctx.clock.now(),
      owner: ctx.account,
      blob: body.blob,
      size: body.size,
      etag: `"${body.md5}"`,
      headers: Object.assign(contentHeadersOf(input), { ContentEncoding: body.contentEncoding }),
      metadata: metadataOf(input),
      storageClass,
      tags,
      checksum: body.checksum && { algorithm: body.checksum.algorithm, value: body.checksum.value, type: "FULL_OBJECT" },
      sse: input.ServerSideEncryption,
      sseKmsKeyId: input.SSEKMSKeyId,
    };
    if (acl) record.acl = acl;
    if (lock) record.lock = lock;
    ctx.store.putVersion(bucket, record, body.held);
    notify(ctx.store, bucket, "ObjectCreated:Put", record, originOf(ctx));
    // Object.assign, not spreads: each spread into a literal costs ~1 us on Node 20.
    return Object.assign(checksumMembers(record.checksum), {
      ETag: record.etag,
      VersionId: versionIdHeader(bucket, record),
      ServerSideEncryption: record.sse ?? "AES256",
      SSEKMSKeyId: record.sseKmsKeyId,
      Expiration: expirationHeader(bucket, record),
    });
  };
  return body instanceof Promise ? body.then(store) : store(body);
};

function conditionsOf(input: S3Input): Conditions {
  return { IfMatch: input.IfMatch, IfNoneMatch: input.IfNoneMatch, IfModifiedSince: input.IfModifiedSince, IfUnmodifiedSince: input.IfUnmodifiedSince };
}

interface Read {
  output: S3Output;
  record: ObjectRecord;
  start: number;
  end: number;
}

/**
 * What GetObject and HeadObject share: the version, conditions, range or part, and
 * headers. Synchronous (a promise costs a simple read a measurable share of its
 * time) unless a checksum asked for must first be computed (checksumOutput).
 */
function read(input: S3Input, ctx: S3Context, method: "GET" | "HEAD"): Read | Promise<Read> {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, method);
  const now = ctx.clock.now();
  const output = objectHeaders(bucket, record, now);
  if (method === "GET") checkReadable(record, now);
  if (input.IfMatch !== undefined || input.IfNoneMatch !== undefined || input.IfModifiedSince !== undefined || input.IfUnmodifiedSince !== undefined) {
    checkReadConditions(conditionsOf(input), record, { ETag: record.etag, "Last-Modified": new Date(record.lastModified).toUTCString() });
  }
  let start = 0;
  let end = record.size - 1;
  const partNumber = input.PartNumber as number | undefined;
  if (partNumber !== undefined) {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
      throw invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", String(partNumber));
    }
    const parts = record.parts ?? [{ size: record.size, etag: record.etag }];
    if (partNumber > parts.length) throw s3Error("InvalidPartNumber", "The requested partnumber is not satisfiable", { PartNumberRequested: partNumber, ActualPartCount: parts.length });
    for (let i = 0; i < partNumber - 1; i++) start += parts[i].size;
    end = start + parts[partNumber - 1].size - 1;
    output.PartsCount = record.parts ? parts.length : undefined;
    if (record.parts) {
      output.StatusCode = 206;
      output.ContentRange = `bytes ${start}-${end}/${record.size}`;
    }
  } else {
    const range = parseRange(input.Range, record.size);
    if (range) {
      ({ start, end } = range);
      output.StatusCode = 206;
      output.ContentRange = `bytes ${start}-${end}/${record.size}`;
    }
  }
  let checksum: Promise<S3Output> | undefined;
  if (input.ChecksumMode === "ENABLED" && output.StatusCode === undefined) {
    if (record.checksum) Object.assign(output, checksumMembers(record.checksum));
    else checksum = checksumOutput(ctx, bucket.name, record);
  }
  // response-* query parameters override the stored headers (GetObject API reference).
  if (input.ResponseContentType !== undefined) output.ContentType = input.ResponseContentType;
  if (input.ResponseContentLanguage !== undefined) output.ContentLanguage = input.ResponseContentLanguage;
  if (input.ResponseContentDisposition !== undefined) output.ContentDisposition = input.ResponseContentDisposition;
  if (input.ResponseContentEncoding !== undefined) output.ContentEncoding = input.ResponseContentEncoding;
  if (input.ResponseCacheControl !== undefined) output.CacheControl = input.ResponseCacheControl;
  if (input.ResponseExpires !== undefined) output.Expires = (input.ResponseExpires as Date).toUTCString();
  const result = { output, record, start, end };
  return checksum ? checksum.then((members) => (Object.assign(output, members), result)) : result;
}

export const GetObject: S3Handler = (input, ctx) => {
  const result = read(input, ctx, "GET");
  return result instanceof Promise ? result.then((r) => withBytes(ctx, r)) : withBytes(ctx, result);
};

function withBytes(ctx: S3Context, { output, record, start, end }: Read): S3Output {
  const body = ctx.store.readBytes(record, start, end);
  output.Body = body;
  // A streamed body carries its length (a Buffer's the gateway sets).
  if (!Buffer.isBuffer(body)) output.ContentLength = end - start + 1;
  return output;
}

export const HeadObject: S3Handler = (input, ctx) => {
  const result = read(input, ctx, "HEAD");
  const withLength = ({ output, start, end }: Read) => ((output.ContentLength = end - start + 1), output);
  return result instanceof Promise ? result.then(withLength) : withLength(result);
};

/**
 * Without a version id: versioning off removes the object; on adds a delete
 * marker; suspended replaces the null version with a null delete marker. With
 * one: that version goes for good. S3 answers 204 even when there was nothing.
 */
export const DeleteObject: S3Handler = (input, ctx) =>
  deleteObject(ctx, ctx.store.requireBucket(input.Bucket), String(input.Key), input.VersionId, input.BypassGovernanceRetention === true);

/** `bypassGovernance`: x-amz-bypass-governance-retention, for a version under GOVERNANCE retention. */
export function deleteObject(ctx: S3Context, bucket: BucketRecord, key: string, versionId: string | undefined, bypassGovernance = false): S3Output {
  if (versionId !== undefined) {
    checkVersionId(versionId);
    const version = ctx.store.version(bucket.name, key, versionId);
    if (version) checkDeletable(version.record, ctx.clock.now(), bypassGovernance);
    const removed = ctx.store.deleteVersion(bucket.name, key, versionId);
    if (removed) notify(ctx.store, bucket, "ObjectRemoved:Delete", removed, originOf(ctx));
    return { VersionId: versionId, DeleteMarker: removed?.deleteMarker ? true : undefined };
  }
  if (!bucket.versioning) {
    const removed = ctx.store.deleteVersion(bucket.name, key, "null");
    if (removed) notify(ctx.store, bucket, "ObjectRemoved:Delete", removed, originOf(ctx));
    return {};
  }
  const marker: ObjectRecord = {
    key,
    versionId: newVersionIdFor(ctx, bucket),
    deleteMarker: true,
    lastModified: ctx.clock.now(),
    owner: ctx.account,
    size: 0,
    etag: "",
    headers: {},
    metadata: {},
    storageClass: "STANDARD",
    tags: [],
  };
  ctx.store.putVersion(bucket, marker);
  notify(ctx.store, bucket, "ObjectRemoved:DeleteMarkerCreated", marker, originOf(ctx));
  return { DeleteMarker: true, VersionId: marker.versionId };
}
