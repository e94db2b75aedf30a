import { test } from "node:test";
import assert from "node:assert/strict";
import { itemSize, numberSize, valueSize } from "./item-size.js";

test("strings count UTF-8 bytes, names included", () => {
  assert.equal(itemSize({ id: { S: "abc" } }), 5);
  assert.equal(itemSize({ "é": { S: "€" } }), 2 + 3);
});

test("numbers: about a byte per two significant digits plus one", () => {
  assert.equal(numberSize("0"), 1);
  assert.equal(numberSize("1"), 2);
  assert.equal(numberSize("12"), 2); // one base-100 digit
  assert.equal(numberSize("1.5"), 3); // 01.50: two
  assert.equal(numberSize("123"), 3);
  assert.equal(numberSize("-1"), 3);
  
  assert.equal(numberSize("12345678901234567890123456789012345678"), 20);
});

test("binary, bool, null, sets, lists and maps", () => {
  assert.equal(valueSize({ B: new Uint8Array(10) }), 10);
  assert.equal(valueSize({ BOOL: true }), 1);
  assert.equal(valueSize({ NULL: true }), 1);
  assert.equal(valueSize({ SS: ["ab", "c"] }), 3);
  assert.equal(valueSize({ L: [] }), 3);
  assert.equal(valueSize({ M: {} }), 3);
  assert.equal(valueSize({ L: [{ S: "ab" }, { BOOL: false }] }), 3 + (1 + 2) + (1 + 1));
  assert.equal(valueSize({ M: { a: { S: "xy" } } }), 3 + 1 + 1 + 2);
});

test("numberSize: the small-integer fast path agrees with the decimal formula", () => {
  for (const n of ["1", "-1", "10", "-10", "100", "12", "-12", "1200", "123456789012345", "-99"]) {
    assert.equal(numberSize(n), numberSize(`${n}.0`), n);
  }
});
