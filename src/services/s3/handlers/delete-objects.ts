import { invalidRequest, malformedXml } from "../errors.js";
import type { S3Handler } from "../types.js";
import { headersOf } from "../types.js";
import { deleteObject } from "./objects.js";

// DeleteObjects: up to 1000 keys, each deleted as DeleteObject would; Quiet
// leaves the successes out. The body must carry an integrity header
// (Content-MD5 or a flexible checksum: DeleteObjects API reference).

export const DeleteObjects: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const headers = headersOf(ctx);
  if (ctx.http && headers["content-md5"] === undefined && !Object.keys(headers).some((h) => h.startsWith("x-amz-checksum-")) && headers["x-amz-sdk-checksum-algorithm"] === undefined) {
    throw invalidRequest("Missing required header for this request: Content-MD5");
  }
  const objects = (input.Delete?.Objects ?? []) as { Key?: string; VersionId?: string }[];
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const quiet = input.Delete?.Quiet === true;
  const Deleted: Record<string, unknown>[] = [];
  const Errors: Record<string, unknown>[] = [];
  for (const o of objects) {
    const key = o.Key ?? "";
    try {
      const out = deleteObject(ctx, bucket, key, o.VersionId, input.BypassGovernanceRetention === true);
      if (quiet) continue;
      Deleted.push(
        o.VersionId !== undefined
          ? { Key: key, VersionId: o.VersionId, DeleteMarker: out.DeleteMarker, DeleteMarkerVersionId: out.DeleteMarker ? o.VersionId : undefined }
          : { Key: key, DeleteMarker: out.DeleteMarker, DeleteMarkerVersionId: out.DeleteMarker ? out.VersionId : undefined },
      );
    } catch (e) {
      const error = e as { code?: string; message: string };
      Errors.push({ Key: key, VersionId: o.VersionId, Code: error.code ?? "InternalError", Message: error.message });
    }
  }
  return { Deleted: Deleted.length ? Deleted : undefined, Errors: Errors.length ? Errors : undefined };
};
