import {
  evaluateCondition, projectItem, type AttributeValue, type Condition, type Item, type UpdateExpression,
} from "../../engines/dynamodb/index.js";
import { parseStatement, type Statement } from "../../engines/dynamodb/partiql/index.js";
import { loadModel } from "../../models/load.js";
import { errorsOf } from "../../protocols/model-errors.js";
import { expressions, validation } from "./errors.js";
import { encodeKey } from "./key-codec.js";
import { checkItem, checkKey } from "./keys.js";
import type { DynamoDbStore, OpenTable, StoredItem } from "./store.js";
import { projectIndex, storageKey, type KeyDef } from "./table.js";
import { updater, type WriteOp } from "./writes.js";

// PartiQL statements planned onto the item operations: a SELECT whose WHERE
// fixes the partition key reads that partition (a Query), otherwise it scans;
// INSERT is a PutItem that must not overwrite; UPDATE and DELETE name one item
// by equalities on its whole primary key, and the rest of the WHERE clause is
// their condition (the "PartiQL for DynamoDB" statements reference).

export function parse(text: string | undefined, parameters: unknown[] | undefined): Statement {
  return expressions(() => parseStatement(text ?? "", (parameters ?? []) as AttributeValue[]));
}

function conjuncts(c: Condition | undefined, out: Condition[] = []): Condition[] {
  if (!c) return out;
  if (c.type === "and") {
    conjuncts(c.left, out);
    conjuncts(c.right, out);
  } else out.push(c);
  return out;
}

/** The value the WHERE clause fixes `name` to with a top-level equality, if any. */
function equality(where: Condition | undefined, name: string): AttributeValue | undefined {
  for (const c of conjuncts(where)) {
    if (c.type !== "compare" || c.op !== "=") continue;
    const [p, v] = c.left.type === "path" ? [c.left, c.right] : [c.right, c.left];
    if (p.type === "path" && p.path.length === 1 && p.path[0] === name && v.type === "literal") return v.value;
  }
  return undefined;
}

/** UPDATE and DELETE (and a batch SELECT) need the item's whole primary key. */
export function keyFromWhere(table: OpenTable, where: Condition | undefined): Item {
  const key: Item = {};
  for (const part of [table.key.hash, table.key.range]) {
    if (!part) continue;
    const v = equality(where, part.name);
    if (v === undefined) throw validation("Where clause does not contain a mandatory equality on all key attributes");
    key[part.name] = v;
  }
  return key;
}

export interface SelectResult {
  items: Item[];
  nextToken?: string;
}

export function select(store: DynamoDbStore, s: Extract<Statement, { kind: "select" }>, limit?: number, nextToken?: string): SelectResult {
  const table = store.open(s.table);
  let def: KeyDef = table.key;
  let view = (item: Item) => item;
  const index = s.index === undefined ? undefined : table.indexes.find((i) => i.record.name === s.index);
  if (s.index !== undefined && !index) throw validation(`The table does not have the specified index: ${s.index}`);
  if (index) {
    def = index.key;
    view = (item) => projectIndex(item, index.record, table.key);
  }
  const hash = equality(s.where, def.hash.name);
  let rows: Iterable<StoredItem>;
  if (hash !== undefined && def.hash.type in hash) rows = store.query(table, index?.record, encodeKey(hash, def.hash.type), {}, true);
  else rows = indexed(store.scan(table), index?.key);
  // NextToken: how many rows this statement has read so far (AWS's is opaque too).
  let skip = 0;
  if (nextToken !== undefined) {
    skip = Number(Buffer.from(nextToken, "base64").toString("utf8"));
    if (!Number.isSafeInteger(skip) || skip < 0) throw validation("Invalid NextToken");
  }
  const items: Item[] = [];
  let read = 0;
  for (const row of rows) {
    if (read++ < skip) continue;
    const item = view(row.item);
    if (!s.where || evaluateCondition(s.where, item)) items.push(s.projection ? projectItem(item, s.projection) : item);
    if (limit !== undefined && read - skip >= limit) {
      return { items, nextToken: Buffer.from(String(read)).toString("base64") };
    }
  }
  return { items };
}

function* indexed(rows: Iterable<StoredItem>, key: KeyDef | undefined): Generator<StoredItem> {
  for (const row of rows) if (!key || storageKey(row.item, key)) yield row;
}

export interface PlannedWrite {
  op: WriteOp;
  /** Why the write may not happen: an INSERT over an existing item, or a failed WHERE. */
  failure: (old: Item | undefined) => "DuplicateItem" | "ConditionalCheckFailed" | undefined;
  /** DELETE of a missing item is a no-op rather than a failure. */
  skipWhenMissing: boolean;
}

/** INSERT, UPDATE or DELETE as one item write. */
export function planWrite(store: DynamoDbStore, s: Exclude<Statement, { kind: "select" }>): PlannedWrite {
  const table = store.open(s.table);
  if (s.kind === "insert") {
    const { item, pk, sk, size } = checkItem(table, s.item);
    return {
      op: { table, pk, sk, key: item, apply: () => item, checked: { item, size } },
      failure: (old) => (old ? "DuplicateItem" : undefined),
      skipWhenMissing: false,
    };
  }
  const { key, pk, sk } = checkKey(table, keyFromWhere(table, s.where));
  const where = s.where;
  const holds = (old: Item | undefined) => old !== undefined && (!where || evaluateCondition(where, old));
  if (s.kind === "delete") {
    return {
      op: { table, pk, sk, key, apply: () => undefined },
      failure: (old) => (old === undefined || holds(old) ? undefined : "ConditionalCheckFailed"),
      skipWhenMissing: true,
    };
  }
  const update: UpdateExpression = { set: s.set, remove: s.remove, add: [], delete: [], targets: [...s.set.map((a) => a.path), ...s.remove] };
  return {
    op: { table, pk, sk, key, apply: updater({ table, key }, update), update: true },
    failure: (old) => (holds(old) ? undefined : "ConditionalCheckFailed"),
    skipWhenMissing: false,
  };
}

const errors = () => errorsOf(loadModel("dynamodb"));

export function duplicateItem() {
  return errors().DuplicateItemException("Duplicate primary key exists in table");
}
