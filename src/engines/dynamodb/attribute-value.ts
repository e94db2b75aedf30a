import { Decimal } from "decimal.js";
import { ExpressionError } from "./errors.js";

// The wire shape of a DynamoDB AttributeValue, with binaries decoded.
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { BOOL: boolean }
  | { NULL: true };

export type Item = Record<string, AttributeValue>;
export type AttributeType = "S" | "N" | "B" | "SS" | "NS" | "BS" | "L" | "M" | "BOOL" | "NULL";

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ["S", "N", "B", "SS", "NS", "BS", "L", "M", "BOOL", "NULL"];

/** The type tag of a value (a validated value has exactly one). */
export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new ExpressionError("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
}

/** The payload of a value, untyped; callers switch on typeOf first. */
export function payload(value: AttributeValue): unknown {
  for (const key in value) return (value as Record<string, unknown>)[key];
  return undefined;
}

// Exact decimal arithmetic: 38 significant digits fit, and the widest sum
// (1E+125 + 1E-130) needs 256, so nothing is ever rounded before validation.
export const Dec = Decimal.clone({ precision: 300, toExpNeg: -400, toExpPos: 400 });
export type Dec = Decimal;

// Java BigDecimal's syntax, which DynamoDB accepts; decimal.js alone would
// also take "0x1f", "Infinity" and "NaN".
const NUMBER_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parse and range-check a number string, with DynamoDB's messages. */
export function parseNumber(text: string): Decimal {
  if (text === "") throw new ExpressionError("The parameter cannot be converted to a numeric value");
  if (!NUMBER_SYNTAX.test(text)) {
    throw new ExpressionError(`The parameter cannot be converted to a numeric value: ${text}`);
  }
  return checkNumber(new Dec(text));
}

/** DynamoDB's range: 1E-130 to 9.99...E+125, 38 significant digits. */
export function checkNumber(d: Decimal): Decimal {
  if (d.isZero()) return d;
  if (d.e > 125) {
    throw new ExpressionError("Number overflow. Attempting to store a number with magnitude larger than supported range");
  }
  if (d.e < -130) {
    throw new ExpressionError("Number underflow. Attempting to store a number with magnitude smaller than supported range");
  }
  if (d.sd() > 38) throw new ExpressionError("Attempting to store more than 38 significant digits in a Number");
  return d;
}

/** Canonical text as DynamoDB returns it: "1.50" -> "1.5", "-0" -> "0", "1e2" -> "100". */
export function normalizeNumber(text: string): string {
  return formatNumber(parseNumber(text));
}

export function formatNumber(d: Decimal): string {
  return d.isZero() ? "0" : d.toFixed();
}

// Canonical integers of up to 15 digits are exact as doubles: the hot path
// (counters, timestamps, versions) skips the decimal library.
const SMALL_INT = /^-?[1-9]\d{0,14}$|^0$/;

/** True for a canonical integer of at most 15 digits ("42", "-7", "0"): already
 *  DynamoDB's normal form and in range, so callers may skip the decimal library. */
export function isSmallInt(text: string): boolean {
  return SMALL_INT.test(text);
}

/** a + b or a - b, exactly, with the result range-checked (UpdateExpression SET/ADD). */
export function addNumbers(a: string, b: string, subtract = false): string {
  if (SMALL_INT.test(a) && SMALL_INT.test(b)) {
    const r = subtract ? Number(a) - Number(b) : Number(a) + Number(b);
    return String(r === 0 ? 0 : r);
  }
  const x = new Dec(a);
  const y = new Dec(b);
  return formatNumber(checkNumber(subtract ? x.minus(y) : x.plus(y)));
}

export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0;
  if (SMALL_INT.test(a) && SMALL_INT.test(b)) return Number(a) - Number(b);
  return new Dec(a).cmp(new Dec(b));
}

// UTF-16 code-unit order differs from UTF-8 byte (code point) order only
// between surrogates and U+E000..U+FFFF; this remaps them at the first
// difference, so ordinary strings compare without encoding.
function fixup(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

/** Strings ordered as DynamoDB orders them: by their UTF-8 bytes. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return ca >= 0xd800 && cb >= 0xd800 ? fixup(ca) - fixup(cb) : ca - cb;
  }
  return a.length - b.length;
}

/** Binaries ordered as unsigned bytes. */
export function compareBinary(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Order two scalars of the same type (S, N or B): negative, zero or positive.
 * Returns undefined when they are not comparable (different or non-scalar
 * types): DynamoDB's comparisons are then false, not errors.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ("N" in a && "N" in b) return compareNumbers(a.N, b.N);
  if ("S" in a && "S" in b) return compareStrings(a.S, b.S);
  if ("B" in a && "B" in b) return compareBinary(a.B, b.B);
  return undefined;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return compareBinary(a, b) === 0;
}

function sameMembers<T>(a: T[], b: T[], eq: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => eq(x, y)));
}

/** Equality as DynamoDB's `=`: numbers by value, sets by membership, L/M deep. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  switch (t) {
    case "S":
      return (a as { S: string }).S === (b as { S: string }).S;
    case "N":
      return compareNumbers((a as { N: string }).N, (b as { N: string }).N) === 0;
    case "B":
      return bytesEqual((a as { B: Uint8Array }).B, (b as { B: Uint8Array }).B);
    case "BOOL":
      return (a as { BOOL: boolean }).BOOL === (b as { BOOL: boolean }).BOOL;
    case "NULL":
      return true;
    case "SS": {
      const bs = new Set((b as { SS: string[] }).SS);
      const as = (a as { SS: string[] }).SS;
      return as.length === bs.size && as.every((x) => bs.has(x));
    }
    case "NS":
      return sameMembers((a as { NS: string[] }).NS, (b as { NS: string[] }).NS, (x, y) => compareNumbers(x, y) === 0);
    case "BS":
      return sameMembers((a as { BS: Uint8Array[] }).BS, (b as { BS: Uint8Array[] }).BS, bytesEqual);
    case "L": {
      const la = (a as { L: AttributeValue[] }).L;
      const lb = (b as { L: AttributeValue[] }).L;
      return la.length === lb.length && la.every((x, i) => valuesEqual(x, lb[i]!));
    }
    case "M":
      return itemsEqual((a as { M: Item }).M, (b as { M: Item }).M);
  }
}

export function itemsEqual(a: Item, b: Item): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => k in b && valuesEqual(a[k]!, b[k]!));
}

/** Whether a set value (SS/NS/BS) holds an element equal to the scalar `el`. */
export function setHas(set: AttributeValue, el: AttributeValue): boolean {
  if ("SS" in set) return "S" in el && set.SS.includes(el.S);
  if ("NS" in set) return "N" in el && set.NS.some((n) => compareNumbers(n, el.N) === 0);
  if ("BS" in set) return "B" in el && set.BS.some((b) => bytesEqual(b, el.B));
  return false;
}

/** A deep copy, so updates never alias the stored item. */
export function cloneValue(value: AttributeValue): AttributeValue {
  if ("L" in value) return { L: value.L.map(cloneValue) };
  if ("M" in value) return { M: cloneItem(value.M) };
  if ("SS" in value) return { SS: [...value.SS] };
  if ("NS" in value) return { NS: [...value.NS] };
  if ("BS" in value) return { BS: [...value.BS] };
  return value;
}

export function cloneItem(item: Item): Item {
  const out: Item = {};
  for (const k in item) putAttribute(out, k, cloneValue(item[k]!));
  return out;
}

/** Sets an attribute of an item or map: names are the client's text, and
 *  "__proto__" must become an attribute rather than the object's prototype. */
export function putAttribute<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === "__proto__") Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** Render a value as AWS does inside messages: {S:abc}, {N:1}. */
export function describeValue(value: AttributeValue): string {
  const t = typeOf(value);
  const p = payload(value);
  return `{${t}:${Array.isArray(p) ? `[${p.join(", ")}]` : String(p)}}`;
}
