import { Dec, isSmallInt, type AttributeValue } from "../../engines/dynamodb/index.js";

// Order-preserving byte encodings of key values, so SQLite's BLOB order
// (memcmp, then the shorter first) is DynamoDB's sort-key order: strings by
// their UTF-8 bytes, binaries by their bytes, numbers numerically. A table's key
// attribute has one type, so encodings of different types never meet.
//
// Numbers: a sign byte (0x01 negative, 0x02 zero, 0x03 positive), then for
// non-zero numbers the decimal exponent of the first significant digit
// (DynamoDB's range is 1E-130 .. 9.9E+125, so e + 130 fits one byte) and the
// significant digits, one byte each (digit + 1), without trailing zeros. A
// larger exponent is a larger magnitude; at equal exponents the digits compare
// lexicographically and a prefix is smaller (1.2 < 1.23). Negatives store every
// byte after the sign complemented (255 - b), which reverses the order, plus a
// 0xFF terminator so that a prefix sorts after its extensions (-1.2 > -1.23).

export type KeyType = "S" | "N" | "B";

const EMPTY: Buffer = Buffer.alloc(0);

export function encodeNumber(text: string): Buffer {
  if (isSmallInt(text)) return encodeSmallInt(text);
  const d = new Dec(text);
  if (d.isZero()) return Buffer.from([0x02]);
  const digits = d.abs().toFixed().replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  const out = Buffer.allocUnsafe(2 + digits.length + (d.isNeg() ? 1 : 0));
  const neg = d.isNeg();
  out[0] = neg ? 0x01 : 0x03;
  const e = d.e + 130;
  out[1] = neg ? 255 - e : e;
  for (let i = 0; i < digits.length; i++) {
    const b = digits.charCodeAt(i) - 47; // '0' -> 1
    out[2 + i] = neg ? 255 - b : b;
  }
  if (neg) out[out.length - 1] = 0xff;
  return out;
}

/** encodeNumber for a canonical integer of at most 15 digits, without the decimal library. */
function encodeSmallInt(text: string): Buffer {
  if (text === "0") return Buffer.from([0x02]);
  const neg = text.charCodeAt(0) === 45;
  const abs = neg ? text.slice(1) : text;
  let n = abs.length;
  while (abs.charCodeAt(n - 1) === 48) n--;
  const out = Buffer.allocUnsafe(2 + n + (neg ? 1 : 0));
  out[0] = neg ? 0x01 : 0x03;
  const e = abs.length - 1 + 130;
  out[1] = neg ? 255 - e : e;
  for (let i = 0; i < n; i++) {
    const b = abs.charCodeAt(i) - 47;
    out[2 + i] = neg ? 255 - b : b;
  }
  if (neg) out[out.length - 1] = 0xff;
  return out;
}

export function decodeNumber(bytes: Uint8Array): string {
  if (bytes[0] === 0x02) return "0";
  const neg = bytes[0] === 0x01;
  const end = neg ? bytes.length - 1 : bytes.length;
  const e = (neg ? 255 - bytes[1]! : bytes[1]!) - 130;
  let digits = "";
  for (let i = 2; i < end; i++) digits += String((neg ? 255 - bytes[i]! : bytes[i]!) - 1);
  const text = `${neg ? "-" : ""}0.${digits}e${e + 1}`;
  return new Dec(text).toFixed();
}

/** The bytes of a key value of the given type, as stored and compared. */
export function encodeKey(value: AttributeValue, type: KeyType): Buffer {
  switch (type) {
    case "S":
      return Buffer.from((value as { S: string }).S, "utf8");
    case "B":
      return Buffer.from((value as { B: Uint8Array }).B);
    case "N":
      return encodeNumber((value as { N: string }).N);
  }
}

export function decodeKey(bytes: Uint8Array, type: KeyType): AttributeValue {
  switch (type) {
    case "S":
      return { S: Buffer.from(bytes).toString("utf8") };
    case "B":
      return { B: Buffer.from(bytes) };
    case "N":
      return { N: decodeNumber(bytes) };
  }
}

/** The smallest byte string greater than every string starting with `prefix`
 *  (undefined when there is none: all 0xFF). For begins_with ranges. */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i]! += 1;
      return out.subarray(0, i + 1);
    }
  }
  return undefined;
}

export { EMPTY as EMPTY_KEY };
