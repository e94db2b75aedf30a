import assert from "node:assert/strict";
import { test } from "node:test";
import { compareNumbers } from "../../engines/dynamodb/index.js";
import { decodeNumber, encodeKey, encodeNumber, prefixEnd } from "./key-codec.js";

// The order-preserving key encodings: SQLite compares BLOBs with memcmp (then
// length), which must be DynamoDB's order (numbers numerically).

const NUMBERS = [
  "-9.9999999999999999999999999999999999999E+125", "-1e100", "-12345.678", "-1000", "-100", "-99.5", "-10", "-1.23",
  "-1.2", "-1", "-0.5", "-0.05", "-1E-130", "0", "1E-130", "0.000001", "0.05", "0.5", "1", "1.2", "1.23", "1.5", "9",
  "10", "10.0001", "99.99", "100", "101", "1000", "12345678901234567890123456789012345678", "1e100",
  "9.9999999999999999999999999999999999999E+125",
];

test("encoded numbers sort numerically: negatives, decimals, exponents", () => {
  const shuffled = [...NUMBERS].sort(() => Math.random() - 0.5);
  const byBytes = shuffled.sort((a, b) => Buffer.compare(encodeNumber(a), encodeNumber(b)));
  assert.deepEqual(byBytes, NUMBERS);
  for (let i = 0; i < NUMBERS.length; i++) {
    for (let j = 0; j < NUMBERS.length; j++) {
      assert.equal(Math.sign(Buffer.compare(encodeNumber(NUMBERS[i]!), encodeNumber(NUMBERS[j]!))), Math.sign(compareNumbers(NUMBERS[i]!, NUMBERS[j]!)), `${NUMBERS[i]} vs ${NUMBERS[j]}`);
    }
  }
});

test("equal numbers encode equally and decode to DynamoDB's canonical text", () => {
  assert.deepEqual(encodeNumber("1.50"), encodeNumber("1.5"));
  assert.deepEqual(encodeNumber("1e2"), encodeNumber("100"));
  assert.deepEqual(encodeNumber("-0"), encodeNumber("0"));
  for (const n of ["0", "1.5", "-1.23", "100", "0.0001", "-1000.5", "1E-130"]) {
    assert.equal(decodeNumber(encodeNumber(n)), n === "1E-130" ? "0." + "0".repeat(129) + "1" : n);
  }
});

test("strings sort by UTF-8 bytes, and begins_with ranges end after the prefix", () => {
  const strings = ["", "A", "Z", "a", "ab", "abc", "b", "\u00e9", "\uffff", "\u{1F600}"];
  const sorted = [...strings].reverse().sort((a, b) => Buffer.compare(encodeKey({ S: a }, "S"), encodeKey({ S: b }, "S")));
  assert.deepEqual(sorted, strings);
  assert.deepEqual(prefixEnd(Buffer.from("ab")), Buffer.from("ac"));
  assert.deepEqual(prefixEnd(Buffer.from([1, 0xff])), Buffer.from([2]));
  assert.equal(prefixEnd(Buffer.from([0xff])), undefined);
});

test("the small-integer fast path encodes as the decimal path does", () => {
  for (const n of ["1", "-1", "7", "10", "-10", "100", "-1000", "42", "123456789012345", "-999999999999999", "120", "-120"]) {
    const viaDecimal = n.startsWith("-") ? `-${n.slice(1)}.0e0` : `${n}.0e0`;
    assert.deepEqual(encodeNumber(n), encodeNumber(viaDecimal), n);
  }
});
