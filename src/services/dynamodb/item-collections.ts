import type { ItemCollectionMetrics } from "@aws-sdk/client-dynamodb";
import type { Item } from "../../engines/dynamodb/index.js";
import type { DynamoDbStore, OpenTable } from "./store.js";

// ReturnItemCollectionMetrics SIZE: for each item collection (the items sharing
// a partition key) a write touched, its key and a size estimate in GB as a
// [lower, upper] pair. Only tables with local secondary indexes have item
// collections to report ("If the table does not have any local secondary
// indexes, this information is not returned": ItemCollectionMetrics in the API
// reference). The estimate brackets the real size by whole gigabytes, the
// [0.0, 1.0] AWS answers for any collection under 1 GB.

const GB = 1024 ** 3;

export function hasItemCollections(table: OpenTable): boolean {
  return table.indexes.some((i) => i.record.kind === "LSI");
}

export function itemCollectionMetrics(store: DynamoDbStore, table: OpenTable, key: Item, pk: Buffer): ItemCollectionMetrics {
  const lower = Math.floor(store.collectionBytes(table, pk) / GB);
  const hash = table.key.hash.name;
  return { ItemCollectionKey: { [hash]: key[hash] } as ItemCollectionMetrics["ItemCollectionKey"], SizeEstimateRangeGB: [lower, lower + 1] };
}

/** The per-table metrics of a BatchWriteItem or TransactWriteItems: one entry per collection touched. */
export class CollectionsTouched {
  private readonly byTable = new Map<string, Map<string, { table: OpenTable; key: Item; pk: Buffer }>>();

  constructor(private readonly wanted: boolean) {}

  add(table: OpenTable, key: Item, pk: Buffer): void {
    if (!this.wanted || !hasItemCollections(table)) return;
    const name = table.record.name;
    let collections = this.byTable.get(name);
    if (!collections) this.byTable.set(name, (collections = new Map()));
    collections.set(pk.toString("hex"), { table, key, pk });
  }

  /** The response member, measured after the writes; undefined when nothing is to be reported. */
  metrics(store: DynamoDbStore): Record<string, ItemCollectionMetrics[]> | undefined {
    if (this.byTable.size === 0) return undefined;
    const out: Record<string, ItemCollectionMetrics[]> = {};
    for (const [name, collections] of this.byTable) {
      out[name] = [...collections.values()].map((c) => itemCollectionMetrics(store, c.table, c.key, c.pk));
    }
    return out;
  }
}
