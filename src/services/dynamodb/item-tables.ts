import type { Sqlite } from "../../storage/database.js";
import { resetStreamTables } from "./stream-log.js";

// The SQLite layout of DynamoDB items: one table for every DynamoDB table's
// items, one for every secondary index's entries, and the statements that read
// and write them.
//
// Without a data directory, items and index entries live in an attached
// temporary database rather than in the in-memory one: SQLite keeps its pages
// in a page cache of at most ITEM_CACHE_KIB and writes only the overflow to an
// anonymous file it deletes on close (the OS's file cache still holds it). Items
// that fit the cache never leave memory; a million of them no longer grow the
// server's RSS by the table's size. Statements name the tables unqualified:
// SQLite finds them in whichever database holds them.

const ITEMS = "dynamodb_items";
const ENTRIES = "dynamodb_index_entries";
const SEQ = "dynamodb_sequence";
const ITEM_DB = "dynamodb_data";
const ITEM_CACHE_KIB = 16 * 1024;

/** The schema of the item tables: main with a data directory, else the attached temporary database. */
function itemSchema(db: Sqlite): string {
  if (!db.memory) return "main";
  const attached = db.pragma("database_list") as { name: string }[];
  if (!attached.some((d) => d.name === ITEM_DB)) {
    db.exec(`ATTACH DATABASE '' AS ${ITEM_DB}`);
    // 16 KiB pages hold items of a few KB in their B-tree cell; with 4 KiB pages
    // an item over ~1 KB spills to an overflow page, and each write costs more.
    db.pragma(`${ITEM_DB}.page_size = 16384`);
    db.pragma(`${ITEM_DB}.cache_size = -${ITEM_CACHE_KIB}`);
    // Nothing survives the process anyway: a rollback journal in memory, no syncs.
    db.pragma(`${ITEM_DB}.journal_mode = MEMORY`);
    db.pragma(`${ITEM_DB}.synchronous = OFF`);
  }
  return ITEM_DB;
}

export function createTables(db: Sqlite): void {
  const schema = itemSchema(db);
  db.exec(`CREATE TABLE IF NOT EXISTS ${schema}.${ITEMS} (
      table_id INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item TEXT NOT NULL, size INTEGER NOT NULL,
      expires INTEGER, PRIMARY KEY (table_id, pk, sk)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${schema}.${ITEMS}_expiry ON ${ITEMS} (table_id, expires) WHERE expires IS NOT NULL;
    CREATE TABLE IF NOT EXISTS ${schema}.${ENTRIES} (
      index_id INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, tpk BLOB NOT NULL, tsk BLOB NOT NULL,
      PRIMARY KEY (index_id, pk, sk, tpk, tsk)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${SEQ} (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT OR IGNORE INTO ${SEQ} (name, value) VALUES ('id', 0);`);
}

export function resetTables(db: Sqlite): void {
  createTables(db);
  db.exec(`DELETE FROM ${ITEMS}; DELETE FROM ${ENTRIES};`);
  resetStreamTables(db);
}

/** A sort-key range: bounds on the encoded sort key (inclusive or not). */
export interface KeyRange {
  lower?: { key: Buffer; inclusive: boolean };
  upper?: { key: Buffer; inclusive: boolean };
}

export interface ItemRow {
  pk: Buffer;
  sk: Buffer;
  item: string;
  size: number;
}

export function prepareItemStatements(db: Sqlite) {
  return {
    // A point read has its key already: reading pk and sk back costs two Buffers.
    get: db.prepare<[number, Buffer, Buffer], Pick<ItemRow, "item" | "size">>(`SELECT item, size FROM ${ITEMS} WHERE table_id = ? AND pk = ? AND sk = ?`),
    put: db.prepare(`INSERT OR REPLACE INTO ${ITEMS} (table_id, pk, sk, item, size, expires) VALUES (?, ?, ?, ?, ?, ?)`),
    del: db.prepare(`DELETE FROM ${ITEMS} WHERE table_id = ? AND pk = ? AND sk = ?`),
    putEntry: db.prepare(`INSERT OR REPLACE INTO ${ENTRIES} (index_id, pk, sk, tpk, tsk) VALUES (?, ?, ?, ?, ?)`),
    delEntry: db.prepare(`DELETE FROM ${ENTRIES} WHERE index_id = ? AND pk = ? AND sk = ? AND tpk = ? AND tsk = ?`),
    dropTable: db.prepare(`DELETE FROM ${ITEMS} WHERE table_id = ?`),
    dropIndex: db.prepare(`DELETE FROM ${ENTRIES} WHERE index_id = ?`),
    stats: db.prepare<[number], { n: number; bytes: number | null }>(`SELECT count(*) AS n, sum(size) AS bytes FROM ${ITEMS} WHERE table_id = ?`),
    indexStats: db.prepare<[number, number], { n: number; bytes: number | null }>(
      `SELECT count(*) AS n, sum(i.size) AS bytes FROM ${ENTRIES} e JOIN ${ITEMS} i ON i.table_id = ? AND i.pk = e.tpk AND i.sk = e.tsk WHERE e.index_id = ?`),
    partitionBytes: db.prepare<[number, Buffer], { bytes: number | null }>(`SELECT sum(size) AS bytes FROM ${ITEMS} WHERE table_id = ? AND pk = ?`),
    all: db.prepare<[number], ItemRow>(`SELECT pk, sk, item, size FROM ${ITEMS} WHERE table_id = ? ORDER BY pk, sk`),
    scanFrom: db.prepare<[number, Buffer, Buffer], ItemRow>(`SELECT pk, sk, item, size FROM ${ITEMS} WHERE table_id = ? AND (pk, sk) > (?, ?) ORDER BY pk, sk`),
    expired: db.prepare<[number, number], ItemRow>(`SELECT pk, sk, item, size FROM ${ITEMS} WHERE table_id = ? AND expires IS NOT NULL AND expires <= ? LIMIT 1000`),
    setExpiry: db.prepare(`UPDATE ${ITEMS} SET expires = ? WHERE table_id = ? AND pk = ? AND sk = ?`),
    clearExpiry: db.prepare(`UPDATE ${ITEMS} SET expires = NULL WHERE table_id = ? AND expires IS NOT NULL`),
    nextId: db.prepare<[], { value: number }>(`UPDATE ${SEQ} SET value = value + 1 WHERE name = 'id' RETURNING value`),
  };
}

/** The SQL of a partition range read. */
export function rangeSql(onIndex: boolean, range: KeyRange, forward: boolean): string {
  const dir = forward ? "ASC" : "DESC";
  const bounds = (col: string) =>
    (range.lower ? ` AND ${col} ${range.lower.inclusive ? ">=" : ">"} ?` : "") +
    (range.upper ? ` AND ${col} ${range.upper.inclusive ? "<=" : "<"} ?` : "");
  if (!onIndex) {
    return `SELECT pk, sk, item, size FROM ${ITEMS} WHERE table_id = ? AND pk = ?${bounds("sk")} ORDER BY sk ${dir}`;
  }
  return `SELECT i.pk AS pk, i.sk AS sk, i.item AS item, i.size AS size, e.sk AS isk FROM ${ENTRIES} e ` +
    `JOIN ${ITEMS} i ON i.table_id = ? AND i.pk = e.tpk AND i.sk = e.tsk ` +
    `WHERE e.index_id = ? AND e.pk = ?${bounds("e.sk")} ORDER BY e.sk ${dir}, e.tpk ${dir}, e.tsk ${dir}`;
}
