import type { ConsumedCapacity } from "@aws-sdk/client-dynamodb";
import type { OpenTable } from "./store.js";

// Consumed capacity as AWS computes it ("Read/write capacity mode" in the
// Developer Guide): a read is 4 KB units of the data read, rounded up (half for
// an eventually consistent read; an item that is not there costs a unit too);
// a write is 1 KB units of the larger of the old and new item, at least 1. A
// Query or Scan adds up the sizes of every item read before rounding.

export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}

export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** The ConsumedCapacity member for ReturnConsumedCapacity TOTAL or INDEXES. */
export function consumed(
  mode: string | undefined,
  table: OpenTable,
  units: number,
  indexUnits: { name: string; kind: "GSI" | "LSI"; units: number }[] = [],
  kind: "read" | "write" = "read",
): ConsumedCapacity | undefined {
  if (mode !== "TOTAL" && mode !== "INDEXES") return undefined;
  const total = units + indexUnits.reduce((n, i) => n + i.units, 0);
  const field = kind === "read" ? "ReadCapacityUnits" : "WriteCapacityUnits";
  const out: ConsumedCapacity = { TableName: table.record.name, CapacityUnits: total, [field]: total };
  if (mode === "INDEXES") {
    out.Table = { CapacityUnits: units, [field]: units };
    const gsis = indexUnits.filter((i) => i.kind === "GSI");
    const lsis = indexUnits.filter((i) => i.kind === "LSI");
    if (gsis.length) out.GlobalSecondaryIndexes = Object.fromEntries(gsis.map((i) => [i.name, { CapacityUnits: i.units, [field]: i.units }]));
    if (lsis.length) out.LocalSecondaryIndexes = Object.fromEntries(lsis.map((i) => [i.name, { CapacityUnits: i.units, [field]: i.units }]));
  }
  return out;
}
