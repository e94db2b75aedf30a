import { memberOf } from "../checksums.js";
import { invalidArgument } from "../errors.js";
import { checksumMembers, resolveObject, versionIdHeader } from "../objects.js";
import type { S3Handler, S3Output } from "../types.js";

// GetObjectAttributes: the attributes asked for in x-amz-object-attributes, in
// one response without the body (GetObjectAttributes API reference). The ETag
// comes without its quotes there; ObjectParts only for a multipart object.

const ATTRIBUTES = new Set(["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]);
const DEFAULT_MAX_PARTS = 1000;

export const GetObjectAttributes: S3Handler = (input, ctx) => {
  const bucket = ctx.store.requireBucket(input.Bucket);
  const given = input.ObjectAttributes as string[] | string | undefined;
  const wanted = (Array.isArray(given) ? given : String(given ?? "").split(",")).map((a) => a.trim()).filter((a) => a !== "");
  if (wanted.length === 0) throw invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", "");
  for (const name of wanted) if (!ATTRIBUTES.has(name)) throw invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", name);
  const record = resolveObject(ctx, bucket, String(input.Key), input.VersionId, "GET");
  const out: S3Output = { LastModified: new Date(record.lastModified), VersionId: versionIdHeader(bucket, record) };
  const want = new Set(wanted);
  if (want.has("ETag")) out.ETag = record.etag.replace(/"/g, "");
  if (want.has("Checksum") && record.checksum) out.Checksum = checksumMembers(record.checksum);
  if (want.has("StorageClass")) out.StorageClass = record.storageClass;
  if (want.has("ObjectSize")) out.ObjectSize = record.size;
  if (want.has("ObjectParts") && record.parts) {
    const marker = Number(input.PartNumberMarker ?? 0);
    const maxParts = Number(input.MaxParts ?? DEFAULT_MAX_PARTS);
    const member = record.checksum?.type === "COMPOSITE" ? memberOf(record.checksum.algorithm) : undefined;
    const all = record.parts.map((part, i) => ({ PartNumber: i + 1, Size: part.size, ...(member && part.checksum ? { [member]: part.checksum } : {}) }));
    const page = all.filter((p) => p.PartNumber > marker).slice(0, maxParts);
    const truncated = page.length > 0 && page[page.length - 1].PartNumber < all.length;
    out.ObjectParts = {
      TotalPartsCount: all.length,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1].PartNumber : marker,
      MaxParts: maxParts,
      IsTruncated: truncated,
      Parts: page,
    };
  }
  return out;
};
