import { applyUpdate, evaluateCondition, itemSize, type Condition, type Item, type UpdateExpression } from "../../engines/dynamodb/index.js";
import { writeUnits } from "./capacity.js";
import { conditionalCheckFailed, expressions, INVALID, validation } from "./errors.js";
import { checkItemKeys, checkSize } from "./keys.js";
import type { DynamoDbStore, OpenTable } from "./store.js";
import { storageKey } from "./table.js";

// One item write (Put, Update, Delete, or a transaction's ConditionCheck):
// read the current item, check the condition, compute the new item, write it
// and its index entries. Run inside a SQLite transaction when it is one of
// several that must succeed together (TransactWriteItems).

export interface WriteOp {
  table: OpenTable;
  pk: Buffer;
  sk: Buffer;
  key: Item;
  condition?: Condition;
  /** The new item from the old (undefined: delete); absent for a ConditionCheck. */
  apply?: (old: Item | undefined) => Item | undefined;
  /** ReturnValuesOnConditionCheckFailure ALL_OLD. */
  returnOldOnFailure?: boolean;
}

export interface WriteResult {
  old?: Item;
  item?: Item;
  units: number;
  indexUnits: { name: string; kind: "GSI" | "LSI"; units: number }[];
}

export class ConditionFailed extends Error {
  constructor(readonly old: Item | undefined) {
    super("The conditional request failed");
  }
}

/** Checks the condition and computes the new item without writing (throws ConditionFailed). */
export function evaluate(store: DynamoDbStore, op: WriteOp): { old?: Item; oldSize: number; item?: Item; size: number; changed: boolean } {
  const current = store.get(op.table, op.pk, op.sk);
  const old = current?.item;
  if (op.condition && !evaluateCondition(op.condition, old)) throw new ConditionFailed(old);
  if (!op.apply) return { old, oldSize: current?.size ?? 0, item: old, size: current?.size ?? 0, changed: false };
  const item = op.apply(old);
  const size = item ? checkSize(item) : 0;
  return { old, oldSize: current?.size ?? 0, item, size, changed: true };
}

/** Evaluates and performs one write; a failed condition throws ConditionalCheckFailedException. */
export function performWrite(store: DynamoDbStore, op: WriteOp): WriteResult {
  let e: ReturnType<typeof evaluate>;
  try {
    e = evaluate(store, op);
  } catch (err) {
    if (err instanceof ConditionFailed) throw conditionalCheckFailed(op.returnOldOnFailure ? err.old : undefined);
    throw err;
  }
  return commit(store, op, e);
}

export function commit(store: DynamoDbStore, op: WriteOp, e: ReturnType<typeof evaluate>): WriteResult {
  if (e.changed && (e.old !== undefined || e.item !== undefined)) {
    store.write(op.table, op.pk, op.sk, e.old, e.item, e.size);
    for (const listener of store.changeListeners) listener(op.table, e.old, e.item, false);
  }
  const units = writeUnits(Math.max(e.oldSize, e.size));
  const indexUnits = op.apply
    ? op.table.indexes
      .filter((i) => (e.old && storageKey(e.old, i.key)) || (e.item && storageKey(e.item, i.key)))
      .map((i) => ({ name: i.record.name, kind: i.record.kind, units }))
    : [];
  return { old: e.old, item: e.item, units: op.apply ? units : 0, indexUnits };
}

/** UpdateItem's new item: the update applied to the old item (or the key, for a new one). */
export function updater(op: { table: OpenTable; key: Item }, update: UpdateExpression): (old: Item | undefined) => Item {
  const keyNames = [op.table.key.hash.name, op.table.key.range?.name].filter(Boolean) as string[];
  for (const path of update.targets) {
    const head = path[0] as string;
    if (keyNames.includes(head)) {
      if (path.length > 1) {
        throw validation(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${head}`);
      }
      throw validation(`${INVALID}Cannot update attribute ${head}. This attribute is part of the key`);
    }
  }
  return (old) => {
    const { item } = expressions(() => applyUpdate(update, old ?? op.key));
    checkItemKeys(op.table, item);
    return item;
  };
}

export { itemSize };
