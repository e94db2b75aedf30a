import { encoder, maxKeysOf, pastPrefix } from "../listing.js";
import { checksumAlgorithmList } from "../objects.js";
import { ownerOf } from "../owner.js";
import { restoreStatus } from "../restore.js";
import type { S3Handler } from "../types.js";
import { restoreTime } from "./list-objects.js";

// ListObjectVersions: every version and delete marker, keys in order and each
// key's versions newest first; KeyMarker/VersionIdMarker continue a page.

export const ListObjectVersions: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const encode = encoder(input.EncodingType);
  const max = maxKeysOf(input.MaxKeys);
  const restoreAt = restoreTime(ctx, input);
  const prefix: string = input.Prefix ?? "";
  const delimiter: string | undefined = input.Delimiter || undefined;
  const keyMarker: string | undefined = input.KeyMarker || undefined;
  let skipping = keyMarker !== undefined && input.VersionIdMarker ? input.VersionIdMarker : undefined;
  const Versions: Record<string, unknown>[] = [];
  const DeleteMarkers: Record<string, unknown>[] = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let nextKey: string | undefined;
  let nextVersion: string | undefined;
  let last: { key: string; versionId?: string } | undefined;
  const from = keyMarker !== undefined && keyMarker > prefix ? keyMarker : prefix;
  // The scan restarts past each rolled-up common prefix instead of reading its keys.
  let start: string | undefined = from;
  scan: while (start !== undefined) {
    const at: string = start;
    start = undefined;
    for (const { record, latest } of ctx.store.allVersions(bucket.name, at)) {
      const key = record.key;
      if (!key.startsWith(prefix)) {
        if (key > prefix) break scan;
        continue;
      }
      if (keyMarker !== undefined) {
        if (key < keyMarker) continue;
        if (key === keyMarker) {
          if (!skipping) continue;
          if (skipping === record.versionId) skipping = undefined;
          continue;
        }
      }
      let common: string | undefined;
      if (delimiter) {
        const at = key.indexOf(delimiter, prefix.length);
        if (at >= 0) common = key.slice(0, at + delimiter.length);
      }
      // A prefix already rolled up (the previous one, or the page's marker inside it) is passed over.
      if (common !== undefined && (prefixes[prefixes.length - 1] === common || keyMarker?.startsWith(common))) {
        start = pastPrefix(common);
        if (start !== undefined) continue scan;
        continue;
      }
      if (count >= max) {
        truncated = true;
        nextKey = last?.key;
        nextVersion = last?.versionId;
        break scan;
      }
      count++;
      if (common !== undefined) {
        prefixes.push(common);
        last = { key: common };
        start = pastPrefix(common);
        if (start !== undefined) continue scan;
        continue;
      }
      last = { key, versionId: record.versionId };
      const common2 = { Key: encode(key), VersionId: record.versionId, IsLatest: latest, LastModified: new Date(record.lastModified), Owner: ownerOf(record.owner) };
      if (record.deleteMarker) DeleteMarkers.push(common2);
      else {
        Versions.push({
          ETag: record.etag,
          ChecksumAlgorithm: checksumAlgorithmList(record),
          ChecksumType: record.checksum?.type ?? "FULL_OBJECT",
          Size: record.size,
          StorageClass: record.storageClass,
          ...common2,
          RestoreStatus: restoreAt !== undefined && record.restore ? restoreStatus(record, restoreAt) : undefined,
        });
      }
    }
  }
  return {
    IsTruncated: truncated,
    KeyMarker: encode(input.KeyMarker ?? ""),
    VersionIdMarker: input.VersionIdMarker ?? "",
    NextKeyMarker: truncated ? encode(nextKey) : undefined,
    NextVersionIdMarker: truncated ? nextVersion : undefined,
    Versions: Versions.length ? Versions : undefined,
    DeleteMarkers: DeleteMarkers.length ? DeleteMarkers : undefined,
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: encode(delimiter),
    MaxKeys: max,
    CommonPrefixes: prefixes.length ? prefixes.map((p) => ({ Prefix: encode(p) })) : undefined,
    EncodingType: input.EncodingType,
  };
};
