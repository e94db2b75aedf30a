import type {
  DeleteItemInput, DeleteItemOutput, GetItemInput, GetItemOutput, PutItemInput, PutItemOutput, UpdateItemInput, UpdateItemOutput,
} from "@aws-sdk/client-dynamodb";
import {
  legacyAttributeUpdates, projectItem, type Item, type LegacyAttributeUpdate, type UpdateExpression,
} from "../../../engines/dynamodb/index.js";
import { consumed, readUnits } from "../capacity.js";
import { validation } from "../errors.js";
import { hasItemCollections, itemCollectionMetrics } from "../item-collections.js";
import { checkItem, checkKey } from "../keys.js";
import { checkExpressionParams, parseRequest, wireItem } from "../request.js";
import type { DynamoDbStore, OpenTable } from "../store.js";
import type { DdbHandler } from "../types.js";
import { performWrite, updater, type WriteResult } from "../writes.js";

// The single-item operations. Each checks its key or item against the table,
// parses its expressions, and runs as one SQLite statement group (better-sqlite3
// is synchronous, so nothing interleaves between the read and the write).

export const GetItem: DdbHandler<GetItemInput, GetItemOutput> = (input, ctx) => {
  checkExpressionParams(input, ["ProjectionExpression"], ["AttributesToGet"]);
  const table = ctx.store.open(input.TableName);
  const { projection } = parseRequest(input);
  const { pk, sk } = checkKey(table, input.Key as Item);
  const found = ctx.store.get(table, pk, sk);
  const out: GetItemOutput = {};
  if (found) out.Item = wireItem(found, projection) as GetItemOutput["Item"];
  const cc = consumed(input.ReturnConsumedCapacity, table, readUnits(found?.size ?? 0, input.ConsistentRead === true));
  if (cc) out.ConsumedCapacity = cc;
  return out;
};

function returnValues(allowed: string[], value: string | undefined, message: string): void {
  if (value !== undefined && !allowed.includes(value)) throw validation(message);
}

export const PutItem: DdbHandler<PutItemInput, PutItemOutput> = (input, ctx) => {
  checkExpressionParams(input, ["ConditionExpression"], ["Expected", "ConditionalOperator"]);
  returnValues(["NONE", "ALL_OLD"], input.ReturnValues, "ReturnValues can only be ALL_OLD or NONE");
  const table = ctx.store.open(input.TableName);
  const { condition } = parseRequest(input);
  const { item, pk, sk, size } = checkItem(table, input.Item as Item);
  const result = performWrite(ctx.store, {
    table, pk, sk, key: item, condition, apply: () => item, checked: { item, size },
    returnOldOnFailure: input.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
  });
  const out: PutItemOutput = {};
  if (input.ReturnValues === "ALL_OLD" && result.old) out.Attributes = result.old as PutItemOutput["Attributes"];
  addWriteMetrics(out, input, ctx.store, table, result, item, pk);
  return out;
};

export const DeleteItem: DdbHandler<DeleteItemInput, DeleteItemOutput> = (input, ctx) => {
  checkExpressionParams(input, ["ConditionExpression"], ["Expected", "ConditionalOperator"]);
  returnValues(["NONE", "ALL_OLD"], input.ReturnValues, "ReturnValues can only be ALL_OLD or NONE");
  const table = ctx.store.open(input.TableName);
  const { condition } = parseRequest(input);
  const { key, pk, sk } = checkKey(table, input.Key as Item);
  const result = performWrite(ctx.store, {
    table, pk, sk, key, condition, apply: () => undefined,
    returnOldOnFailure: input.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
  });
  const out: DeleteItemOutput = {};
  if (input.ReturnValues === "ALL_OLD" && result.old) out.Attributes = result.old as DeleteItemOutput["Attributes"];
  addWriteMetrics(out, input, ctx.store, table, result, key, pk);
  return out;
};

export const UpdateItem: DdbHandler<UpdateItemInput, UpdateItemOutput> = (input, ctx) => {
  checkExpressionParams(input, ["UpdateExpression", "ConditionExpression"], ["AttributeUpdates", "Expected", "ConditionalOperator"]);
  const table = ctx.store.open(input.TableName);
  let update: UpdateExpression | undefined;
  const legacy = input.AttributeUpdates != null;
  const { condition } = parseRequest(input, (exprs) => {
    if (input.UpdateExpression != null) update = exprs.update(input.UpdateExpression);
    if (legacy) update = legacyAttributeUpdates(input.AttributeUpdates as Record<string, LegacyAttributeUpdate>);
  });
  const { key, pk, sk } = checkKey(table, input.Key as Item);
  const apply = update ? updater({ table, key }, update, legacy) : (old: Item | undefined) => old ?? key;
  const result = performWrite(ctx.store, {
    table, pk, sk, key, condition, apply, update: update !== undefined,
    returnOldOnFailure: input.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
  });
  const out: UpdateItemOutput = {};
  const paths = update?.targets ?? [];
  switch (input.ReturnValues) {
    case "ALL_OLD":
      if (result.old) out.Attributes = result.old as UpdateItemOutput["Attributes"];
      break;
    case "ALL_NEW":
      out.Attributes = result.item as UpdateItemOutput["Attributes"];
      break;
    case "UPDATED_OLD":
      if (result.old) {
        const p = projectItem(result.old, paths);
        if (Object.keys(p).length) out.Attributes = p as UpdateItemOutput["Attributes"];
      }
      break;
    case "UPDATED_NEW": {
      const p = projectItem(result.item ?? {}, paths);
      if (Object.keys(p).length) out.Attributes = p as UpdateItemOutput["Attributes"];
      break;
    }
  }
  addWriteMetrics(out, input, ctx.store, table, result, key, pk);
  return out;
};

type WriteMetricsInput = Pick<PutItemInput, "ReturnConsumedCapacity" | "ReturnItemCollectionMetrics">;

/** ConsumedCapacity and ItemCollectionMetrics of a single-item write, when asked for. */
function addWriteMetrics(
  out: Pick<PutItemOutput, "ConsumedCapacity" | "ItemCollectionMetrics">, input: WriteMetricsInput,
  store: DynamoDbStore, table: OpenTable, result: WriteResult, key: Item, pk: Buffer,
): void {
  const cc = consumed(input.ReturnConsumedCapacity, table, result.units, result.indexUnits, "write");
  if (cc) out.ConsumedCapacity = cc;
  if (input.ReturnItemCollectionMetrics === "SIZE" && hasItemCollections(table)) out.ItemCollectionMetrics = itemCollectionMetrics(store, table, key, pk);
}
