import type {
  AttributeDefinition, KeySchemaElement, Projection, SSEDescription, TableDescription,
} from "@aws-sdk/client-dynamodb";
import { putAttribute, type AttributeValue, type Item } from "../../engines/dynamodb/index.js";
import { encodeKey, EMPTY_KEY, type KeyType } from "./key-codec.js";

// A table as Terrarium keeps it (a document per table): its key schema resolved
// to typed key attributes, its indexes, and the settings DescribeTable reports.

export interface KeyDef {
  hash: { name: string; type: KeyType };
  range?: { name: string; type: KeyType };
}

export interface IndexRecord {
  /** Row id of the index's entries in dynamodb_index_entries. */
  id: number;
  name: string;
  kind: "GSI" | "LSI";
  keySchema: KeySchemaElement[];
  projection: Projection;
  throughput?: { read: number; write: number };
  createdAt: number;
}

export interface TableRecord {
  /** Row id of the table's items in dynamodb_items. */
  id: number;
  name: string;
  tableId: string;
  arn: string;
  createdAt: number;
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  billingMode: "PROVISIONED" | "PAY_PER_REQUEST";
  billingModeUpdatedAt?: number;
  throughput: { read: number; write: number; lastIncrease?: number; lastDecrease?: number; decreases: number };
  indexes: IndexRecord[];
  stream?: { enabled: boolean; viewType?: string; arn?: string; label?: string };
  sse?: SSEDescription;
  tableClass?: string;
  deletionProtection: boolean;
  tags: Record<string, string>;
  ttl?: { attribute: string; enabled: boolean };
  pitr: boolean;
}

export function attributeType(table: Pick<TableRecord, "attributeDefinitions">, name: string): KeyType {
  return table.attributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType as KeyType;
}

export function keyDefOf(table: Pick<TableRecord, "attributeDefinitions">, schema: KeySchemaElement[]): KeyDef {
  const hash = schema.find((k) => k.KeyType === "HASH")!.AttributeName!;
  const range = schema.find((k) => k.KeyType === "RANGE")?.AttributeName;
  return {
    hash: { name: hash, type: attributeType(table, hash) },
    range: range === undefined ? undefined : { name: range, type: attributeType(table, range) },
  };
}

/** An item's (or key's) storage key under `def`, or undefined when it lacks a key
 *  attribute or has one of another type (an item absent from a sparse index). */
export function storageKey(item: Item, def: KeyDef): { pk: Buffer; sk: Buffer } | undefined {
  const h = item[def.hash.name];
  if (h === undefined || !(def.hash.type in h)) return undefined;
  let sk: Buffer = EMPTY_KEY;
  if (def.range) {
    const r = item[def.range.name];
    if (r === undefined || !(def.range.type in r)) return undefined;
    sk = encodeKey(r, def.range.type);
  }
  return { pk: encodeKey(h, def.hash.type), sk };
}

/** The key attributes of an item. */
export function keyOf(item: Item, def: KeyDef): Item {
  const key: Item = { [def.hash.name]: item[def.hash.name]! };
  if (def.range) key[def.range.name] = item[def.range.name]!;
  return key;
}

/** The attributes an index projects: its keys, the table's keys, and its projection. */
export function projectIndex(item: Item, index: IndexRecord, table: KeyDef): Item {
  const p = index.projection;
  if (p.ProjectionType === "ALL") return item;
  const names = new Set<string>([table.hash.name, ...index.keySchema.map((k) => k.AttributeName!)]);
  if (table.range) names.add(table.range.name);
  if (p.ProjectionType === "INCLUDE") for (const n of p.NonKeyAttributes ?? []) names.add(n);
  const out: Item = {};
  for (const n of names) if (Object.hasOwn(item, n)) putAttribute(out, n, item[n] as AttributeValue);
  return out;
}

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
  indexes: Map<number, { itemCount: number; sizeBytes: number }>;
}

function throughputDescription(t: { read: number; write: number; lastIncrease?: number; lastDecrease?: number; decreases?: number }) {
  return {
    ...(t.lastIncrease ? { LastIncreaseDateTime: new Date(t.lastIncrease) } : {}),
    ...(t.lastDecrease ? { LastDecreaseDateTime: new Date(t.lastDecrease) } : {}),
    NumberOfDecreasesToday: t.decreases ?? 0,
    ReadCapacityUnits: t.read,
    WriteCapacityUnits: t.write,
  };
}

/** DescribeTable's TableDescription. */
export function describeTable(table: TableRecord, status: string, stats?: TableStats): TableDescription {
  const gsis = table.indexes.filter((i) => i.kind === "GSI");
  const lsis = table.indexes.filter((i) => i.kind === "LSI");
  const indexArn = (i: IndexRecord) => `${table.arn}/index/${i.name}`;
  const out: TableDescription = {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: table.keySchema,
    TableStatus: status as TableDescription["TableStatus"],
    CreationDateTime: new Date(table.createdAt),
    ProvisionedThroughput: throughputDescription(table.throughput),
    TableSizeBytes: stats?.sizeBytes ?? 0,
    ItemCount: stats?.itemCount ?? 0,
    TableArn: table.arn,
    TableId: table.tableId,
  };
  if (table.billingMode === "PAY_PER_REQUEST") {
    out.BillingModeSummary = { BillingMode: "PAY_PER_REQUEST", LastUpdateToPayPerRequestDateTime: new Date(table.billingModeUpdatedAt ?? table.createdAt) };
  }
  if (lsis.length) {
    out.LocalSecondaryIndexes = lsis.map((i) => ({
      IndexName: i.name,
      KeySchema: i.keySchema,
      Projection: i.projection,
      IndexSizeBytes: stats?.indexes.get(i.id)?.sizeBytes ?? 0,
      ItemCount: stats?.indexes.get(i.id)?.itemCount ?? 0,
      IndexArn: indexArn(i),
    }));
  }
  if (gsis.length) {
    out.GlobalSecondaryIndexes = gsis.map((i) => ({
      IndexName: i.name,
      KeySchema: i.keySchema,
      Projection: i.projection,
      IndexStatus: status === "CREATING" ? "CREATING" : "ACTIVE",
      ProvisionedThroughput: throughputDescription(i.throughput ?? { read: 0, write: 0 }),
      IndexSizeBytes: stats?.indexes.get(i.id)?.sizeBytes ?? 0,
      ItemCount: stats?.indexes.get(i.id)?.itemCount ?? 0,
      IndexArn: indexArn(i),
      ...(table.billingMode === "PAY_PER_REQUEST" ? { WarmThroughput: undefined } : {}),
    }));
  }
  if (table.stream?.enabled) {
    out.StreamSpecification = { StreamEnabled: true, StreamViewType: table.stream.viewType as "NEW_IMAGE" };
  }
  if (table.stream?.arn) {
    out.LatestStreamLabel = table.stream.label;
    out.LatestStreamArn = table.stream.arn;
  }
  if (table.sse) out.SSEDescription = table.sse;
  if (table.tableClass && table.tableClass !== "STANDARD") out.TableClassSummary = { TableClass: table.tableClass as "STANDARD" };
  out.DeletionProtectionEnabled = table.deletionProtection;
  return out;
}
