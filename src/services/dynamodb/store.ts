import type { Clock, TimerHandle } from "../../platform/clock.js";
import type { Sqlite } from "../../storage/database.js";
import type { Collection } from "../../storage/documents.js";
import { itemsEqual, itemSize, type Item } from "../../engines/dynamodb/index.js";
import type { StoreScope } from "../service.js";
import { resourceNotFound, tableNotFound } from "./errors.js";
import { decodeItem, encodeItem } from "./item-codec.js";
import { DynamoDbLimits } from "./limits.js";
import { createTables, prepareItemStatements, rangeSql, type ItemRow as Row, type KeyRange } from "./item-tables.js";
import { StreamLog, type StoredStreamRecord } from "./stream-log.js";
import { keyDefOf, keyOf, storageKey, type IndexRecord, type KeyDef, type TableRecord, type TableStats } from "./table.js";

// One account and region's tables. Table definitions are documents; items live
// in one SQLite table for every DynamoDB table, keyed by (table, partition key
// bytes, sort key bytes) WITHOUT ROWID, so the primary key is the clustered
// B-tree and a Query is one range read of its partition (key-codec.ts makes
// byte order DynamoDB's order). Secondary indexes are rows of
// dynamodb_index_entries keyed by (index, index pk, index sk, table pk, table
// sk), written in the same SQLite transaction as the item; an item without the
// index's key attributes has no entry (sparse indexes). Items whose table has
// TTL enabled carry their expiry, indexed, so the sweep reads only what expired.
// The SQLite layout itself is item-tables.ts.

type StreamKeySchema = { AttributeName: string; KeyType: string }[];

/** A stored item; its JSON is parsed on first use (a PutItem that needs no old
 *  image, or a size for capacity, never parses it). */
export class StoredItem {
  private decoded: Item | undefined;
  constructor(readonly pk: Buffer, readonly sk: Buffer, readonly text: string, readonly size: number) {}
  get item(): Item {
    return (this.decoded ??= decodeItem(this.text));
  }
}

/** A table opened for item access: its record and resolved key definitions. */
export interface OpenTable {
  record: TableRecord;
  key: KeyDef;
  indexes: { record: IndexRecord; key: KeyDef }[];
}

export class DynamoDbStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  readonly db: Sqlite;
  private readonly docs: Collection<TableRecord>;
  private readonly opened = new Map<string, OpenTable>();
  private readonly sql;
  private readonly rangeCache = new Map<string, { iterate(...params: unknown[]): IterableIterator<unknown> }>();
  private ttlTimer: TimerHandle | undefined;
  /** ClientRequestToken -> (request hash, expiry) for TransactWriteItems idempotency. */
  readonly transactTokens = new Map<string, { hash: string; expires: number }>();
  /** Stream records, written in the same SQLite transaction as their item. */
  readonly streams: StreamLog;
  private appended = 0;

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.db = scope.db;
    createTables(scope.db);
    this.streams = new StreamLog(scope.db);
    this.docs = scope.documents.collection<TableRecord>(scope.service, scope.account, scope.region, "tables");
    const db = scope.db;
    this.sql = prepareItemStatements(db);
    if (this.docs.values().some((t) => t.ttl?.enabled)) this.armTtl();
  }

  nextId(): number {
    return this.sql.nextId.get()!.value;
  }

  arnOf(name: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.account}:table/${name}`;
  }

  /** The table a TableName names (a name or the table's ARN). */
  find(nameOrArn: string): TableRecord | undefined {
    if (nameOrArn.startsWith("arn:")) {
      const name = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(nameOrArn)?.[1];
      const t = name === undefined ? undefined : this.docs.get(name);
      return t?.arn === nameOrArn ? t : undefined;
    }
    return this.docs.get(nameOrArn);
  }

  /** For data-plane operations ("Requested resource not found"). */
  open(nameOrArn: string | undefined): OpenTable {
    const cached = this.opened.get(nameOrArn ?? "");
    if (cached) return cached;
    const record = this.find(nameOrArn ?? "");
    if (!record) throw resourceNotFound();
    const open: OpenTable = {
      record,
      key: keyDefOf(record, record.keySchema),
      indexes: record.indexes.map((i) => ({ record: i, key: keyDefOf(record, i.keySchema) })),
    };
    this.opened.set(nameOrArn!, open);
    return open;
  }

  /** For control-plane operations, which name the table in their message. */
  require(nameOrArn: string | undefined): TableRecord {
    const t = this.find(nameOrArn ?? "");
    if (!t) throw tableNotFound(nameOrArn ?? "");
    return t;
  }

  list(): TableRecord[] {
    return this.docs.values().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  save(table: TableRecord): void {
    const before = this.docs.get(table.name)?.stream;
    const after = table.stream;
    const beforeArn = before?.enabled ? before.arn : undefined;
    const afterArn = after?.enabled ? after.arn : undefined;
    if (beforeArn !== afterArn) {
      if (beforeArn) this.streams.closeStream(beforeArn, this.clock.now());
      if (afterArn) {
        this.streams.openStream({
          arn: afterArn, account: this.account, region: this.region, tableName: table.name, label: after!.label!,
          viewType: after!.viewType!, keySchema: table.keySchema as StreamKeySchema, createdAt: this.clock.now(),
        });
      }
    }
    this.docs.put(table.name, table);
    this.opened.clear();
    if (table.ttl?.enabled) this.armTtl();
  }

  drop(table: TableRecord): void {
    this.db.transaction(() => {
      this.sql.dropTable.run(table.id);
      for (const i of table.indexes) this.sql.dropIndex.run(i.id);
      if (table.stream?.enabled && table.stream.arn) this.streams.closeStream(table.stream.arn, this.clock.now());
      this.docs.delete(table.name);
    })();
    this.opened.clear();
  }

  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn)();
  }

  get(table: OpenTable, pk: Buffer, sk: Buffer): StoredItem | undefined {
    const row = this.sql.get.get(table.record.id, pk, sk);
    return row && new StoredItem(pk, sk, row.item, row.size);
  }

  /** Writes (or, with `item` undefined, deletes) one item and its index entries.
   *  Call inside a transaction when it must be atomic with other writes. */
  write(table: OpenTable, pk: Buffer, sk: Buffer, old: Item | undefined, item: Item | undefined, size = 0, text?: string): void {
    const id = table.record.id;
    if (item) this.sql.put.run(id, pk, sk, text ?? encodeItem(item), size, this.expiryOf(table.record, item));
    else this.sql.del.run(id, pk, sk);
    for (const index of table.indexes) {
      const before = old && storageKey(old, index.key);
      const after = item && storageKey(item, index.key);
      if (before && after && before.pk.equals(after.pk) && before.sk.equals(after.sk)) continue;
      if (before) this.sql.delEntry.run(index.record.id, before.pk, before.sk, pk, sk);
      if (after) this.sql.putEntry.run(index.record.id, after.pk, after.sk, pk, sk);
    }
  }

  private expiryOf(table: TableRecord, item: Item): number | null {
    if (!table.ttl?.enabled) return null;
    const v = item[table.ttl.attribute];
    if (!v || !("N" in v)) return null;
    const n = Number(v.N);
    return Number.isFinite(n) ? Math.floor(n) : null;
  }

  /** Items of one partition in sort-key order, of the table or one of its indexes. */
  *query(table: OpenTable, index: IndexRecord | undefined, pk: Buffer, range: KeyRange, forward: boolean): Generator<StoredItem> {
    const statement = this.rangeStatement(index !== undefined, range, forward);
    const params: unknown[] = index ? [table.record.id, index.id, pk] : [table.record.id, pk];
    if (range.lower) params.push(range.lower.key);
    if (range.upper) params.push(range.upper.key);
    for (const row of statement.iterate(...params) as Iterable<Row>) {
      yield new StoredItem(row.pk, row.sk, row.item, row.size);
    }
  }

  /** The SQL of a partition range read (exposed so a test can EXPLAIN it). */
  rangeSql(onIndex: boolean, range: KeyRange, forward: boolean): string {
    return rangeSql(onIndex, range, forward);
  }

  private rangeStatement(onIndex: boolean, range: KeyRange, forward: boolean) {
    const sql = this.rangeSql(onIndex, range, forward);
    let st = this.rangeCache.get(sql);
    if (!st) {
      st = this.db.prepare(sql) as unknown as { iterate(...params: unknown[]): IterableIterator<unknown> };
      this.rangeCache.set(sql, st);
    }
    return st;
  }

  /** Every item of a table in key order, after an exclusive start key. */
  *scan(table: OpenTable, after?: { pk: Buffer; sk: Buffer }): Generator<StoredItem> {
    const rows = (after ? this.sql.scanFrom.iterate(table.record.id, after.pk, after.sk) : this.sql.all.iterate(table.record.id)) as Iterable<Row>;
    for (const row of rows) yield new StoredItem(row.pk, row.sk, row.item, row.size);
  }

  stats(table: TableRecord): TableStats {
    const s = this.sql.stats.get(table.id)!;
    const indexes = new Map<number, { itemCount: number; sizeBytes: number }>();
    for (const i of table.indexes) {
      const x = this.sql.indexStats.get(table.id, i.id)!;
      indexes.set(i.id, { itemCount: x.n, sizeBytes: x.bytes ?? 0 });
    }
    return { itemCount: s.n, sizeBytes: s.bytes ?? 0, indexes };
  }

  /** An item collection's size: its items, plus, for each LSI, the items the
   *  index holds (counted whole, an upper bound of what the index projects). */
  collectionBytes(table: OpenTable, pk: Buffer): number {
    const bytes = this.sql.partitionBytes.get(table.record.id, pk)?.bytes ?? 0;
    const lsis = table.indexes.filter((i) => i.record.kind === "LSI").length;
    return bytes * (1 + lsis);
  }

  /** Fills a new GSI's entries from the table's items (UpdateTable's backfill). */
  backfill(table: TableRecord, index: IndexRecord): void {
    const key = keyDefOf(table, index.keySchema);
    this.transaction(() => {
      for (const row of this.sql.all.all(table.id)) {
        const k = storageKey(decodeItem(row.item), key);
        if (k) this.sql.putEntry.run(index.id, k.pk, k.sk, row.pk, row.sk);
      }
    });
  }

  dropIndex(index: IndexRecord): void {
    this.sql.dropIndex.run(index.id);
  }

  /** Recomputes every item's expiry when TTL is enabled, disabled or renamed. */
  reindexExpiry(table: TableRecord): void {
    this.transaction(() => {
      this.sql.clearExpiry.run(table.id);
      if (!table.ttl?.enabled) return;
      for (const row of this.sql.all.all(table.id)) {
        const e = this.expiryOf(table, decodeItem(row.item));
        if (e !== null) this.sql.setExpiry.run(e, table.id, row.pk, row.sk);
      }
    });
  }

  /** Writes one item change (`item` undefined: a delete) and its stream record.
   *  A write that leaves the item as it was changes nothing and records nothing
   *  (AWS emits no stream record for a PutItem of an identical item). */
  change(table: OpenTable, pk: Buffer, sk: Buffer, current: StoredItem | undefined, item: Item | undefined, size: number, byService: boolean): void {
    const text = item === undefined ? undefined : encodeItem(item);
    if (current !== undefined && current.text === text) return;
    const stream = table.record.stream?.enabled ? table.record.stream : undefined;
    const old = current === undefined || (stream === undefined && table.indexes.length === 0) ? undefined : current.item;
    if (stream && old !== undefined && item !== undefined && itemsEqual(old, item)) return;
    this.write(table, pk, sk, old, item, size, text);
    if (stream?.arn) this.recordChange(table, stream.arn, stream.viewType ?? "KEYS_ONLY", old, item, byService);
  }

  private recordChange(table: OpenTable, arn: string, view: string, old: Item | undefined, item: Item | undefined, byService: boolean): void {
    const keys = keyOf((item ?? old)!, table.key);
    const withNew = view === "NEW_IMAGE" || view === "NEW_AND_OLD_IMAGES";
    const withOld = view === "OLD_IMAGE" || view === "NEW_AND_OLD_IMAGES";
    const now = this.clock.now();
    const record: StoredStreamRecord = {
      id: crypto.randomUUID().replace(/-/g, ""),
      name: old === undefined ? "INSERT" : item === undefined ? "REMOVE" : "MODIFY",
      region: this.region,
      time: now,
      view,
      keys: encodeItem(keys),
      size: itemSize(keys) + (withNew && item ? itemSize(item) : 0) + (withOld && old ? itemSize(old) : 0),
    };
    if (withNew && item) record.new = encodeItem(item);
    if (withOld && old) record.old = encodeItem(old);
    if (byService) record.service = true;
    this.streams.append(arn, now, JSON.stringify(record));
    // Retention: trimming now and then keeps a busy stream's table bounded.
    if (++this.appended % 1000 === 0) this.streams.trim(now);
  }

  private armTtl(): void {
    if (this.ttlTimer) return;
    this.ttlTimer = this.clock.after(DynamoDbLimits.ttlSweepMs, () => {
      this.ttlTimer = undefined;
      this.sweepTtl();
      if (this.docs.values().some((t) => t.ttl?.enabled)) this.armTtl();
    });
  }

  /** Deletes items whose TTL attribute (epoch seconds) has passed, as the TTL process does. */
  sweepTtl(): number {
    const now = Math.floor(this.clock.now() / 1000);
    let deleted = 0;
    for (const record of this.docs.values()) {
      if (!record.ttl?.enabled) continue;
      const table = this.open(record.name);
      for (;;) {
        const rows = this.sql.expired.all(record.id, now);
        if (rows.length === 0) break;
        this.transaction(() => {
          for (const row of rows) this.change(table, row.pk, row.sk, new StoredItem(row.pk, row.sk, row.item, row.size), undefined, 0, true);
        });
        deleted += rows.length;
      }
    }
    return deleted;
  }
}
