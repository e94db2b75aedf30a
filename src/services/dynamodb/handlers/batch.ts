import type {
  BatchGetItemInput, BatchGetItemOutput, BatchWriteItemInput, BatchWriteItemOutput, ConsumedCapacity,
} from "@aws-sdk/client-dynamodb";
import type { Item } from "../../../engines/dynamodb/index.js";
import { consumed, readUnits } from "../capacity.js";
import { validation } from "../errors.js";
import { CollectionsTouched } from "../item-collections.js";
import { checkItem, checkKey } from "../keys.js";
import { DynamoDbLimits } from "../limits.js";
import type { RawJson } from "../../../protocols/raw-json.js";
import { checkExpressionParams, parseRequest, wireItem } from "../request.js";
import type { DdbHandler } from "../types.js";
import { performWrite, type WriteOp } from "../writes.js";

// BatchGetItem and BatchWriteItem. Terrarium never throttles, so
// UnprocessedKeys and UnprocessedItems are always empty; a batch write runs in
// one SQLite transaction (AWS makes no such promise; it costs nothing here).

export const BatchGetItem: DdbHandler<BatchGetItemInput, BatchGetItemOutput> = (input, ctx) => {
  const requests = Object.entries(input.RequestItems ?? {});
  if (requests.reduce((n, [, r]) => n + (r.Keys?.length ?? 0), 0) > DynamoDbLimits.maxBatchGet) {
    throw validation("Too many items requested for the BatchGetItem call");
  }
  const Responses: Record<string, (Item | RawJson)[]> = {};
  const capacity: ConsumedCapacity[] = [];
  for (const [name, request] of requests) {
    checkExpressionParams(request, ["ProjectionExpression"], ["AttributesToGet"]);
    const table = ctx.store.open(name);
    const { projection } = parseRequest(request);
    const keys = (request.Keys ?? []).map((k) => checkKey(table, k as Item));
    const seen = new Set<string>();
    for (const k of keys) {
      const id = `${k.pk.toString("hex")}/${k.sk.toString("hex")}`;
      if (seen.has(id)) throw validation("Provided list of item keys contains duplicates");
      seen.add(id);
    }
    const items: (Item | RawJson)[] = [];
    let units = 0;
    for (const k of keys) {
      const found = ctx.store.get(table, k.pk, k.sk);
      units += readUnits(found?.size ?? 0, request.ConsistentRead === true);
      if (found) items.push(wireItem(found, projection));
    }
    Responses[table.record.name] = items;
    const cc = consumed(input.ReturnConsumedCapacity, table, units);
    if (cc) capacity.push(cc);
  }
  return { Responses: Responses as BatchGetItemOutput["Responses"], UnprocessedKeys: {}, ...(capacity.length ? { ConsumedCapacity: capacity } : {}) };
};

export const BatchWriteItem: DdbHandler<BatchWriteItemInput, BatchWriteItemOutput> = (input, ctx) => {
  const requests = Object.entries(input.RequestItems ?? {});
  if (requests.reduce((n, [, r]) => n + r.length, 0) > DynamoDbLimits.maxBatchWrite) {
    throw validation("Too many items requested for the BatchWriteItem call");
  }
  const ops: WriteOp[] = [];
  const perTable = new Map<string, number>();
  for (const [name, writes] of requests) {
    const table = ctx.store.open(name);
    const seen = new Set<string>();
    for (const w of writes) {
      if ((w.PutRequest ? 1 : 0) + (w.DeleteRequest ? 1 : 0) !== 1) {
        throw validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
      }
      let op: WriteOp;
      if (w.PutRequest) {
        const { item, pk, sk, size } = checkItem(table, w.PutRequest.Item as Item);
        op = { table, pk, sk, key: item, apply: () => item, checked: { item, size } };
      } else {
        const { key, pk, sk } = checkKey(table, w.DeleteRequest!.Key as Item);
        op = { table, pk, sk, key, apply: () => undefined };
      }
      const id = `${op.pk.toString("hex")}/${op.sk.toString("hex")}`;
      if (seen.has(id)) throw validation("Provided list of item keys contains duplicates");
      seen.add(id);
      ops.push(op);
    }
  }
  const collections = new CollectionsTouched(input.ReturnItemCollectionMetrics === "SIZE");
  ctx.store.transaction(() => {
    for (const op of ops) {
      const r = performWrite(ctx.store, op);
      collections.add(op.table, op.key, op.pk);
      const name = op.table.record.name;
      perTable.set(name, (perTable.get(name) ?? 0) + r.units);
    }
  });
  const capacity = [...perTable].map(([name, units]) => consumed(input.ReturnConsumedCapacity, ctx.store.open(name), units, [], "write")).filter((c) => c !== undefined);
  const metrics = collections.metrics(ctx.store);
  return {
    UnprocessedItems: {},
    ...(capacity.length ? { ConsumedCapacity: capacity } : {}),
    ...(metrics ? { ItemCollectionMetrics: metrics as BatchWriteItemOutput["ItemCollectionMetrics"] } : {}),
  };
};
