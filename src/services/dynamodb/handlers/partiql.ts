import type {
  BatchExecuteStatementInput, BatchExecuteStatementOutput, BatchStatementResponse, CancellationReason, ExecuteStatementInput,
  ExecuteStatementOutput, ExecuteTransactionInput, ExecuteTransactionOutput,
} from "@aws-sdk/client-dynamodb";
import type { Item } from "../../../engines/dynamodb/index.js";
import { isServiceError } from "../../../protocols/service-error.js";
import { conditionalCheckFailed, transactionCanceled, validation } from "../errors.js";
import { duplicateItem, keyFromWhere, parse, planWrite, select, type PlannedWrite } from "../partiql.js";
import type { DynamoDbStore } from "../store.js";
import type { DdbHandler } from "../types.js";
import { commit, evaluate, type Evaluated } from "../writes.js";

// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction (partiql.ts
// plans each statement onto the item operations).

type Out<T> = T & { [k: string]: unknown };

function runWrite(store: DynamoDbStore, w: PlannedWrite, returnOld: boolean): void {
  store.transaction(() => {
    const current = store.get(w.op.table, w.op.pk, w.op.sk);
    const reason = w.failure(current?.item);
    if (reason === "DuplicateItem") throw duplicateItem();
    if (reason) throw conditionalCheckFailed(returnOld ? current?.item : undefined);
    if (!current && w.skipWhenMissing) return;
    commit(store, w.op, evaluate(store, w.op));
  });
}

export const ExecuteStatement: DdbHandler<ExecuteStatementInput, ExecuteStatementOutput> = (input, ctx) => {
  const s = parse(input.Statement, input.Parameters);
  if (s.kind === "select") {
    const r = select(ctx.store, s, input.Limit, input.NextToken);
    const out: Out<ExecuteStatementOutput> = { Items: r.items as ExecuteStatementOutput["Items"] };
    if (r.nextToken) out.NextToken = r.nextToken;
    return out;
  }
  runWrite(ctx.store, planWrite(ctx.store, s), input.ReturnValuesOnConditionCheckFailure === "ALL_OLD");
  return {};
};

/** The error codes BatchExecuteStatement reports per statement (BatchStatementErrorCodeEnum). */
function batchCode(code: string): string {
  return code.replace(/Exception$/, "").replace(/^Validation$/, "ValidationError");
}

export const BatchExecuteStatement: DdbHandler<BatchExecuteStatementInput, BatchExecuteStatementOutput> = (input, ctx) => {
  const responses: BatchStatementResponse[] = [];
  for (const request of input.Statements ?? []) {
    let tableName: string | undefined;
    try {
      const s = parse(request.Statement, request.Parameters);
      tableName = s.table;
      if (s.kind === "select") {
        // A batch reads single items: the WHERE clause names a whole key.
        const table = ctx.store.open(s.table);
        keyFromWhere(table, s.where);
        const r = select(ctx.store, s);
        responses.push({ TableName: table.record.name, ...(r.items[0] ? { Item: r.items[0] as BatchStatementResponse["Item"] } : {}) });
      } else {
        runWrite(ctx.store, planWrite(ctx.store, s), request.ReturnValuesOnConditionCheckFailure === "ALL_OLD");
        responses.push({ TableName: s.table });
      }
    } catch (e) {
      if (!isServiceError(e)) throw e;
      const error: NonNullable<BatchStatementResponse["Error"]> = { Code: batchCode(e.code) as "ValidationError", Message: e.message };
      const item = (e.fields as { Item?: Item } | undefined)?.Item;
      if (item) error.Item = item as typeof error.Item;
      responses.push({ Error: error, ...(tableName ? { TableName: tableName } : {}) });
    }
  }
  return { Responses: responses };
};

export const ExecuteTransaction: DdbHandler<ExecuteTransactionInput, ExecuteTransactionOutput> = (input, ctx) => {
  const statements = (input.TransactStatements ?? []).map((t) => parse(t.Statement, t.Parameters));
  const reads = statements.filter((s) => s.kind === "select").length;
  if (reads !== 0 && reads !== statements.length) {
    throw validation("Transaction must contain either all reads or all writes");
  }
  if (reads) {
    const out: Out<ExecuteTransactionOutput> = {
      Responses: statements.map((s) => {
        if (s.kind !== "select") throw new Error("unreachable");
        keyFromWhere(ctx.store.open(s.table), s.where);
        const item = select(ctx.store, s).items[0];
        return item ? { Item: item as NonNullable<ExecuteTransactionOutput["Responses"]>[number]["Item"] } : {};
      }),
    };
    return out;
  }
  const plans = statements.map((s) => planWrite(ctx.store, s as Exclude<typeof s, { kind: "select" }>));
  const seen = new Set<string>();
  for (const p of plans) {
    const id = `${p.op.table.record.id}/${p.op.pk.toString("hex")}/${p.op.sk.toString("hex")}`;
    if (seen.has(id)) throw validation("Transaction request cannot include multiple operations on one item");
    seen.add(id);
  }
  ctx.store.transaction(() => {
    const reasons: CancellationReason[] = [];
    const evaluated: (Evaluated | undefined)[] = [];
    let failed = false;
    plans.forEach((p, i) => {
      const current = ctx.store.get(p.op.table, p.op.pk, p.op.sk);
      const reason = p.failure(current?.item);
      if (reason) {
        failed = true;
        const returnOld = input.TransactStatements![i]!.ReturnValuesOnConditionCheckFailure === "ALL_OLD";
        reasons.push({
          Code: reason,
          Message: reason === "DuplicateItem" ? "Duplicate primary key exists in table" : "The conditional request failed",
          ...(returnOld && current ? { Item: current.item as CancellationReason["Item"] } : {}),
        });
        evaluated.push(undefined);
        return;
      }
      reasons.push({ Code: "None" });
      evaluated.push(!current && p.skipWhenMissing ? undefined : evaluate(ctx.store, p.op));
    });
    if (failed) throw transactionCanceled(reasons as { Code: string }[]);
    plans.forEach((p, i) => {
      const e = evaluated[i];
      if (e) commit(ctx.store, p.op, e);
    });
  });
  return {};
};
