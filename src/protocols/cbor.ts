import { createRequire } from "node:module";
import type { Encoder, Tag } from "cbor-x";

// CBOR for Smithy RPC v2 (RFC 8949), shared by the codec and its tests.
//
// Encoding uses cbor-x, configured to emit only standard CBOR that every
// client's decoder reads: objects as maps with string keys (no record
// extension, no tag 259), Buffers as plain byte strings (no tag 64), no
// packing or structured-clone tags. Callers hand it plain data built from the
// model, with timestamps already as `epochTag(...)`.
//
// Decoding is our own small reader rather than cbor-x's: cbor-x rejects
// indefinite-length byte and text strings ("Indefinite length not supported
// for byte or text strings"; its native string extractor crashes on them too),
// which RPC v2 clients may send, and it interprets cbor-x-specific tags
// (records, shared references, packed strings) that have no business in
// untrusted input. The reader is strict: one item, no trailing bytes, string
// map keys, bounded nesting.

// useTag259ForMaps is honoured by cbor-x's encoder but missing from its typings,
// hence the options object is declared apart from the constructor call.
const options = {
  useRecords: false,
  mapsAsObjects: true,
  useTag259ForMaps: false,
  tagUint8Array: false,
  variableMapSize: true,
  pack: false,
  structuredClone: false,
  bundleStrings: false,
};
// cbor-x (and its native extension) loads on first use: only CBOR requests need it,
// and start-up should not pay for it.
const require = createRequire(import.meta.url);
let cbor: { encoder: Encoder; Tag: typeof Tag } | undefined;

function cborX() {
  if (cbor) return cbor;
  const module = require("cbor-x") as typeof import("cbor-x");
  cbor = { encoder: new module.Encoder(options), Tag: module.Tag };
  return cbor;
}

export function encodeCbor(value: unknown): Buffer {
  return cborX().encoder.encode(value);
}

/** A timestamp as Smithy wants it: tag 1 around epoch seconds (an integer when whole, else a float). */
export function epochTag(date: Date): Tag {
  return new (cborX().Tag)(date.getTime() / 1000, 1);
}

export class CborError extends Error {}

const MAX_DEPTH = 256;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const BREAK = Symbol("break");

export function decodeCbor(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.item(0);
  if (value === BREAK) throw new CborError("unexpected break");
  if (reader.pos !== bytes.length) throw new CborError("trailing bytes after the CBOR item");
  return value;
}

class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  item(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new CborError("CBOR nesting too deep");
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) return this.simple(info);
    if (info === 31) return this.indefinite(major, depth);
    const n = this.argument(info);
    switch (major) {
      case 0: return toNumber(n);
      case 1: return typeof n === "bigint" ? Number(-1n - n) : -1 - n;
      case 2: return Buffer.from(this.take(n));
      case 3: return this.text(this.take(n));
      case 4: {
        const count = this.count(n);
        const out: unknown[] = [];
        for (let i = 0; i < count; i++) out.push(this.value(depth));
        return out;
      }
      case 5: {
        const count = this.count(n);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) setEntry(out, this.value(depth), this.value(depth));
        return out;
      }
      default: return this.tagged(toNumber(n), depth);
    }
  }

  /** An item where a break marker is not allowed. */
  private value(depth: number): unknown {
    const v = this.item(depth + 1);
    if (v === BREAK) throw new CborError("unexpected break");
    return v;
  }

  private indefinite(major: number, depth: number): unknown {
    switch (major) {
      case 2: case 3: {
        // Chunks are definite-length strings of the same major type (RFC 8949 3.2.3).
        const chunks: Uint8Array[] = [];
        for (;;) {
          const initial = this.byte();
          if (initial === 0xff) break;
          if (initial >> 5 !== major || (initial & 0x1f) === 31) throw new CborError("bad indefinite-length string chunk");
          chunks.push(this.take(this.argument(initial & 0x1f)));
        }
        const all = Buffer.concat(chunks);
        return major === 2 ? all : this.text(all);
      }
      case 4: {
        const out: unknown[] = [];
        for (let v = this.item(depth + 1); v !== BREAK; v = this.item(depth + 1)) out.push(v);
        return out;
      }
      case 5: {
        const out: Record<string, unknown> = {};
        for (let k = this.item(depth + 1); k !== BREAK; k = this.item(depth + 1)) setEntry(out, k, this.value(depth));
        return out;
      }
      default:
        throw new CborError(`indefinite length is not allowed for major type ${major}`);
    }
  }

  private tagged(tag: number, depth: number): unknown {
    const inner = this.value(depth);
    switch (tag) {
      case 1: // epoch-based date/time
        if (typeof inner !== "number") throw new CborError("tag 1 must wrap a number");
        return new Date(inner * 1000);
      case 0: { // standard date/time string
        const d = typeof inner === "string" ? new Date(inner) : undefined;
        if (!d || Number.isNaN(d.getTime())) throw new CborError("tag 0 must wrap an RFC 3339 string");
        return d;
      }
      case 2: case 3: { // bignums (Smithy bigInteger); precision beyond 2^53 is lost, as for every number we hold
        if (!Buffer.isBuffer(inner)) throw new CborError("bignum tag must wrap a byte string");
        const n = inner.length ? BigInt(`0x${inner.toString("hex")}`) : 0n;
        return Number(tag === 2 ? n : -1n - n);
      }
      case 4: { // decimal fraction [exponent, mantissa] (Smithy bigDecimal)
        if (!Array.isArray(inner) || inner.length !== 2) throw new CborError("tag 4 must wrap [exponent, mantissa]");
        return Number(inner[1]) * 10 ** Number(inner[0]);
      }
      default: // tags we do not know carry their content unchanged (RFC 8949 3.4)
        return inner;
    }
  }

  private simple(info: number): unknown {
    switch (info) {
      case 20: return false;
      case 21: return true;
      case 22: return null;
      case 23: return undefined;
      case 24: this.byte(); return undefined; // unassigned simple value
      case 25: return halfToNumber(this.view.getUint16(this.advance(2)));
      case 26: return this.view.getFloat32(this.advance(4));
      case 27: return this.view.getFloat64(this.advance(8));
      case 31: return BREAK;
      default:
        if (info < 20) return undefined;
        throw new CborError(`reserved simple value ${info}`);
    }
  }

  private argument(info: number): number | bigint {
    if (info < 24) return info;
    switch (info) {
      case 24: return this.byte();
      case 25: return this.view.getUint16(this.advance(2));
      case 26: return this.view.getUint32(this.advance(4));
      case 27: {
        const n = this.view.getBigUint64(this.advance(8));
        return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
      }
      default: throw new CborError(`reserved additional information ${info}`);
    }
  }

  /** An element count, checked against the bytes left so a forged length cannot allocate. */
  private count(n: number | bigint): number {
    if (typeof n === "bigint" || n > this.bytes.length - this.pos) throw new CborError("length exceeds the input");
    return n;
  }

  private take(n: number | bigint): Uint8Array {
    const len = this.count(n);
    return this.bytes.subarray(this.advance(len), this.pos);
  }

  private text(b: Uint8Array): string {
    try {
      return utf8.decode(b);
    } catch {
      throw new CborError("text string is not valid UTF-8");
    }
  }

  private byte(): number {
    return this.bytes[this.advance(1)];
  }

  private advance(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.length) throw new CborError("unexpected end of CBOR input");
    this.pos = at + n;
    return at;
  }
}

function toNumber(n: number | bigint): number {
  return typeof n === "bigint" ? Number(n) : n;
}

function setEntry(out: Record<string, unknown>, key: unknown, value: unknown): void {
  if (typeof key !== "string") throw new CborError("map keys must be text strings");
  // "__proto__" stays an entry rather than replacing the object's prototype.
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** IEEE 754 half precision (RFC 8949 appendix D). */
function halfToNumber(half: number): number {
  const exp = (half >> 10) & 0x1f;
  const mant = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (mant + 1024) * 2 ** (exp - 25);
}
