import type { QueryInput, QueryOutput, ScanInput, ScanOutput } from "@aws-sdk/client-dynamodb";
import {
  evaluateCondition, legacyKeyConditions, type Condition, type Item, type KeyCondition, type LegacyCondition,
} from "../../../engines/dynamodb/index.js";
import { RawJson } from "../../../protocols/raw-json.js";
import { consumed, readUnits } from "../capacity.js";
import { expressions, INVALID, validation } from "../errors.js";
import { checkKey } from "../keys.js";
import { encodeKey, prefixEnd } from "../key-codec.js";
import { DynamoDbLimits } from "../limits.js";
import { checkExpressionParams, parseRequest, project, type Parsed } from "../request.js";
import type { KeyRange } from "../item-tables.js";
import type { OpenTable, StoredItem } from "../store.js";
import { keyOf, projectIndex, storageKey, type KeyDef } from "../table.js";
import type { DdbContext, DdbHandler } from "../types.js";

// Query and Scan. A Query reads one partition's range of the table's (or an
// index's) B-tree in key order; both stop at Limit items or once 1 MB has been
// read (before the filter, as AWS counts it), and then answer LastEvaluatedKey.

function indexOf(table: OpenTable, name: string | undefined) {
  if (name === undefined) return undefined;
  const index = table.indexes.find((i) => i.record.name === name);
  if (!index) throw validation(`The table does not have the specified index: ${name}`);
  return index;
}

function checkSelect(input: QueryInput | ScanInput, parsed: Parsed, onIndex: boolean): void {
  if (input.Select === "SPECIFIC_ATTRIBUTES" && !parsed.projection) {
    throw validation(`${INVALID}Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES`);
  }
  if (input.Select && input.Select !== "SPECIFIC_ATTRIBUTES" && parsed.projection) {
    throw validation(`${INVALID}Cannot specify the AttributesToGet or ProjectionExpression when choosing to get ${input.Select}`);
  }
  if (input.Select === "ALL_PROJECTED_ATTRIBUTES" && !onIndex) {
    throw validation(`${INVALID}Select type ALL_PROJECTED_ATTRIBUTES is not supported for table without index`);
  }
}

function rangeOf(cond: KeyCondition, def: KeyDef): KeyRange {
  const sk = cond.sortKey;
  if (!sk || !def.range) return {};
  const type = def.range.type;
  const enc = (v: Parameters<typeof encodeKey>[0]) => {
    if (!(type in v)) throw validation(`${INVALID}Condition parameter type does not match schema type`);
    return encodeKey(v, type);
  };
  switch (sk.op) {
    case "=": { const k = enc(sk.value); return { lower: { key: k, inclusive: true }, upper: { key: k, inclusive: true } }; }
    case "<": return { upper: { key: enc(sk.value), inclusive: false } };
    case "<=": return { upper: { key: enc(sk.value), inclusive: true } };
    case ">": return { lower: { key: enc(sk.value), inclusive: false } };
    case ">=": return { lower: { key: enc(sk.value), inclusive: true } };
    case "BETWEEN": {
      const lo = enc(sk.low);
      const hi = enc(sk.high);
      if (Buffer.compare(lo, hi) > 0) {
        throw validation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: " +
          `{${type}:${Object.values(sk.low)[0]}}, upper bound operand: AttributeValue: {${type}:${Object.values(sk.high)[0]}}`);
      }
      return { lower: { key: lo, inclusive: true }, upper: { key: hi, inclusive: true } };
    }
    case "begins_with": {
      if (type === "N") throw validation(`${INVALID}Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N`);
      const p = enc(sk.prefix);
      const end = prefixEnd(p);
      return { lower: { key: p, inclusive: true }, ...(end ? { upper: { key: end, inclusive: false } } : {}) };
    }
  }
}

interface Page {
  items: (Item | RawJson)[];
  count: number;
  scanned: number;
  bytes: number;
  last?: Item;
}

/** Reads rows until Limit or 1 MB, filtering and projecting. */
function collect(
  rows: Iterable<StoredItem>, input: QueryInput | ScanInput, parsed: Parsed, table: OpenTable,
  view: (item: Item) => Item, lastKey: (item: Item) => Item,
): Page {
  const page: Page = { items: [], count: 0, scanned: 0, bytes: 0 };
  const limit = input.Limit ?? Infinity;
  const countOnly = input.Select === "COUNT";
  // Whole base-table items go out as stored: their text is already the wire JSON
  // (binary items are stored in another form and take the general path).
  const asStored = !parsed.filter && !parsed.projection && !("IndexName" in input && input.IndexName);
  for (const row of rows) {
    page.scanned++;
    page.bytes += row.size;
    if (asStored && row.text.charCodeAt(0) !== 98 /* b */) {
      page.count++;
      if (!countOnly) page.items.push(new RawJson(row.text));
      if (page.scanned >= limit || page.bytes >= DynamoDbLimits.maxPageBytes) {
        page.last = lastKey(row.item);
        break;
      }
      continue;
    }
    const item = view(row.item);
    if (!parsed.filter || evaluateCondition(parsed.filter, item)) {
      page.count++;
      if (!countOnly) page.items.push(project(item, parsed.projection));
    }
    if (page.scanned >= limit || page.bytes >= DynamoDbLimits.maxPageBytes) {
      page.last = lastKey(row.item);
      break;
    }
  }
  void table;
  return page;
}

function answer(page: Page, input: QueryInput | ScanInput, table: OpenTable, indexName: string | undefined): QueryOutput {
  const out: QueryOutput = {};
  if (input.Select !== "COUNT") out.Items = page.items as QueryOutput["Items"];
  out.Count = page.count;
  out.ScannedCount = page.scanned;
  if (page.last) out.LastEvaluatedKey = page.last as QueryOutput["LastEvaluatedKey"];
  const units = readUnits(page.bytes, input.ConsistentRead === true);
  const index = table.indexes.find((i) => i.record.name === indexName);
  const cc = index
    ? consumed(input.ReturnConsumedCapacity, table, 0, [{ name: index.record.name, kind: index.record.kind, units }])
    : consumed(input.ReturnConsumedCapacity, table, units);
  if (cc) out.ConsumedCapacity = cc;
  return out;
}

function startKey(ctx: DdbContext, table: OpenTable, start: Item | undefined, indexKey: KeyDef | undefined) {
  if (!start) return undefined;
  const expected = new Set([table.key.hash.name, table.key.range?.name, indexKey?.hash.name, indexKey?.range?.name].filter(Boolean));
  if (Object.keys(start).length !== expected.size || Object.keys(start).some((k) => !expected.has(k))) {
    throw validation("The provided starting key is invalid: The provided key element does not match the schema");
  }
  const base = checkKey(table, keyOf(start, table.key));
  const idx = indexKey ? storageKey(start, indexKey) : undefined;
  if (indexKey && !idx) throw validation("The provided starting key is invalid: The provided key element does not match the schema");
  void ctx;
  return { base, idx };
}

export const Query: DdbHandler<QueryInput, QueryOutput> = (input, ctx) => {
  checkExpressionParams(input, ["ProjectionExpression", "FilterExpression", "KeyConditionExpression"], ["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"]);
  if (input.KeyConditionExpression == null && input.KeyConditions == null) {
    throw validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  }
  const table = ctx.store.open(input.TableName);
  const index = indexOf(table, input.IndexName);
  if (index?.record.kind === "GSI" && input.ConsistentRead) throw validation("Consistent reads are not supported on global secondary indexes");
  const def = index?.key ?? table.key;
  let cond!: KeyCondition;
  const schema = { partitionKey: def.hash.name, sortKey: def.range?.name };
  const parsed = parseRequest(input, (exprs) => {
    if (input.KeyConditionExpression != null) cond = exprs.keyCondition(input.KeyConditionExpression, schema);
    else {
      cond = legacyKeyConditions(input.KeyConditions as Record<string, LegacyCondition>, schema, { partitionKey: def.hash.type, sortKey: def.range?.type });
    }
  });
  checkFilterKeys(input, parsed.filter, [def.hash.name, def.range?.name]);
  checkSelect(input, parsed, index !== undefined);
  const hashValue = cond.partitionKey.value;
  if (!(def.hash.type in hashValue)) throw validation(`${INVALID}Condition parameter type does not match schema type`);
  const pk = encodeKey(hashValue, def.hash.type);
  const range = expressions(() => rangeOf(cond, def));
  const forward = input.ScanIndexForward !== false;
  const start = startKey(ctx, table, input.ExclusiveStartKey as Item | undefined, index?.key);
  let rows: Iterable<StoredItem>;
  if (start && !index) {
    // Continue after the start key: tighten the bound on the scan's side.
    const bound = { key: start.base.sk, inclusive: false };
    rows = ctx.store.query(table, undefined, pk, forward ? { ...range, lower: bound } : { ...range, upper: bound }, forward);
  } else {
    rows = ctx.store.query(table, index?.record, pk, range, forward);
    if (start && index) rows = skipThrough(rows, index.key, table.key, start.base, start.idx!, forward);
  }
  const view = index ? (item: Item) => projectIndex(item, index.record, table.key) : (item: Item) => item;
  const lastKey = (item: Item) => ({ ...keyOf(item, table.key), ...(index ? keyOf(item, index.key) : {}) });
  return answer(collect(rows, input, parsed, table, view, lastKey), input, table, input.IndexName);
};

/** The attribute names a condition reads at the top level. */
function pathHeads(c: Condition, out = new Set<string>()): Set<string> {
  const operand = (o: { type: string; path?: (string | number)[]; args?: unknown[] }): void => {
    if (o.type === "path") out.add(o.path![0] as string);
    for (const a of (o.args ?? []) as Parameters<typeof operand>[0][]) operand(a);
  };
  switch (c.type) {
    case "and": case "or": pathHeads(c.left, out); pathHeads(c.right, out); break;
    case "not": pathHeads(c.operand, out); break;
    case "compare": operand(c.left); operand(c.right); break;
    case "between": [c.operand, c.low, c.high].forEach(operand); break;
    case "in": [c.operand, ...c.list].forEach(operand); break;
    case "call": c.args.forEach(operand); break;
  }
  return out;
}

/** A Query's filter may not read the key it queries by (dynalite's actions/query.js records AWS's words). */
function checkFilterKeys(input: QueryInput, filter: Condition | undefined, keys: (string | undefined)[]): void {
  if (!filter) return;
  const heads = pathHeads(filter);
  const param = input.QueryFilter != null ? "QueryFilter" : "Filter Expression";
  for (const k of keys) {
    if (k !== undefined && heads.has(k)) throw validation(`${param} can only contain non-primary key attributes: Primary key attribute: ${k}`);
  }
}

/** Index rows after the start position (index sort key, then table key), in the read's direction. */
function* skipThrough(rows: Iterable<StoredItem>, indexKey: KeyDef, tableKey: KeyDef, base: { pk: Buffer; sk: Buffer }, idx: { sk: Buffer }, forward: boolean) {
  let passed = false;
  for (const row of rows) {
    if (!passed) {
      const k = storageKey(row.item, indexKey)!;
      const c = Buffer.compare(k.sk, idx.sk) || Buffer.compare(row.pk, base.pk) || Buffer.compare(row.sk, base.sk);
      if (forward ? c <= 0 : c >= 0) continue;
      passed = true;
    }
    yield row;
  }
  void tableKey;
}

function segmentOf(pk: Buffer, total: number): number {
  let h = 0x811c9dc5;
  for (const b of pk) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h % total;
}

export const Scan: DdbHandler<ScanInput, ScanOutput> = (input, ctx) => {
  checkExpressionParams(input, ["ProjectionExpression", "FilterExpression"], ["AttributesToGet", "ScanFilter", "ConditionalOperator"]);
  if (input.Segment !== undefined && input.TotalSegments === undefined) {
    throw validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
  }
  if (input.TotalSegments !== undefined && input.Segment === undefined) {
    throw validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
  }
  if (input.Segment !== undefined && input.Segment >= input.TotalSegments!) {
    throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${input.TotalSegments}`);
  }
  const table = ctx.store.open(input.TableName);
  const index = indexOf(table, input.IndexName);
  if (index?.record.kind === "GSI" && input.ConsistentRead) throw validation("Consistent reads are not supported on global secondary indexes");
  const parsed = parseRequest(input);
  checkSelect(input, parsed, index !== undefined);
  const start = startKey(ctx, table, input.ExclusiveStartKey as Item | undefined, index?.key);
  let rows: Iterable<StoredItem> = ctx.store.scan(table, start?.base);
  if (index) rows = onlyIndexed(rows, index.key);
  if (input.TotalSegments !== undefined) rows = inSegment(rows, input.Segment!, input.TotalSegments);
  const view = index ? (item: Item) => projectIndex(item, index.record, table.key) : (item: Item) => item;
  const lastKey = (item: Item) => ({ ...keyOf(item, table.key), ...(index ? keyOf(item, index.key) : {}) });
  return answer(collect(rows, input, parsed, table, view, lastKey), input, table, input.IndexName);
};

function* onlyIndexed(rows: Iterable<StoredItem>, key: KeyDef) {
  for (const row of rows) if (storageKey(row.item, key)) yield row;
}

function* inSegment(rows: Iterable<StoredItem>, segment: number, total: number) {
  for (const row of rows) if (segmentOf(row.pk, total) === segment) yield row;
}
