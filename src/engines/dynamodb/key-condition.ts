import type { AttributeValue } from "./attribute-value.js";
import type { Comparator, Condition, Operand } from "./ast.js";
import { ExpressionError } from "./errors.js";

// KeyConditionExpression: the partition key's equality, optionally AND one
// condition on the sort key (= < <= > >=, BETWEEN, begins_with). Parsed with
// the condition grammar, then checked for this restricted shape with AWS's
// messages (recorded in dynalite's validations/index.js and the Query API
// reference).

export type SortKeyCondition =
  | { op: Exclude<Comparator, "<>">; value: AttributeValue }
  | { op: "BETWEEN"; low: AttributeValue; high: AttributeValue }
  | { op: "begins_with"; prefix: AttributeValue };

export interface KeyCondition {
  partitionKey: { name: string; value: AttributeValue };
  sortKey?: { name: string } & SortKeyCondition;
}

export interface KeySchemaNames {
  partitionKey: string;
  sortKey?: string;
}

const FLIP: Record<string, Exclude<Comparator, "<>">> = { "=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

interface Single {
  name: string;
  cond: SortKeyCondition;
}

function keyName(operands: Operand[]): { name: string; at: number } {
  let found: { name: string; at: number } | undefined;
  operands.forEach((o, at) => {
    if (o.type === "call") throw new ExpressionError("KeyConditionExpressions cannot contain nested operations");
    if (o.type !== "path") return;
    if (found) throw new ExpressionError("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    if (o.path.length > 1) throw new ExpressionError("KeyConditionExpressions cannot have conditions on nested attributes");
    found = { name: o.path[0] as string, at };
  });
  if (!found) throw new ExpressionError("Invalid condition in KeyConditionExpression: No key attribute specified");
  return found;
}

function literal(o: Operand): AttributeValue {
  return (o as { value: AttributeValue }).value;
}

function single(c: Condition): Single {
  switch (c.type) {
    case "or":
    case "not":
    case "in":
      throw new ExpressionError(`Invalid operator used in KeyConditionExpression: ${c.type.toUpperCase()}`);
    case "compare": {
      if (c.op === "<>") throw new ExpressionError("Invalid operator used in KeyConditionExpression: <>");
      const { name, at } = keyName([c.left, c.right]);
      const op = at === 0 ? c.op : FLIP[c.op]!;
      return { name, cond: { op, value: literal(at === 0 ? c.right : c.left) } };
    }
    case "between": {
      if (c.operand.type !== "path") {
        throw new ExpressionError("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand");
      }
      const { name } = keyName([c.operand, c.low, c.high]);
      return { name, cond: { op: "BETWEEN", low: literal(c.low), high: literal(c.high) } };
    }
    case "call": {
      if (c.name === "size") throw new ExpressionError("KeyConditionExpressions cannot contain nested operations");
      if (c.name !== "begins_with") throw new ExpressionError(`Invalid operator used in KeyConditionExpression: ${c.name}`);
      if (c.args[0]!.type !== "path") {
        throw new ExpressionError("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand");
      }
      const { name } = keyName(c.args);
      return { name, cond: { op: "begins_with", prefix: literal(c.args[1]!) } };
    }
    case "and":
      throw new Error("internal: nested AND");
  }
}

function collect(c: Condition, out: Single[]): void {
  if (c.type === "and") {
    collect(c.left, out);
    collect(c.right, out);
  } else {
    const s = single(c);
    if (out.some((o) => o.name === s.name)) throw new ExpressionError("KeyConditionExpressions must only contain one condition per key");
    out.push(s);
  }
}

/**
 * Shape a resolved KeyConditionExpression; with the table's or index's key
 * names, also match it to them ("Query condition missed key schema element").
 * The service checks value types against the attribute definitions.
 */
export function toKeyCondition(cond: Condition, schema?: KeySchemaNames): KeyCondition {
  const parts: Single[] = [];
  collect(cond, parts);
  if (parts.length > 2) throw new ExpressionError("Conditions can be of length 1 or 2 only");
  if (!schema) {
    const [first, second] = parts;
    const hash = first!.cond.op === "=" || !second ? first! : second;
    const range = hash === first ? second : first;
    return build(hash, range);
  }
  const hash = parts.find((p) => p.name === schema.partitionKey);
  if (!hash) throw new ExpressionError(`Query condition missed key schema element: ${schema.partitionKey}`);
  const range = parts.find((p) => p !== hash);
  if (range && range.name !== schema.sortKey) {
    throw new ExpressionError(`Query condition missed key schema element: ${schema.sortKey ?? range.name}`);
  }
  if (hash.cond.op !== "=") throw new ExpressionError("Query key condition not supported");
  return build(hash, range);
}

function build(hash: Single, range: Single | undefined): KeyCondition {
  if (hash.cond.op !== "=") throw new ExpressionError("Query key condition not supported");
  const out: KeyCondition = { partitionKey: { name: hash.name, value: hash.cond.value } };
  if (range) out.sortKey = { name: range.name, ...range.cond };
  return out;
}
