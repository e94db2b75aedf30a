import { noSuchKey, notModified, preconditionFailed, s3Error } from "./errors.js";
import type { ObjectRecord } from "./records.js";

// Conditional requests as S3 applies them (GetObject API reference, RFC 7232):
// If-Match before If-Unmodified-Since (412), If-None-Match before
// If-Modified-Since (304 for reads). Dates compare at second precision.

export interface Conditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

function etagMatches(list: string, etag: string): boolean {
  return list.split(",").some((t) => {
    const s = t.trim();
    return s === "*" || s === etag || `"${s}"` === etag || s.replace(/^W\//, "") === etag;
  });
}

const seconds = (ms: number) => Math.floor(ms / 1000);

export function checkReadConditions(c: Conditions, record: ObjectRecord, notModifiedHeaders?: Record<string, string>): void {
  const modified = seconds(record.lastModified);
  if (c.IfMatch !== undefined) {
    if (!etagMatches(c.IfMatch, record.etag)) throw preconditionFailed("If-Match");
  } else if (c.IfUnmodifiedSince !== undefined && modified > seconds(c.IfUnmodifiedSince.getTime())) {
    throw preconditionFailed("If-Unmodified-Since");
  }
  if (c.IfNoneMatch !== undefined) {
    if (etagMatches(c.IfNoneMatch, record.etag)) throw notModified(notModifiedHeaders);
  } else if (c.IfModifiedSince !== undefined && modified <= seconds(c.IfModifiedSince.getTime())) {
    throw notModified(notModifiedHeaders);
  }
}

/** x-amz-copy-source-if-*: any failing condition is 412 (CopyObject API reference). */
export function checkCopySourceConditions(c: Conditions, record: ObjectRecord): void {
  const modified = seconds(record.lastModified);
  if (c.IfMatch !== undefined && !etagMatches(c.IfMatch, record.etag)) throw preconditionFailed("x-amz-copy-source-If-Match");
  if (c.IfMatch === undefined && c.IfUnmodifiedSince !== undefined && modified > seconds(c.IfUnmodifiedSince.getTime())) {
    throw preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
  }
  if (c.IfNoneMatch !== undefined && etagMatches(c.IfNoneMatch, record.etag)) throw preconditionFailed("x-amz-copy-source-If-None-Match");
  if (c.IfNoneMatch === undefined && c.IfModifiedSince !== undefined && modified <= seconds(c.IfModifiedSince.getTime())) {
    throw preconditionFailed("x-amz-copy-source-If-Modified-Since");
  }
}

/**
 * Conditional writes (PutObject, CompleteMultipartUpload, CopyObject; S3 User
 * Guide, "Conditional writes"): If-None-Match takes only "*" and fails on a live
 * object; If-Match needs a live object whose ETag it names (404 NoSuchKey without one).
 * `current` is the destination key's current version, a delete marker counting as none.
 */
export function checkWriteConditions(c: { IfMatch?: string; IfNoneMatch?: string }, current: ObjectRecord | undefined, key: string): void {
  if (c.IfNoneMatch === undefined && c.IfMatch === undefined) return;
  const live = current && !current.deleteMarker ? current : undefined;
  if (c.IfNoneMatch !== undefined) {
    if (c.IfNoneMatch !== "*") {
      throw s3Error("NotImplemented", "A header you provided implies functionality that is not implemented", {
        Header: "If-None-Match",
        AdditionalMessage: "We don't accept the provided value of If-None-Match header for this API",
      });
    }
    if (live) throw preconditionFailed("If-None-Match");
  }
  if (c.IfMatch !== undefined) {
    if (!live) throw noSuchKey(key);
    if (c.IfMatch !== live.etag && `"${c.IfMatch}"` !== live.etag) throw preconditionFailed("If-Match");
  }
}
