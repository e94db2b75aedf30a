import type {
  CreateTableInput, CreateTableOutput, DeleteTableInput, DeleteTableOutput, DescribeTableInput, DescribeTableOutput,
  ListTablesInput, ListTablesOutput, UpdateTableInput, UpdateTableOutput,
} from "@aws-sdk/client-dynamodb";
import { INVALID, limitExceeded, resourceInUse, validation } from "../errors.js";
import { checkGsi, checkThroughput, validateCreateTable } from "../create-table.js";
import { DynamoDbLimits } from "../limits.js";
import { describeTable, type IndexRecord, type TableRecord } from "../table.js";
import type { DdbContext, DdbHandler } from "../types.js";

// Table lifecycle. A table is usable as soon as CreateTable answers: the answer
// says CREATING, as AWS's does, and DescribeTable says ACTIVE from then on, so
// the SDK waiters (which poll DescribeTable for ACTIVE) return at their first
// poll and code that skips the waiter works too. DeleteTable likewise answers
// DELETING and the table is gone at once.

function streamOf(ctx: DdbContext, name: string, spec: CreateTableInput["StreamSpecification"]): TableRecord["stream"] {
  if (!spec?.StreamEnabled) return undefined;
  // The stream label is an ISO-8601 timestamp with milliseconds, as AWS's.
  const label = ctx.clock.date().toISOString().replace("Z", "");
  return { enabled: true, viewType: spec.StreamViewType, label, arn: `${ctx.store.arnOf(name)}/stream/${label}` };
}

function sseOf(spec: CreateTableInput["SSESpecification"], ctx: DdbContext): TableRecord["sse"] {
  if (!spec?.Enabled) return undefined;
  const key = spec.KMSMasterKeyId ?? "alias/aws/dynamodb";
  const arn = key.startsWith("arn:") ? key : `arn:aws:kms:${ctx.region}:${ctx.account}:key/${crypto.randomUUID()}`;
  return { Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: arn };
}

export const CreateTable: DdbHandler<CreateTableInput, CreateTableOutput> = (input, ctx) => {
  validateCreateTable(input);
  const name = input.TableName!;
  if (ctx.store.find(name)) throw resourceInUse(`Table already exists: ${name}`);
  const now = ctx.clock.now();
  const throughput = input.ProvisionedThroughput;
  const indexes: IndexRecord[] = [
    ...(input.LocalSecondaryIndexes ?? []).map((i): IndexRecord => ({
      id: ctx.store.nextId(), name: i.IndexName!, kind: "LSI", keySchema: i.KeySchema!, projection: i.Projection!, createdAt: now,
    })),
    ...(input.GlobalSecondaryIndexes ?? []).map((i): IndexRecord => ({
      id: ctx.store.nextId(), name: i.IndexName!, kind: "GSI", keySchema: i.KeySchema!, projection: i.Projection!, createdAt: now,
      throughput: { read: i.ProvisionedThroughput?.ReadCapacityUnits ?? 0, write: i.ProvisionedThroughput?.WriteCapacityUnits ?? 0 },
    })),
  ];
  const table: TableRecord = {
    id: ctx.store.nextId(),
    name,
    tableId: crypto.randomUUID(),
    arn: ctx.store.arnOf(name),
    createdAt: now,
    attributeDefinitions: input.AttributeDefinitions!,
    keySchema: input.KeySchema!,
    billingMode: input.BillingMode === "PAY_PER_REQUEST" ? "PAY_PER_REQUEST" : "PROVISIONED",
    throughput: { read: throughput?.ReadCapacityUnits ?? 0, write: throughput?.WriteCapacityUnits ?? 0, decreases: 0 },
    indexes,
    stream: streamOf(ctx, name, input.StreamSpecification),
    sse: sseOf(input.SSESpecification, ctx),
    tableClass: input.TableClass,
    deletionProtection: input.DeletionProtectionEnabled ?? false,
    tags: Object.fromEntries((input.Tags ?? []).map((t) => [t.Key!, t.Value!])),
    pitr: false,
  };
  ctx.store.save(table);
  return { TableDescription: describeTable(table, "CREATING") };
};

export const DescribeTable: DdbHandler<DescribeTableInput, DescribeTableOutput> = (input, ctx) => {
  const table = ctx.store.require(input.TableName);
  return { Table: describeTable(table, "ACTIVE", ctx.store.stats(table)) };
};

export const ListTables: DdbHandler<ListTablesInput, ListTablesOutput> = (input, ctx) => {
  const limit = input.Limit ?? DynamoDbLimits.maxListTables;
  const start = input.ExclusiveStartTableName;
  const names = ctx.store.list().map((t) => t.name).filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
};

export const DeleteTable: DdbHandler<DeleteTableInput, DeleteTableOutput> = (input, ctx) => {
  const table = ctx.store.require(input.TableName);
  if (table.deletionProtection) {
    throw resourceInUse(`Resource cannot be deleted as it is currently protected against manual deletion: ${table.arn}`);
  }
  const description = describeTable(table, "DELETING", ctx.store.stats(table));
  ctx.store.drop(table);
  return { TableDescription: description };
};

export const UpdateTable: DdbHandler<UpdateTableInput, UpdateTableOutput> = (input, ctx) => {
  const table: TableRecord = structuredClone(ctx.store.require(input.TableName));
  const now = ctx.clock.now();
  let changed = false;
  if (input.BillingMode && input.BillingMode !== table.billingMode) {
    checkThroughput(input.BillingMode, input.ProvisionedThroughput);
    table.billingMode = input.BillingMode;
    table.billingModeUpdatedAt = now;
    if (input.BillingMode === "PAY_PER_REQUEST") table.throughput = { read: 0, write: 0, decreases: 0 };
    changed = true;
  }
  if (input.ProvisionedThroughput) {
    if (table.billingMode === "PAY_PER_REQUEST") {
      throw validation(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
    }
    const { ReadCapacityUnits: read = 0, WriteCapacityUnits: write = 0 } = input.ProvisionedThroughput;
    const t = table.throughput;
    if (read === t.read && write === t.write && !input.BillingMode) {
      throw validation(`The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${t.read}. Requested ReadCapacityUnits: ${read}. Current WriteCapacityUnits provisioned for the table: ${t.write}. Requested WriteCapacityUnits: ${write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`);
    }
    if (read > t.read || write > t.write) t.lastIncrease = now;
    if (read < t.read || write < t.write) {
      t.lastDecrease = now;
      t.decreases += 1;
    }
    t.read = read;
    t.write = write;
    changed = true;
  }
  if (input.AttributeDefinitions) {
    for (const d of input.AttributeDefinitions) {
      const existing = table.attributeDefinitions.find((x) => x.AttributeName === d.AttributeName);
      if (existing && existing.AttributeType !== d.AttributeType) {
        throw validation(`${INVALID}Cannot change the type of attribute ${d.AttributeName}`);
      }
      if (!existing) table.attributeDefinitions.push(d);
    }
  }
  const backfill: IndexRecord[] = [];
  const dropped: IndexRecord[] = [];
  for (const update of input.GlobalSecondaryIndexUpdates ?? []) {
    if (update.Create) {
      const c = update.Create;
      if (table.indexes.some((i) => i.name === c.IndexName)) throw validation(`${INVALID}Index already exists: ${c.IndexName}`);
      checkGsi(c, table.attributeDefinitions.map((d) => d.AttributeName!), table.billingMode);
      if (table.indexes.filter((i) => i.kind === "GSI").length >= DynamoDbLimits.maxGsis) {
        throw limitExceeded(`Subscriber limit exceeded: The number of global secondary indexes for table ${table.name} exceeds the limit of ${DynamoDbLimits.maxGsis}`);
      }
      const index: IndexRecord = {
        id: ctx.store.nextId(), name: c.IndexName!, kind: "GSI", keySchema: c.KeySchema!, projection: c.Projection!, createdAt: now,
        throughput: { read: c.ProvisionedThroughput?.ReadCapacityUnits ?? 0, write: c.ProvisionedThroughput?.WriteCapacityUnits ?? 0 },
      };
      table.indexes.push(index);
      backfill.push(index);
    } else if (update.Delete) {
      const i = table.indexes.find((x) => x.kind === "GSI" && x.name === update.Delete!.IndexName);
      if (!i) throw ctx.errors.ResourceNotFoundException!(`Requested resource not found: Table: ${table.name} Index: ${update.Delete.IndexName} not found`);
      table.indexes = table.indexes.filter((x) => x !== i);
      dropped.push(i);
    } else if (update.Update) {
      const i = table.indexes.find((x) => x.kind === "GSI" && x.name === update.Update!.IndexName);
      if (!i) throw ctx.errors.ResourceNotFoundException!(`Requested resource not found: Table: ${table.name} Index: ${update.Update.IndexName} not found`);
      const t = update.Update.ProvisionedThroughput;
      if (t) i.throughput = { read: t.ReadCapacityUnits ?? 0, write: t.WriteCapacityUnits ?? 0 };
    }
    changed = true;
  }
  if (input.StreamSpecification) {
    const s = input.StreamSpecification;
    if (s.StreamEnabled && table.stream?.enabled) {
      throw validation(`Table already has an enabled stream: TableName: ${table.name}`);
    }
    if (!s.StreamEnabled && !table.stream?.enabled) throw validation(`Table already has no enabled stream: TableName: ${table.name}`);
    table.stream = s.StreamEnabled ? streamOf(ctx, table.name, s) : { ...table.stream, enabled: false };
    changed = true;
  }
  if (input.SSESpecification) {
    table.sse = sseOf(input.SSESpecification, ctx);
    changed = true;
  }
  if (input.TableClass) {
    table.tableClass = input.TableClass;
    changed = true;
  }
  if (input.DeletionProtectionEnabled !== undefined) {
    table.deletionProtection = input.DeletionProtectionEnabled;
    changed = true;
  }
  if (!changed) {
    throw validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  }
  // Keep only definitions some key still uses (AWS drops the others).
  const used = new Set([...table.keySchema, ...table.indexes.flatMap((i) => i.keySchema)].map((k) => k.AttributeName));
  table.attributeDefinitions = table.attributeDefinitions.filter((d) => used.has(d.AttributeName));
  ctx.store.transaction(() => {
    for (const i of dropped) ctx.store.dropIndex(i);
    for (const i of backfill) ctx.store.backfill(table, i);
    ctx.store.save(table);
  });
  const description = describeTable(table, "UPDATING", ctx.store.stats(table));
  for (const g of description.GlobalSecondaryIndexes ?? []) if (backfill.some((b) => b.name === g.IndexName)) g.IndexStatus = "CREATING";
  return { TableDescription: description };
};
