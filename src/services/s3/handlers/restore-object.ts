import { s3Error } from "../errors.js";
import { resolveObject } from "../objects.js";
import { restore } from "../restore.js";
import { originOf, type S3Handler } from "../types.js";

// RestoreObject: a temporary copy of an archived object (restore.ts). A copy
// that exists already only gets its expiry moved. Select restores are not built.

export const RestoreObject: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "POST");
  const request = (input.RestoreRequest ?? {}) as { Days?: number; Tier?: string; GlacierJobParameters?: { Tier?: string }; Type?: string };
  if (request.Type === "SELECT") throw s3Error("NotImplemented", "RestoreObject of Type SELECT is not implemented by Terrarium yet.");
  const days = Number(request.Days ?? 1);
  const restoredAlready = restore(ctx.store, bucket, record, Number.isInteger(days) && days > 0 ? days : 1, request.GlacierJobParameters?.Tier ?? request.Tier ?? "Standard", originOf(ctx));
  // "202 Accepted" for a restore started, "200 OK" for a copy restored already (RestoreObject API reference).
  return { StatusCode: restoredAlready ? 200 : 202 };
};
