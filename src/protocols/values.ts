import type { TimestampFormat } from "../models/types.js";

// Scalar conversions shared by every codec. Parsed input carries timestamps as
// Date and blobs as Buffer; outputs may give a timestamp as Date, epoch seconds
// (number) or an ISO-8601 string, and a blob as Buffer, Uint8Array or string.

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number") return new Date(value * 1000);
  if (typeof value === "string") {
    const n = Number(value);
    if (value.trim() !== "" && Number.isFinite(n)) return new Date(n * 1000);
    return new Date(value);
  }
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

export function formatTimestamp(value: unknown, format: TimestampFormat): string | number {
  const date = toDate(value);
  switch (format) {
    case "unixTimestamp":
      return date.getTime() / 1000;
    case "rfc822":
      return date.toUTCString();
    case "iso8601": {
      // AWS writes milliseconds only when there are some: 2014-04-29T18:30:38Z.
      const iso = date.toISOString();
      return date.getUTCMilliseconds() === 0 ? iso.replace(".000Z", "Z") : iso;
    }
  }
}

/** Parses a timestamp in any of AWS's wire forms; returns undefined if it is none. */
export function parseTimestamp(raw: string | number): Date | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? new Date(raw * 1000) : undefined;
  const s = raw.trim();
  if (s === "") return undefined;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) return new Date(Number(s) * 1000);
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === "string") return Buffer.from(value, "utf8");
  throw new TypeError("not a blob");
}

/** Numbers as AWS writes them in text protocols: NaN and the infinities by name. */
export function formatNumberText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return String(n);
}

export function parseNumberText(s: string): number {
  if (s === "NaN") return NaN;
  if (s === "Infinity") return Infinity;
  if (s === "-Infinity") return -Infinity;
  return Number(s);
}
