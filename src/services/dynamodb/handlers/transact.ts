import { createHash } from "node:crypto";
import type {
  CancellationReason, TransactGetItemsInput, TransactGetItemsOutput, TransactWriteItemsInput, TransactWriteItemsOutput,
} from "@aws-sdk/client-dynamodb";
import type { Item, UpdateExpression } from "../../../engines/dynamodb/index.js";
import { consumed, readUnits } from "../capacity.js";
import { idempotentParameterMismatch, transactionCanceled, validation } from "../errors.js";
import { CollectionsTouched } from "../item-collections.js";
import { checkItem, checkKey } from "../keys.js";
import { DynamoDbLimits } from "../limits.js";
import { checkExpressionParams, parseRequest, wireItem } from "../request.js";
import type { DynamoDbStore } from "../store.js";
import type { DdbHandler } from "../types.js";
import { commit, ConditionFailed, evaluate, updater, type WriteOp } from "../writes.js";

// Transactions. Every action is checked and evaluated first; if any condition
// fails, nothing is written and TransactionCanceledException lists one reason
// per action, in order ("None" for the others). Otherwise all writes commit in
// one SQLite transaction. A ClientRequestToken makes a repeat within 10 minutes
// a no-op, and a different request with the same token an error (the
// TransactWriteItems API reference).

export const TransactWriteItems: DdbHandler<TransactWriteItemsInput, TransactWriteItemsOutput> = (input, ctx) => {
  const store = ctx.store;
  const now = ctx.clock.now();
  let tokenHash: string | undefined;
  let repeat = false;
  if (input.ClientRequestToken) {
    for (const [t, v] of store.transactTokens) if (v.expires <= now) store.transactTokens.delete(t);
    const { ClientRequestToken: _t, ...rest } = input;
    tokenHash = createHash("sha256").update(JSON.stringify(rest, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v))).digest("hex");
    const seen = store.transactTokens.get(input.ClientRequestToken);
    if (seen && seen.hash !== tokenHash) throw idempotentParameterMismatch();
    repeat = seen !== undefined;
  }
  const ops: (WriteOp & { returnOld: boolean })[] = [];
  const seen = new Set<string>();
  for (const action of input.TransactItems ?? []) {
    const kinds = [action.ConditionCheck, action.Put, action.Delete, action.Update].filter((a) => a !== undefined);
    if (kinds.length !== 1) {
      throw validation("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    const a = kinds[0]!;
    checkExpressionParams(a, action.Update ? ["UpdateExpression", "ConditionExpression"] : ["ConditionExpression"], []);
    const table = store.open(a.TableName);
    let update: UpdateExpression | undefined;
    const { condition } = parseRequest(a, (exprs) => {
      if (action.Update) update = exprs.update(action.Update.UpdateExpression!);
    });
    if (action.ConditionCheck && !condition) throw validation("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
    let op: WriteOp;
    if (action.Put) {
      const { item, pk, sk, size } = checkItem(table, action.Put.Item as Item);
      op = { table, pk, sk, key: item, condition, apply: () => item, checked: { item, size } };
    } else {
      const { key, pk, sk } = checkKey(table, (a as { Key?: Item }).Key);
      op = { table, pk, sk, key, condition };
      if (action.Delete) op.apply = () => undefined;
      if (action.Update) {
        op.apply = updater({ table, key }, update!);
        op.update = true;
      }
    }
    const id = `${table.record.id}/${op.pk.toString("hex")}/${op.sk.toString("hex")}`;
    if (seen.has(id)) throw validation("Transaction request cannot include multiple operations on one item");
    seen.add(id);
    ops.push({ ...op, returnOld: (a as { ReturnValuesOnConditionCheckFailure?: string }).ReturnValuesOnConditionCheckFailure === "ALL_OLD" });
  }
  if (repeat) return repeated(input, ops, ctx.store);
  const units = new Map<string, number>();
  const collections = new CollectionsTouched(input.ReturnItemCollectionMetrics === "SIZE");
  store.transaction(() => {
    const evaluated: ReturnType<typeof evaluate>[] = [];
    const reasons: CancellationReason[] = [];
    let failed = false;
    for (const op of ops) {
      try {
        evaluated.push(evaluate(store, op));
        reasons.push({ Code: "None" });
      } catch (e) {
        if (!(e instanceof ConditionFailed)) throw e;
        failed = true;
        evaluated.push(undefined as never);
        reasons.push({ Code: "ConditionalCheckFailed", Message: "The conditional request failed", ...(op.returnOld && e.old ? { Item: e.old as CancellationReason["Item"] } : {}) });
      }
    }
    if (failed) throw transactionCanceled(reasons as { Code: string }[]);
    ops.forEach((op, i) => {
      const r = commit(store, op, evaluated[i]!);
      if (op.apply) collections.add(op.table, op.key, op.pk);
      const name = op.table.record.name;
      // Transactional writes cost twice the units of a standard write.
      units.set(name, (units.get(name) ?? 0) + 2 * Math.max(r.units, 1));
    });
  });
  if (input.ClientRequestToken) store.transactTokens.set(input.ClientRequestToken, { hash: tokenHash!, expires: now + DynamoDbLimits.transactTokenMs });
  const capacity = [...units].map(([name, u]) => consumed(input.ReturnConsumedCapacity, store.open(name), u, [], "write")).filter((c) => c !== undefined);
  const metrics = collections.metrics(store);
  return {
    ...(capacity.length ? { ConsumedCapacity: capacity } : {}),
    ...(metrics ? { ItemCollectionMetrics: metrics as TransactWriteItemsOutput["ItemCollectionMetrics"] } : {}),
  };
};

/** A repeat within the token's window writes nothing; it reads the items, and
 *  its ConsumedCapacity counts those reads (ClientRequestToken in the API reference). */
function repeated(input: TransactWriteItemsInput, ops: WriteOp[], store: DynamoDbStore): TransactWriteItemsOutput {
  const units = new Map<string, number>();
  for (const op of ops) {
    const name = op.table.record.name;
    units.set(name, (units.get(name) ?? 0) + readUnits(store.get(op.table, op.pk, op.sk)?.size ?? 0, true));
  }
  const capacity = [...units].map(([name, u]) => consumed(input.ReturnConsumedCapacity, store.open(name), u)).filter((c) => c !== undefined);
  return capacity.length ? { ConsumedCapacity: capacity } : {};
}

export const TransactGetItems: DdbHandler<TransactGetItemsInput, TransactGetItemsOutput> = (input, ctx) => {
  const gets = (input.TransactItems ?? []).map((t) => {
    const g = t.Get!;
    checkExpressionParams(g, ["ProjectionExpression"], []);
    const table = ctx.store.open(g.TableName);
    const { projection } = parseRequest(g);
    return { table, projection, ...checkKey(table, g.Key as Item) };
  });
  const units = new Map<string, number>();
  const Responses = gets.map((g) => {
    const found = ctx.store.get(g.table, g.pk, g.sk);
    units.set(g.table.record.name, (units.get(g.table.record.name) ?? 0) + 2 * readUnits(found?.size ?? 0, true));
    return found ? { Item: wireItem(found, g.projection) as NonNullable<TransactGetItemsOutput["Responses"]>[number]["Item"] } : {};
  });
  const capacity = [...units].map(([name, u]) => consumed(input.ReturnConsumedCapacity, ctx.store.open(name), u)).filter((c) => c !== undefined);
  return { Responses, ...(capacity.length ? { ConsumedCapacity: capacity } : {}) };
};
