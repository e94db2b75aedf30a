import {
  applyUpdate, evaluateCondition, ExpressionError, itemSize, LEGACY_UPDATE_TYPE_MISMATCH, type Condition, type Item, type UpdateExpression,
} from "../../engines/dynamodb/index.js";
import { writeUnits } from "./capacity.js";
import { conditionalCheckFailed, expressions, INVALID, validation } from "./errors.js";
import { checkItemKeys, checkSize } from "./keys.js";
import type { DynamoDbStore, OpenTable, StoredItem } from "./store.js";
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
  /** An update (UpdateItem, a transaction's Update): AWS words its size error differently. */
  update?: boolean;
  /** ReturnValuesOnConditionCheckFailure ALL_OLD. */
  returnOldOnFailure?: boolean;
  /** The item `apply` returns, already checked, and its size (Put: skips a second size walk). */
  checked?: { item: Item; size: number };
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

/** A write checked and computed but not yet performed. The old item is parsed
 *  only when something reads it (a condition, an update, indexes, a stream). */
export class Evaluated {
  constructor(
    readonly current: StoredItem | undefined,
    readonly item: Item | undefined,
    readonly size: number,
    readonly changed: boolean,
  ) {}
  get old(): Item | undefined {
    return this.current?.item;
  }
  get oldSize(): number {
    return this.current?.size ?? 0;
  }
}

/** Checks the condition and computes the new item without writing (throws ConditionFailed). */
export function evaluate(store: DynamoDbStore, op: WriteOp): Evaluated {
  const current = store.get(op.table, op.pk, op.sk);
  if (op.condition && !evaluateCondition(op.condition, current?.item)) throw new ConditionFailed(current?.item);
  if (!op.apply) return new Evaluated(current, current?.item, current?.size ?? 0, false);
  // A Put's new item is known already: the old one is then parsed only if a condition, an index or a stream reads it.
  if (op.checked) return new Evaluated(current, op.checked.item, op.checked.size, true);
  const item = op.apply(current === undefined ? undefined : current.item);
  const size = item === undefined ? 0 : checkSize(item, op.update);
  return new Evaluated(current, item, size, true);
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

export function commit(store: DynamoDbStore, op: WriteOp, e: Evaluated): WriteResult {
  if (e.changed && (e.current !== undefined || e.item !== undefined)) store.change(op.table, op.pk, op.sk, e.current, e.item, e.size, false);
  const units = writeUnits(Math.max(e.oldSize, e.size));
  const indexUnits = op.apply
    ? op.table.indexes
      .filter((i) => (e.old && storageKey(e.old, i.key)) || (e.item && storageKey(e.item, i.key)))
      .map((i) => ({ name: i.record.name, kind: i.record.kind, units }))
    : [];
  return { get old() { return e.old; }, item: e.item, units: op.apply ? units : 0, indexUnits };
}

const WRONG_TYPE = "An operand in the update expression has an incorrect data type";

/**
 * UpdateItem's new item: the update applied to the old item (or the key, for a
 * new one). `legacy`: the update came from AttributeUpdates, whose type clashes
 * AWS reports in its own words.
 */
export function updater(op: { table: OpenTable; key: Item }, update: UpdateExpression, legacy = false): (old: Item | undefined) => Item {
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
    const { item } = expressions(() => {
      try {
        return applyUpdate(update, old ?? op.key);
      } catch (e) {
        if (legacy && e instanceof ExpressionError && e.message === WRONG_TYPE) throw new ExpressionError(LEGACY_UPDATE_TYPE_MISMATCH);
        throw e;
      }
    });
    checkItemKeys(op.table, item);
    return item;
  };
}

export { itemSize };
