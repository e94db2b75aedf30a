import type { ObjectRecord } from "./records.js";

// An object version's record as the JSON its row keeps. Most versions are plain
// uploads: their fields are written here by hand, which costs a PutObject a few
// microseconds less than JSON.stringify's general walk (its native serializer is
// the larger share of a small upload's time when it runs cold, once per request).
// Any field this does not know (ACLs, locks, parts, restores...) goes to
// JSON.stringify whole: the text always parses back to the same record.

/** The fields written by hand, and the kind each must have. */
const PLAIN: Record<string, "string" | "number" | "strings" | "tags" | "checksum"> = {
  key: "string", versionId: "string", lastModified: "number", owner: "string", blob: "string", size: "number", etag: "string",
  headers: "strings", metadata: "strings", storageClass: "string", tags: "tags", checksum: "checksum", sse: "string", sseKmsKeyId: "string",
};

export function recordJson(record: ObjectRecord): string {
  let out = "{";
  for (const name in record) {
    const value = (record as unknown as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const text = plainJson(PLAIN[name], value);
    if (text === undefined) return JSON.stringify(record);
    out += (out.length > 1 ? ',"' : '"') + name + '":' + text;
  }
  return out + "}";
}

/** The JSON of a value of that kind, or undefined when it is not of it. */
function plainJson(kind: (typeof PLAIN)[string] | undefined, value: unknown): string | undefined {
  switch (kind) {
    case "string":
      return typeof value === "string" ? quoted(value) : undefined;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
    case "strings":
      return stringMap(value);
    case "tags": {
      if (!Array.isArray(value)) return undefined;
      let out = "[";
      for (const tag of value as unknown[]) {
        if (!Array.isArray(tag) || tag.length !== 2 || typeof tag[0] !== "string" || typeof tag[1] !== "string") return undefined;
        out += (out.length > 1 ? ",[" : "[") + quoted(tag[0]) + "," + quoted(tag[1]) + "]";
      }
      return out + "]";
    }
    case "checksum":
      return stringMap(value);
    default:
      return undefined;
  }
}

/** An object of string (or undefined) values, keys in their order. */
function stringMap(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  let out = "{";
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return undefined;
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== "string") return undefined;
    out += (out.length > 1 ? "," : "") + quoted(key) + ":" + quoted(v);
  }
  return out + "}";
}

// Nothing JSON escapes: no quote, backslash, control character or surrogate (a lone
// one is escaped by JSON.stringify; a pair is left to it too, for simplicity).
const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function quoted(text: string): string {
  return PLAIN_TEXT.test(text) ? '"' + text + '"' : JSON.stringify(text);
}
