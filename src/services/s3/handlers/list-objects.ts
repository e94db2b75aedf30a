import { invalidArgument } from "../errors.js";
import { encoder, maxKeysOf, walk, type Page } from "../listing.js";
import { checksumAlgorithmList } from "../objects.js";
import { ownerOf } from "../owner.js";
import { restoreStatus } from "../restore.js";
import type { ObjectRecord } from "../records.js";
import type { S3Context, S3Handler, S3Input } from "../types.js";

// ListObjects (v1: Marker) and ListObjectsV2 (ContinuationToken, StartAfter, FetchOwner).

function listCurrent(ctx: S3Context, bucket: string, input: S3Input, after: string | undefined, max: number) {
  const prefix: string = input.Prefix ?? "";
  // Start the index scan at the later of the prefix and the marker.
  const from = after !== undefined && after > prefix ? after : prefix;
  // Restarts the index scan where the walk seeks (past a rolled-up common prefix).
  const source = (function* (): Generator<{ key: string; item: ObjectRecord }, void, string | undefined> {
    let start: string | undefined = from;
    while (start !== undefined) {
      const at: string = start;
      start = undefined;
      for (const item of ctx.store.currentObjects(bucket, at)) {
        const seek = yield { key: item.key, item };
        if (seek !== undefined) {
          start = seek;
          break;
        }
      }
    }
  })();
  return walk(source, { prefix, delimiter: input.Delimiter || undefined, max, after });
}

function contentOf(record: ObjectRecord, encode: (s: string) => string | undefined, owner: boolean, account: string, restoreAt?: number) {
  return {
    Key: encode(record.key),
    LastModified: new Date(record.lastModified),
    ETag: record.etag,
    ChecksumAlgorithm: checksumAlgorithmList(record),
    ChecksumType: record.checksum?.type ?? "FULL_OBJECT",
    Size: record.size,
    StorageClass: record.storageClass,
    Owner: owner ? ownerOf(record.owner ?? account) : undefined,
    RestoreStatus: restoreAt !== undefined && record.restore ? restoreStatus(record, restoreAt) : undefined,
  };
}

/** The clock's time when the listing asks for RestoreStatus (x-amz-optional-object-attributes), else undefined. */
export function restoreTime(ctx: S3Context, input: S3Input): number | undefined {
  const wanted = input.OptionalObjectAttributes as string[] | string | undefined;
  const list = Array.isArray(wanted) ? wanted : String(wanted ?? "").split(",").map((s) => s.trim());
  return list.includes("RestoreStatus") ? ctx.clock.now() : undefined;
}

/** One page of current objects as both ListObjects versions show it: Contents and CommonPrefixes. */
function listPage(
  ctx: S3Context, bucket: string, input: S3Input, after: string | undefined, max: number,
  encode: (s: string) => string | undefined, owner: boolean,
) {
  const page: Page<ObjectRecord> = max === 0 ? { entries: [], truncated: false } : listCurrent(ctx, bucket, input, after, max);
  const at = restoreTime(ctx, input);
  const contents = page.entries.flatMap((e) => (e.kind === "item" ? [contentOf(e.item, encode, owner, ctx.account, at)] : []));
  const prefixes = page.entries.flatMap((e) => (e.kind === "prefix" ? [{ Prefix: encode(e.prefix) }] : []));
  return { page, contents, prefixes };
}

export const ListObjectsV2: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const encode = encoder(input.EncodingType);
  const max = maxKeysOf(input.MaxKeys);
  let after: string | undefined = input.StartAfter || undefined;
  if (input.ContinuationToken !== undefined) {
    const decoded = Buffer.from(String(input.ContinuationToken), "base64url").toString("utf8");
    if (!decoded.startsWith("1:")) throw invalidArgument("The continuation token provided is incorrect", "continuation-token", String(input.ContinuationToken));
    after = decoded.slice(2);
  }
  const { page, contents, prefixes } = listPage(ctx, bucket.name, input, after, max, encode, input.FetchOwner === true);
  return {
    IsTruncated: page.truncated,
    Contents: contents.length ? contents : undefined,
    Name: bucket.name,
    Prefix: encode(input.Prefix ?? ""),
    Delimiter: encode(input.Delimiter),
    MaxKeys: max,
    CommonPrefixes: prefixes.length ? prefixes : undefined,
    EncodingType: input.EncodingType,
    KeyCount: page.entries.length,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: page.truncated ? Buffer.from(`1:${page.last}`).toString("base64url") : undefined,
    StartAfter: encode(input.StartAfter),
  };
};

export const ListObjects: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const encode = encoder(input.EncodingType);
  const max = maxKeysOf(input.MaxKeys);
  const { page, contents, prefixes } = listPage(ctx, bucket.name, input, input.Marker || undefined, max, encode, true);
  return {
    IsTruncated: page.truncated,
    Marker: encode(input.Marker ?? ""),
    // NextMarker only comes with a delimiter (ListObjects API reference).
    NextMarker: page.truncated && input.Delimiter ? encode(page.last) : undefined,
    Contents: contents.length ? contents : undefined,
    Name: bucket.name,
    Prefix: encode(input.Prefix ?? ""),
    Delimiter: encode(input.Delimiter),
    MaxKeys: max,
    CommonPrefixes: prefixes.length ? prefixes : undefined,
    EncodingType: input.EncodingType,
  };
};
