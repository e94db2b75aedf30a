import {
  compareValues, setHas, typeOf, valuesEqual, type AttributeValue, type Item,
} from "./attribute-value.js";
import type { Condition, Operand } from "./ast.js";
import { getPath } from "./document-path.js";

// Evaluates a resolved condition against an item (undefined for "no item",
// as a PutItem on a new key sees it). DynamoDB's semantics: a comparison with
// a missing operand, or between different types, is false rather than an
// error; `<>` is its negation, so it is true there (a missing attribute is
// "not equal" to anything). Functions on a missing path are false, except
// attribute_not_exists.

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** The value of an operand in `item`, or undefined when it has none. */
export function operandValue(o: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (o.type) {
    case "literal":
      return o.value;
    case "path":
      return item === undefined ? undefined : getPath(item, o.path);
    case "call": {
      if (o.name !== "size") return undefined;
      const v = operandValue(o.args[0]!, item);
      if (v === undefined) return undefined;
      // size(): string length (UTF-8 bytes, as DynamoDB measures strings),
      // binary bytes, set/list/map element count; other types have none.
      if ("S" in v) return { N: String(utf8Length(v.S)) };
      if ("B" in v) return { N: String(v.B.length) };
      if ("SS" in v) return { N: String(v.SS.length) };
      if ("NS" in v) return { N: String(v.NS.length) };
      if ("BS" in v) return { N: String(v.BS.length) };
      if ("L" in v) return { N: String(v.L.length) };
      if ("M" in v) return { N: String(Object.keys(v.M).length) };
      return undefined;
    }
    case "value":
    case "arith":
      throw new Error(`internal: unresolved ${o.type} operand in a condition`);
  }
}

function startsWith(a: AttributeValue, prefix: AttributeValue): boolean {
  if ("S" in a && "S" in prefix) return a.S.startsWith(prefix.S);
  if ("B" in a && "B" in prefix) {
    if (prefix.B.length > a.B.length) return false;
    return prefix.B.every((byte, i) => a.B[i] === byte);
  }
  return false;
}

function contains(a: AttributeValue, el: AttributeValue): boolean {
  if ("S" in a) return "S" in el && a.S.includes(el.S);
  if ("B" in a) return "B" in el && Buffer.from(a.B).includes(Buffer.from(el.B));
  if ("SS" in a || "NS" in a || "BS" in a) return setHas(a, el);
  if ("L" in a) return a.L.some((x) => valuesEqual(x, el));
  return false;
}

function compare(op: string, a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return op === "<>";
  if (op === "=") return valuesEqual(a, b);
  if (op === "<>") return !valuesEqual(a, b);
  const c = compareValues(a, b);
  if (c === undefined) return false;
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    default:
      return c >= 0;
  }
}

export function evaluateCondition(cond: Condition, item: Item | undefined): boolean {
  switch (cond.type) {
    case "and":
      return evaluateCondition(cond.left, item) && evaluateCondition(cond.right, item);
    case "or":
      return evaluateCondition(cond.left, item) || evaluateCondition(cond.right, item);
    case "not":
      return !evaluateCondition(cond.operand, item);
    case "compare":
      return compare(cond.op, operandValue(cond.left, item), operandValue(cond.right, item));
    case "between": {
      const v = operandValue(cond.operand, item);
      const lo = operandValue(cond.low, item);
      const hi = operandValue(cond.high, item);
      if (v === undefined || lo === undefined || hi === undefined) return false;
      const a = compareValues(v, lo);
      const b = compareValues(v, hi);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case "in": {
      const v = operandValue(cond.operand, item);
      if (v === undefined) return false;
      return cond.list.some((o) => {
        const x = operandValue(o, item);
        return x !== undefined && valuesEqual(v, x);
      });
    }
    case "call": {
      const [first, second] = cond.args;
      const a = operandValue(first!, item);
      switch (cond.name) {
        case "attribute_exists":
          return a !== undefined;
        case "attribute_not_exists":
          return a === undefined;
        case "attribute_type": {
          const t = second && operandValue(second, item);
          return a !== undefined && t !== undefined && "S" in t && typeOf(a) === t.S;
        }
        case "begins_with": {
          const b = operandValue(second!, item);
          return a !== undefined && b !== undefined && startsWith(a, b);
        }
        case "contains": {
          const b = operandValue(second!, item);
          return a !== undefined && b !== undefined && contains(a, b);
        }
        default:
          return false;
      }
    }
  }
}
