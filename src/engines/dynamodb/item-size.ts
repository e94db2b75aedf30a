import { Dec, isSmallInt, type AttributeValue, type Item } from "./attribute-value.js";

// Item size as AWS documents it ("DynamoDB item sizes and formats",
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
// the UTF-8 length of each attribute name plus its value's size; strings by
// UTF-8 bytes, binaries by raw bytes, BOOL and NULL 1 byte, L and M 3 bytes of
// overhead plus 1 byte per element, numbers about 1 byte per two significant
// digits plus 1. The exact number formula (base-100 mantissa, a byte more when
// the digits do not align on a pair, one more for negatives) is the one
// measured against AWS and recorded by dynalite (db/index.js valSize).

export const MAX_ITEM_SIZE = 400 * 1024;

function utf8Length(s: string): number {
  // Short strings (names) by a loop; long ones natively, which is faster than a JS loop.
  if (s.length > 32) return Buffer.byteLength(s, "utf8");
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, "utf8");
  return s.length;
}

export function numberSize(text: string): number {
  if (isSmallInt(text)) {
    // The same formula without the decimal library: e is the digit count - 1,
    // the significant digits exclude trailing zeros.
    if (text === "0") return 1;
    const neg = text.charCodeAt(0) === 45;
    const abs = neg ? text.slice(1) : text;
    let digits = abs.length;
    while (abs.charCodeAt(digits - 1) === 48) digits--;
    const aligned = digits % 2 === 0 && (abs.length - 1) % 2 === 0;
    return 1 + Math.ceil(digits / 2) + (aligned ? 1 : 0) + (neg ? 1 : 0);
  }
  const d = new Dec(text);
  if (d.isZero()) return 1;
  const digits = d.sd();
  const aligned = digits % 2 === 0 && d.e % 2 === 0;
  return 1 + Math.ceil(digits / 2) + (aligned ? 1 : 0) + (d.isNeg() ? 1 : 0);
}

/** Size of a value alone, without its attribute name. */
export function valueSize(value: AttributeValue): number {
  if ("S" in value) return utf8Length(value.S);
  if ("N" in value) return numberSize(value.N);
  if ("B" in value) return value.B.length;
  if ("BOOL" in value || "NULL" in value) return 1;
  if ("SS" in value) return value.SS.reduce((n, s) => n + utf8Length(s), 0);
  if ("NS" in value) return value.NS.reduce((n, s) => n + numberSize(s), 0);
  if ("BS" in value) return value.BS.reduce((n, b) => n + b.length, 0);
  if ("L" in value) return value.L.reduce((n, v) => n + 1 + valueSize(v), 3);
  let size = 3;
  for (const k in value.M) size += 1 + utf8Length(k) + valueSize(value.M[k]!);
  return size;
}

/** Size of an item: attribute names plus values, as AWS counts it against the 400 KB limit. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const k in item) size += utf8Length(k) + valueSize(item[k]!);
  return size;
}
