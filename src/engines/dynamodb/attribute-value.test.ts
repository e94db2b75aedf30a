import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addNumbers, compareStrings, compareValues, normalizeNumber, setHas, valuesEqual,
} from "./attribute-value.js";
import { ExpressionError } from "./errors.js";

test("numbers normalise as DynamoDB returns them", () => {
  assert.equal(normalizeNumber("1.50"), "1.5");
  assert.equal(normalizeNumber("-0"), "0");
  assert.equal(normalizeNumber("0.000"), "0");
  assert.equal(normalizeNumber("007"), "7");
  assert.equal(normalizeNumber("1e2"), "100");
  assert.equal(normalizeNumber("+12.0E-3"), "0.012");
  assert.equal(normalizeNumber("9.9999999999999999999999999999999999999E+125").length, 126);
  assert.equal(normalizeNumber("1E-130"), "0." + "0".repeat(129) + "1");
});

test("number errors carry AWS's text", () => {
  const err = (s: string, msg: string) =>
    assert.throws(() => normalizeNumber(s), (e: unknown) => e instanceof ExpressionError && e.message === msg);
  err("1" + "0".repeat(37) + "1", "Attempting to store more than 38 significant digits in a Number");
  err("1E126", "Number overflow. Attempting to store a number with magnitude larger than supported range");
  err("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range");
  err("abc", "The parameter cannot be converted to a numeric value: abc");
  err("0x10", "The parameter cannot be converted to a numeric value: 0x10");
  err("Infinity", "The parameter cannot be converted to a numeric value: Infinity");
  err("", "The parameter cannot be converted to a numeric value");
});

test("arithmetic is exact decimal", () => {
  assert.equal(addNumbers("0.1", "0.2"), "0.3");
  assert.equal(addNumbers("5", "7", true), "-2");
  assert.equal(addNumbers("12345678901234567890123456789012345678", "1"), "12345678901234567890123456789012345679");
  assert.throws(() => addNumbers("1E125", "1E-10"), /38 significant digits/);
  assert.throws(() => addNumbers("9.9999999999999999999999999999999999999E+125", "1E+125"), /Number overflow/);
});

test("ordering: numbers numerically, strings by UTF-8 bytes", () => {
  assert.ok(compareValues({ N: "10" }, { N: "9" })! > 0);
  assert.ok(compareValues({ N: "-1.5" }, { N: "-1.25" })! < 0);
  assert.ok(compareStrings("a", "b") < 0);
  assert.ok(compareStrings("Z", "a") < 0);
  // U+FF21 (3 UTF-8 bytes, EF..) sorts before U+1F600 (4 bytes, F0..) though its UTF-16 unit is larger.
  assert.ok(compareStrings("\uff21", "\u{1f600}") < 0);
  assert.ok(compareValues({ B: new Uint8Array([0x80]) }, { B: new Uint8Array([0x7f, 1]) })! > 0);
  assert.equal(compareValues({ S: "1" }, { N: "1" }), undefined);
});

test("equality uses set semantics and numeric value", () => {
  assert.ok(valuesEqual({ SS: ["a", "b"] }, { SS: ["b", "a"] }));
  assert.ok(valuesEqual({ NS: ["1.0", "2"] }, { NS: ["2", "1"] }));
  assert.ok(!valuesEqual({ L: [{ S: "a" }, { S: "b" }] }, { L: [{ S: "b" }, { S: "a" }] }));
  assert.ok(valuesEqual({ M: { a: { N: "1" } } }, { M: { a: { N: "1.00" } } }));
  assert.ok(!valuesEqual({ S: "1" }, { N: "1" }));
  assert.ok(setHas({ NS: ["1", "2"] }, { N: "2.0" }));
});

test("request values are validated and their numbers normalised", async () => {
  const { validateAttributeValue } = await import("./validate-value.js");
  assert.deepEqual(validateAttributeValue({ M: { a: { NS: ["1.0", "2"] }, b: { L: [{ N: "-0" }] } } }),
    { M: { a: { NS: ["1", "2"] }, b: { L: [{ N: "0" }] } } });
  assert.throws(() => validateAttributeValue({ SS: [] }),
    { message: "One or more parameter values were invalid: An string set  may not be empty" });
  assert.throws(() => validateAttributeValue({ NS: ["1", "1.0"] }), { message: "Input collection contains duplicates" });
  assert.throws(() => validateAttributeValue({ SS: ["a", "a"] }),
    { message: "One or more parameter values were invalid: Input collection [a, a] contains duplicates." });
  assert.throws(() => validateAttributeValue({ S: "a", N: "1" } as never),
    { message: "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes" });
});
