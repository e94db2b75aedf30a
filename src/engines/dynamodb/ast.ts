import type { AttributeValue } from "./attribute-value.js";

// The trees the parsers build. A parsed tree still holds placeholders
// (`#n` path elements, `value` operands); resolving it against
// ExpressionAttributeNames/Values (names-values.ts) yields the same shapes
// with plain names and `literal` operands, which is what the evaluators take.

/** A document path: attribute and map-key names, and list indexes. */
export type PathElement = string | number;
export type DocumentPath = PathElement[];

export type Operand =
  | { type: "path"; path: DocumentPath }
  | { type: "value"; ref: string }
  | { type: "literal"; value: AttributeValue }
  | { type: "call"; name: string; args: Operand[] }
  | { type: "arith"; op: "+" | "-"; left: Operand; right: Operand };

export type Comparator = "=" | "<>" | "<" | "<=" | ">" | ">=";

export type Condition =
  | { type: "compare"; op: Comparator; left: Operand; right: Operand }
  | { type: "between"; operand: Operand; low: Operand; high: Operand }
  | { type: "in"; operand: Operand; list: Operand[] }
  | { type: "and" | "or"; left: Condition; right: Condition }
  | { type: "not"; operand: Condition }
  | { type: "call"; name: string; args: Operand[] };

export interface SetAction {
  path: DocumentPath;
  value: Operand;
}

/** ADD and DELETE: a path and a value placeholder (a literal once resolved). */
export interface SetOperation {
  path: DocumentPath;
  value: Operand;
}

export interface UpdateExpression {
  set: SetAction[];
  remove: DocumentPath[];
  add: SetOperation[];
  delete: SetOperation[];
  /** Every target path (the same arrays), in source order, for the overlap check. */
  targets: DocumentPath[];
}

export type ProjectionExpression = DocumentPath[];

/** Render a path as AWS does in messages: [a, b, [0]]. */
export function pathString(path: DocumentPath): string {
  return `[${path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(", ")}]`;
}
