import { putAttribute, type AttributeValue, type Item } from "../../engines/dynamodb/index.js";

// Items as stored: their wire JSON, binaries as base64. Most items hold no
// binary, so those are written and read with JSON alone; items with binaries
// are marked with a leading "b" and walked to restore their bytes.

function hasBinary(v: AttributeValue): boolean {
  if ("B" in v || "BS" in v) return true;
  if ("L" in v) return v.L.some(hasBinary);
  if ("M" in v) for (const k in v.M) if (hasBinary(v.M[k]!)) return true;
  return false;
}

function toJson(v: AttributeValue): unknown {
  if ("B" in v) return { B: Buffer.from(v.B).toString("base64") };
  if ("BS" in v) return { BS: v.BS.map((b) => Buffer.from(b).toString("base64")) };
  if ("L" in v) return { L: v.L.map(toJson) };
  if ("M" in v) return { M: mapValues(v.M, toJson) };
  return v;
}

function fromJson(v: any): AttributeValue {
  if ("B" in v) return { B: Buffer.from(v.B, "base64") };
  if ("BS" in v) return { BS: v.BS.map((b: string) => Buffer.from(b, "base64")) };
  if ("L" in v) return { L: v.L.map(fromJson) };
  if ("M" in v) return { M: mapValues(v.M, fromJson) };
  return v;
}

function mapValues<T, U>(m: Record<string, T>, f: (v: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const k in m) putAttribute(out, k, f(m[k]!));
  return out;
}

export function encodeItem(item: Item): string {
  for (const k in item) if (hasBinary(item[k]!)) return `b${JSON.stringify(mapValues(item, toJson))}`;
  return JSON.stringify(item);
}

export function decodeItem(text: string): Item {
  if (text.charCodeAt(0) === 98 /* b */) return mapValues(JSON.parse(text.slice(1)) as Record<string, unknown>, fromJson);
  return JSON.parse(text) as Item;
}
