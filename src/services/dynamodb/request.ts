import {
  RequestExpressions, legacyExpected, legacyFilter, projectItem, type AttributeValue, type Condition, type Item,
  type LegacyCondition, type LegacyExpected, type ProjectionExpression,
} from "../../engines/dynamodb/index.js";
import { RawJson } from "../../protocols/raw-json.js";
import { expressions, validation } from "./errors.js";
import type { StoredItem } from "./store.js";

// What every item operation does with its expression parameters: refuse a mix
// with the legacy parameters, translate the legacy ones (Expected,
// QueryFilter, ScanFilter) into the same trees, parse and bind in AWS's order (Update, Condition,
// KeyCondition, Filter, Projection), then refuse unused placeholders. Messages
// as dynalite's validations/index.js records them (validateExpressionParams).

type Input = object;

export function checkExpressionParams(input: Input, exprs: string[], nonExprs: string[]): void {
  const data = input as Record<string, unknown>;
  const present = exprs.filter((e) => data[e] != null);
  if (present.length) {
    let legacy = nonExprs;
    if (data.KeyConditions != null && data.KeyConditionExpression == null) legacy = legacy.filter((n) => n !== "KeyConditions");
    const mixed = legacy.filter((n) => data[n] != null);
    if (mixed.length) {
      throw validation(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${mixed.join(", ")}} Expression parameters: {${present.join(", ")}}`);
    }
  }
  if (data.ExpressionAttributeNames != null && !present.length) {
    throw validation("ExpressionAttributeNames can only be specified when using expressions");
  }
  const valueExprs = exprs.filter((e) => e !== "ProjectionExpression");
  if (valueExprs.length && data.ExpressionAttributeValues != null && valueExprs.every((e) => data[e] == null)) {
    throw validation(`ExpressionAttributeValues can only be specified when using expressions: ${valueExprs.join(" and ")} ${valueExprs.length > 1 ? "are" : "is"} null`);
  }
}

export interface Parsed {
  condition?: Condition;
  filter?: Condition;
  projection?: ProjectionExpression;
  exprs: RequestExpressions;
}

/** Parses the request's Condition/Filter/Projection expressions (and AttributesToGet); `before` runs first (Update, KeyCondition). */
export function parseRequest(input: Input, before?: (exprs: RequestExpressions) => void): Parsed {
  const data = input as Record<string, unknown>;
  return expressions(() => {
    const exprs = new RequestExpressions(
      data.ExpressionAttributeNames as Record<string, string> | undefined,
      data.ExpressionAttributeValues as Record<string, AttributeValue> | undefined,
    );
    const out: Parsed = { exprs };
    before?.(exprs);
    if (data.ConditionExpression != null) out.condition = exprs.condition(data.ConditionExpression as string);
    if (data.FilterExpression != null) out.filter = exprs.condition(data.FilterExpression as string, "FilterExpression");
    if (data.ProjectionExpression != null) out.projection = exprs.projection(data.ProjectionExpression as string);
    exprs.assertAllUsed();
    // The legacy parameters become the same trees (engines/dynamodb/legacy.ts);
    // checkExpressionParams has already refused a mix with expressions.
    const operator = data.ConditionalOperator as string | undefined;
    if (data.Expected != null) out.condition = legacyExpected(data.Expected as Record<string, LegacyExpected>, operator);
    if (data.QueryFilter != null) out.filter = legacyFilter(data.QueryFilter as Record<string, LegacyCondition>, operator, "queryFilter");
    if (data.ScanFilter != null) out.filter = legacyFilter(data.ScanFilter as Record<string, LegacyCondition>, operator, "scanFilter");
    const toGet = data.AttributesToGet as string[] | undefined;
    if (toGet) {
      if (new Set(toGet).size !== toGet.length) {
        throw validation(`One or more parameter values were invalid: Duplicate value in attribute name: ${toGet.find((n, i) => toGet.indexOf(n) !== i)}`);
      }
      out.projection = toGet.map((n) => [n]);
    }
    return out;
  });
}

export function project(item: Item, projection: ProjectionExpression | undefined): Item {
  return projection ? projectItem(item, projection) : item;
}

/** A stored item as it goes out: without a projection its stored text is already
 *  the wire JSON, spliced as is (binary items are stored in another form and are
 *  walked). */
export function wireItem(found: StoredItem, projection: ProjectionExpression | undefined): Item | RawJson {
  if (!projection && found.text.charCodeAt(0) !== 98 /* b */) return new RawJson(found.text);
  return project(found.item, projection);
}
