import { s3Error } from "./errors.js";

// Tag sets of buckets and objects, and the x-amz-tagging header (URL query form).
// Limits from the S3 User Guide ("Categorizing your storage using tags"): at most
// 10 tags per object (50 per bucket), keys up to 128 and values up to 256 characters.

export function validateTagSet(tags: { Key?: string; Value?: string }[], max = 50): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key ?? "";
    const value = tag.Value ?? "";
    if (seen.has(key)) throw s3Error("InvalidTag", "Cannot provide multiple Tags with the same key", { TagKey: key });
    if (key.toLowerCase().startsWith("aws:")) throw s3Error("InvalidTag", "System tags cannot be added/updated by requester");
    if (key.length < 1 || key.length > 128) throw s3Error("InvalidTag", "The TagKey you have provided is invalid", { TagKey: key });
    if (value.length > 256) throw s3Error("InvalidTag", "The TagValue you have provided is invalid", { TagKey: key, TagValue: value });
    seen.add(key);
    out.push([key, value]);
  }
  if (out.length > max) {
    throw s3Error("BadRequest", max === 10 ? "Object tags cannot be greater than 10" : "Bucket tag count cannot be greater than 50");
  }
  return out;
}

export function parseTaggingHeader(header: string | undefined): [string, string][] {
  if (!header) return [];
  const params = new URLSearchParams(header);
  return validateTagSet([...params].map(([Key, Value]) => ({ Key, Value })), 10);
}
