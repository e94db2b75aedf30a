import { compareValues, typeOf, type AttributeValue } from "./attribute-value.js";
import type { Condition, Operand, UpdateExpression } from "./ast.js";
import { ExpressionError } from "./errors.js";
import type { KeyCondition, KeySchemaNames, SortKeyCondition } from "./key-condition.js";
import { validateAttributeValue } from "./validate-value.js";

// The legacy (pre-2014) conditional parameters: Expected, QueryFilter,
// ScanFilter, KeyConditions and AttributeUpdates. Each is checked with AWS's
// messages (recorded in dynalite's validations/index.js, validateConditions
// and validateAttributeConditions, and actions/query.js) and then translated
// into the same trees the expression parsers build, so one evaluator serves
// both dialects.

const INVALID = "One or more parameter values were invalid: ";

export type ComparisonOperator =
  | "EQ" | "NE" | "LE" | "LT" | "GE" | "GT" | "NOT_NULL" | "NULL" | "CONTAINS" | "NOT_CONTAINS" | "BEGINS_WITH" | "IN" | "BETWEEN";

/** A QueryFilter, ScanFilter or KeyConditions entry (the model's Condition). */
export interface LegacyCondition {
  ComparisonOperator?: string;
  AttributeValueList?: AttributeValue[];
}

/** An Expected entry (the model's ExpectedAttributeValue). */
export interface LegacyExpected extends LegacyCondition {
  Value?: AttributeValue;
  Exists?: boolean;
}

export interface LegacyAttributeUpdate {
  Value?: AttributeValue;
  Action?: string;
}

// How many values each operator takes ([min, max]), and of which types, for
// the filters and KeyConditions. Expected checks the counts only. EQ and NE
// take any type: AWS accepts {BOOL: true} there (dynalite issue #156 reports
// AWS answering where dynalite's type list refuses).
const ARITY: Record<ComparisonOperator, [number, number]> = {
  NULL: [0, 0], NOT_NULL: [0, 0], EQ: [1, 1], NE: [1, 1], LE: [1, 1], LT: [1, 1], GE: [1, 1], GT: [1, 1],
  CONTAINS: [1, 1], NOT_CONTAINS: [1, 1], BEGINS_WITH: [1, 1], IN: [1, Infinity], BETWEEN: [2, 2],
};
const SCALAR = ["S", "N", "B"];
const TYPES: Partial<Record<ComparisonOperator, string[]>> = {
  LE: SCALAR, LT: SCALAR, GE: SCALAR, GT: SCALAR,
  CONTAINS: SCALAR, NOT_CONTAINS: SCALAR, BEGINS_WITH: ["S", "B"], IN: SCALAR, BETWEEN: SCALAR,
};

function isOperator(op: string | undefined): op is ComparisonOperator {
  return op !== undefined && Object.hasOwn(ARITY, op);
}

function checkCount(op: ComparisonOperator, n: number): void {
  const [min, max] = ARITY[op];
  if (n < min || n > max) throw new ExpressionError(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
}

function checkList(op: ComparisonOperator, list: AttributeValue[], checkTypes: boolean): void {
  if (!list.length) return;
  const first = typeOf(list[0]!);
  if (list.some((v) => typeOf(v) !== first)) {
    throw new ExpressionError(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  }
  if (checkTypes) {
    const allowed = TYPES[op];
    const bad = allowed && list.find((v) => !allowed.includes(typeOf(v)));
    if (bad) throw new ExpressionError(`${INVALID}ComparisonOperator ${op} is not valid for ${typeOf(bad)} AttributeValue type`);
  }
  if (op === "BETWEEN" && (compareValues(list[0]!, list[1]!) ?? 0) > 0) {
    throw new ExpressionError("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
  }
}

/** One attribute's test, as the condition grammar would have parsed it. */
function toCondition(name: string, op: ComparisonOperator, values: AttributeValue[]): Condition {
  const path: Operand = { type: "path", path: [name] };
  const lit = (i: number): Operand => ({ type: "literal", value: values[i]! });
  switch (op) {
    case "EQ": return { type: "compare", op: "=", left: path, right: lit(0) };
    case "NE": return { type: "compare", op: "<>", left: path, right: lit(0) };
    case "LE": return { type: "compare", op: "<=", left: path, right: lit(0) };
    case "LT": return { type: "compare", op: "<", left: path, right: lit(0) };
    case "GE": return { type: "compare", op: ">=", left: path, right: lit(0) };
    case "GT": return { type: "compare", op: ">", left: path, right: lit(0) };
    case "NOT_NULL": return { type: "call", name: "attribute_exists", args: [path] };
    case "NULL": return { type: "call", name: "attribute_not_exists", args: [path] };
    case "CONTAINS": return { type: "call", name: "contains", args: [path, lit(0)] };
    case "NOT_CONTAINS": return { type: "not", operand: { type: "call", name: "contains", args: [path, lit(0)] } };
    case "BEGINS_WITH": return { type: "call", name: "begins_with", args: [path, lit(0)] };
    case "IN": return { type: "in", operand: path, list: values.map((_, i) => lit(i)) };
    case "BETWEEN": return { type: "between", operand: path, low: lit(0), high: lit(1) };
  }
}

function join(parts: Condition[], operator: string | undefined): Condition | undefined {
  if (!parts.length) return undefined;
  const type = operator === "OR" ? "or" : "and";
  return parts.reduce((left, right) => ({ type, left, right }));
}

function checkConditionalOperator(operator: string | undefined): void {
  if (operator !== undefined && operator !== "AND" && operator !== "OR") {
    throw new ExpressionError(`1 validation error detected: Value '${operator}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]`);
  }
}

function operatorOf(op: string | undefined, member: string): ComparisonOperator {
  if (isOperator(op)) return op;
  if (op === undefined) {
    throw new ExpressionError(`1 validation error detected: Value null at '${member}.comparisonOperator' failed to satisfy constraint: Member must not be null`);
  }
  throw new ExpressionError(`1 validation error detected: Value '${op}' at '${member}.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(ARITY).join(", ")}]`);
}

/** Checked, normalized (name, operator, values) triples of a QueryFilter, ScanFilter or KeyConditions map. */
function checkConditions(conditions: Record<string, LegacyCondition>, param: string) {
  return Object.entries(conditions).map(([name, c]) => {
    const op = operatorOf(c.ComparisonOperator, `${param}.${name}.member`);
    const values = (c.AttributeValueList ?? []).map(validateAttributeValue);
    checkCount(op, values.length);
    checkList(op, values, true);
    return { name, op, values };
  });
}

/** A QueryFilter or ScanFilter (with ConditionalOperator) as a filter condition. */
export function legacyFilter(
  conditions: Record<string, LegacyCondition>, operator: string | undefined, param: "queryFilter" | "scanFilter",
): Condition | undefined {
  checkConditionalOperator(operator);
  return join(checkConditions(conditions, param).map((c) => toCondition(c.name, c.op, c.values)), operator);
}

/** Expected (with ConditionalOperator) as a condition on the current item. */
export function legacyExpected(expected: Record<string, LegacyExpected>, operator: string | undefined): Condition | undefined {
  checkConditionalOperator(operator);
  const parts = Object.entries(expected).map(([name, c]): Condition => {
    if (c.AttributeValueList != null && c.Value != null) {
      throw new ExpressionError(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
    }
    if (c.ComparisonOperator != null) {
      if (c.Exists != null) throw new ExpressionError(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
      const op = operatorOf(c.ComparisonOperator, `expected.${name}.member`);
      if (op !== "NULL" && op !== "NOT_NULL" && c.AttributeValueList == null && c.Value == null) {
        throw new ExpressionError(`${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`);
      }
      const values = (c.AttributeValueList ?? (c.Value != null ? [c.Value] : [])).map(validateAttributeValue);
      checkCount(op, values.length);
      checkList(op, values, false);
      return toCondition(name, op, values);
    }
    if (c.AttributeValueList != null) {
      throw new ExpressionError(`${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
    }
    const exists = c.Exists ?? true;
    if (exists && c.Value == null) {
      throw new ExpressionError(`${INVALID}Value must be provided when Exists is ${c.Exists ?? "null"} for Attribute: ${name}`);
    }
    if (!exists && c.Value != null) throw new ExpressionError(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
    return exists ? toCondition(name, "EQ", [validateAttributeValue(c.Value!)]) : toCondition(name, "NULL", []);
  });
  return join(parts, operator);
}

const SORT_OPS: Partial<Record<ComparisonOperator, Exclude<SortKeyCondition["op"], "BETWEEN" | "begins_with">>> = {
  EQ: "=", LT: "<", LE: "<=", GT: ">", GE: ">=",
};

/**
 * KeyConditions matched to the table's or index's key, in the order and with
 * the messages of AWS (dynalite's actions/query.js). `types` are the key
 * attributes' definition types.
 */
export function legacyKeyConditions(
  conditions: Record<string, LegacyCondition>, schema: KeySchemaNames, types: { partitionKey: string; sortKey?: string },
): KeyCondition {
  const checked = checkConditions(conditions, "keyConditions");
  if (checked.length !== 1 && checked.length !== 2) throw new ExpressionError("Conditions can be of length 1 or 2 only");
  const parts = [
    { name: schema.partitionKey, type: types.partitionKey, isHash: true },
    ...(schema.sortKey ? [{ name: schema.sortKey, type: types.sortKey!, isHash: false }] : []),
  ];
  for (const { name, type, isHash } of parts) {
    if (isHash && !schema.sortKey && checked.length > 1) throw new ExpressionError("Query key condition not supported");
    const c = checked.find((x) => x.name === name);
    if (!c) {
      if (isHash || checked.length > 1) throw new ExpressionError(`Query condition missed key schema element: ${name}`);
      continue;
    }
    if (["NULL", "NOT_NULL", "NE", "CONTAINS", "NOT_CONTAINS", "IN"].includes(c.op)) {
      throw new ExpressionError("Attempted conditional constraint is not an indexable operation");
    }
    if (c.values.some((v) => !(type in v))) throw new ExpressionError(`${INVALID}Condition parameter type does not match schema type`);
    if (isHash && c.op !== "EQ") throw new ExpressionError("Query key condition not supported");
  }
  const hash = checked.find((c) => c.name === schema.partitionKey)!;
  const range = checked.find((c) => c.name === schema.sortKey);
  const out: KeyCondition = { partitionKey: { name: hash.name, value: hash.values[0]! } };
  if (range) {
    const v = range.values;
    const cond: SortKeyCondition = range.op === "BETWEEN" ? { op: "BETWEEN", low: v[0]!, high: v[1]! }
      : range.op === "BEGINS_WITH" ? { op: "begins_with", prefix: v[0]! }
      : { op: SORT_OPS[range.op]!, value: v[0]! };
    out.sortKey = { name: range.name, ...cond };
  }
  return out;
}

/**
 * AttributeUpdates as an update tree: PUT is SET, DELETE without a value is
 * REMOVE, DELETE with a set is DELETE, ADD of a number or set is ADD, and ADD
 * of a list appends (which only the legacy form can do), as
 * SET a = list_append(if_not_exists(a, []), v).
 */
export function legacyAttributeUpdates(updates: Record<string, LegacyAttributeUpdate>): UpdateExpression {
  const out: UpdateExpression = { set: [], remove: [], add: [], delete: [], targets: [] };
  for (const [name, u] of Object.entries(updates)) {
    const action = u.Action ?? "PUT";
    if (!["PUT", "ADD", "DELETE"].includes(action)) {
      throw new ExpressionError(`1 validation error detected: Value '${action}' at 'attributeUpdates.${name}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]`);
    }
    const value = u.Value == null ? undefined : validateAttributeValue(u.Value);
    if (value === undefined && action !== "DELETE") {
      throw new ExpressionError(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
    }
    const type = value && typeOf(value);
    if (value && action === "DELETE" && !["SS", "NS", "BS"].includes(type!)) {
      throw new ExpressionError(`${INVALID}DELETE action with value is not supported for the type ${type}`);
    }
    if (value && action === "ADD" && !["L", "SS", "NS", "BS", "N"].includes(type!)) {
      throw new ExpressionError(`${INVALID}ADD action is not supported for the type ${type}`);
    }
    const path = [name];
    const literal: Operand | undefined = value && { type: "literal", value };
    out.targets.push(path);
    if (action === "PUT") out.set.push({ path, value: literal! });
    else if (action === "DELETE" && !literal) out.remove.push(path);
    else if (action === "DELETE") out.delete.push({ path, value: literal! });
    else if (type === "L") {
      const existing: Operand = { type: "call", name: "if_not_exists", args: [{ type: "path", path }, { type: "literal", value: { L: [] } }] };
      out.set.push({ path, value: { type: "call", name: "list_append", args: [existing, literal!] } });
    } else out.add.push({ path, value: literal! });
  }
  return out;
}

/** The message AWS gives for a type clash in AttributeUpdates, where an UpdateExpression says "incorrect data type". */
export const LEGACY_UPDATE_TYPE_MISMATCH = "Type mismatch for attribute to update";
