import { formatNumber, isSmallInt, parseNumber, putAttribute, type AttributeValue, type Item } from "./attribute-value.js";
import { ExpressionError } from "./errors.js";

// Checks an AttributeValue from a request (an item, a key, an
// ExpressionAttributeValues entry) and returns it with its numbers in
// DynamoDB's canonical form. Messages, including AWS's own typos ("An number
// set  may not be empty"), as recorded in dynalite's validations/index.js.

const INVALID = "One or more parameter values were invalid: ";

function duplicates(list: string[]): boolean {
  return new Set(list).size !== list.length;
}

export function validateAttributeValue(value: AttributeValue): AttributeValue {
  let count = 0;
  for (const _ in value) count++;
  if (count === 1 && "S" in value) return value;
  const types = Object.keys(value);
  if (types.length === 0) {
    throw new ExpressionError("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (types.length > 1) {
    throw new ExpressionError(
      "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
    );
  }
  if ("N" in value) return isSmallInt(value.N) ? value : { N: formatNumber(parseNumber(value.N)) };
  if ("NULL" in value) {
    if (value.NULL !== true) throw new ExpressionError(`${INVALID}Null attribute value types must have the value of true`);
    return value;
  }
  if ("SS" in value) {
    if (value.SS.length === 0) throw new ExpressionError(`${INVALID}An string set  may not be empty`);
    if (duplicates(value.SS)) {
      throw new ExpressionError(`${INVALID}Input collection [${value.SS.join(", ")}] contains duplicates.`);
    }
    return value;
  }
  if ("NS" in value) {
    if (value.NS.length === 0) throw new ExpressionError(`${INVALID}An number set  may not be empty`);
    const NS = value.NS.map((n) => formatNumber(parseNumber(n)));
    if (duplicates(NS)) throw new ExpressionError("Input collection contains duplicates");
    return { NS };
  }
  if ("BS" in value) {
    if (value.BS.length === 0) throw new ExpressionError(`${INVALID}Binary sets should not be empty`);
    const b64 = value.BS.map((b) => Buffer.from(b).toString("base64"));
    if (duplicates(b64)) {
      throw new ExpressionError(`${INVALID}Input collection [${b64.join(", ")}]of type BS contains duplicates.`);
    }
    return value;
  }
  if ("L" in value) return { L: value.L.map(validateAttributeValue) };
  if ("M" in value) return { M: validateItem(value.M) };
  return value;
}

export function validateItem(item: Item): Item {
  const out: Item = {};
  for (const k in item) putAttribute(out, k, validateAttributeValue(item[k]!));
  return out;
}
