import type { AttributeValue } from "./attribute-value.js";
import type { Condition, ProjectionExpression, UpdateExpression } from "./ast.js";
import { ExpressionError } from "./errors.js";
import { toKeyCondition, type KeyCondition, type KeySchemaNames } from "./key-condition.js";
import { ExpressionAttributes } from "./names-values.js";
import { parseConditionExpression, parseProjectionExpression } from "./parser.js";
import { resolveCondition, resolveProjection, resolveUpdate } from "./resolve.js";
import { parseUpdateExpression } from "./update-parser.js";

// The DynamoDB expression engine's front door. Parsing depends only on the
// expression text, so parsed trees (or the error they raise) are cached per
// text in a small LRU; binding placeholders is per request and cheap.

export type ExpressionKind =
  | "ConditionExpression" | "FilterExpression" | "KeyConditionExpression" | "UpdateExpression" | "ProjectionExpression";

type Parsed<K extends ExpressionKind> = K extends "UpdateExpression"
  ? UpdateExpression
  : K extends "ProjectionExpression" ? ProjectionExpression : Condition;

/** A least-recently-used map: a Map's insertion order, refreshed on each hit. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }
}

// Immutable results only: resolution builds new trees and never mutates these.
// Per-process, like a compiled-regex cache: it holds no request or account state.
const cache = new LruCache<{ tree: unknown } | { error: string }>(1000);

/**
 * Parse an expression of `kind` (cached by text). Throws ExpressionError with
 * AWS's message including its prefix ("Invalid UpdateExpression: ...").
 */
export function parseExpression<K extends ExpressionKind>(kind: K, text: string): Parsed<K> {
  const prefix = `Invalid ${kind}: `;
  if (text === "") throw new ExpressionError(`${prefix}The expression can not be empty;`);
  const key = kind.charAt(0) + kind.charAt(1) + text; // Co, Fi, Ke, Up, Pr
  let entry = cache.get(key);
  if (entry === undefined) {
    try {
      const tree = kind === "UpdateExpression" ? parseUpdateExpression(text)
        : kind === "ProjectionExpression" ? parseProjectionExpression(text)
        : parseConditionExpression(text);
      entry = { tree };
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      entry = { error: e.message };
    }
    cache.set(key, entry);
  }
  if ("error" in entry) throw new ExpressionError(prefix + entry.error);
  return entry.tree as Parsed<K>;
}

function prefixed<T>(kind: ExpressionKind, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ExpressionError) throw new ExpressionError(`Invalid ${kind}: ${e.message}`);
    throw e;
  }
}

/**
 * One request's expressions. Read them in AWS's order (Update, Condition,
 * KeyCondition, Filter, Projection), then call assertAllUsed().
 */
export class RequestExpressions {
  readonly attributes: ExpressionAttributes;

  constructor(
    names: Readonly<Record<string, string>> | undefined,
    values: Readonly<Record<string, AttributeValue>> | undefined,
  ) {
    this.attributes = new ExpressionAttributes(names, values);
  }

  condition(text: string, kind: "ConditionExpression" | "FilterExpression" = "ConditionExpression"): Condition {
    const parsed = parseExpression(kind, text);
    return prefixed(kind, () => resolveCondition(parsed, this.attributes));
  }

  keyCondition(text: string, schema?: KeySchemaNames): KeyCondition {
    const kind = "KeyConditionExpression";
    const parsed = parseExpression(kind, text);
    const resolved = prefixed(kind, () => resolveCondition(parsed, this.attributes));
    // The shape errors are reported without the "Invalid ...: " prefix by AWS.
    return toKeyCondition(resolved, schema);
  }

  update(text: string): UpdateExpression {
    const parsed = parseExpression("UpdateExpression", text);
    return prefixed("UpdateExpression", () => resolveUpdate(parsed, this.attributes));
  }

  projection(text: string): ProjectionExpression {
    const parsed = parseExpression("ProjectionExpression", text);
    return prefixed("ProjectionExpression", () => resolveProjection(parsed, this.attributes));
  }

  /** "Value provided in ExpressionAttribute{Names,Values} unused in expressions: keys: {...}" */
  assertAllUsed(): void {
    this.attributes.assertAllUsed();
  }
}

export * from "./attribute-value.js";
export type * from "./ast.js";
export { pathString } from "./ast.js";
export { ExpressionError } from "./errors.js";
export { evaluateCondition, operandValue } from "./evaluate.js";
export { getPath } from "./document-path.js";
export { itemSize, valueSize, numberSize, MAX_ITEM_SIZE } from "./item-size.js";
export { toKeyCondition, type KeyCondition, type KeySchemaNames, type SortKeyCondition } from "./key-condition.js";
export { ExpressionAttributes } from "./names-values.js";
export { projectItem } from "./projection.js";
export { validateAttributeValue, validateItem } from "./validate-value.js";
export { isReservedWord } from "./reserved-words.js";
export { resolveCondition, resolveProjection, resolveUpdate } from "./resolve.js";
export { applyUpdate, type UpdateResult } from "./update.js";
export {
  legacyAttributeUpdates, legacyExpected, legacyFilter, legacyKeyConditions, LEGACY_UPDATE_TYPE_MISMATCH,
  type LegacyAttributeUpdate, type LegacyCondition, type LegacyExpected,
} from "./legacy.js";
