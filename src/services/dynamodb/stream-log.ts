import type { Sqlite } from "../../storage/database.js";

// DynamoDB Streams' storage: the streams (one per table stream label, kept after
// the stream is disabled or its table deleted, as AWS keeps them for 24 hours)
// and their change records, in SQLite beside the items, so that a record is
// written in the same transaction as its item and survives a restart.
//
// Written by the dynamodb service (store.ts), read by the dynamodbstreams
// service. This file is the one exception to "service folders never import
// each other": src/services/dynamodbstreams/store.ts imports it, and only it,
// because the two services are two APIs over one body of data (as on AWS, where
// the stream is part of the table). Nothing here reaches into the dynamodb
// service's tables or documents.
//
// A stream has one shard. Sequence numbers are one counter for the whole
// database (SQLite AUTOINCREMENT never reuses a value), rendered as 21-digit
// strings, so they increase within a shard as AWS's do.

const STREAMS = "dynamodb_streams";
const RECORDS = "dynamodb_stream_records";

/** AWS keeps stream records for 24 hours. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StreamInfo {
  arn: string;
  account: string;
  region: string;
  tableName: string;
  label: string;
  viewType: string;
  keySchema: { AttributeName: string; KeyType: string }[];
  createdAt: number;
  /** When the stream was disabled (or its table deleted): its shard is closed. */
  disabledAt: number | null;
}

/** A stream record as stored: images as item-codec text. */
export interface StoredStreamRecord {
  id: string;
  name: "INSERT" | "MODIFY" | "REMOVE";
  region: string;
  time: number;
  view: string;
  keys: string;
  new?: string;
  old?: string;
  size: number;
  /** Deleted by the TTL process. */
  service?: true;
}

export interface StreamRecordRow {
  seq: number;
  created: number;
  /** The record as GetRecords returns it, without its SequenceNumber (JSON). */
  record: string;
}

interface StreamRow {
  arn: string;
  account: string;
  region: string;
  table_name: string;
  label: string;
  view_type: string;
  key_schema: string;
  created: number;
  disabled: number | null;
}

export function createStreamTables(db: Sqlite): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${STREAMS} (
      arn TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, table_name TEXT NOT NULL, label TEXT NOT NULL,
      view_type TEXT NOT NULL, key_schema TEXT NOT NULL, created INTEGER NOT NULL, disabled INTEGER);
    CREATE TABLE IF NOT EXISTS ${RECORDS} (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, arn TEXT NOT NULL, created INTEGER NOT NULL, record TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${RECORDS}_arn ON ${RECORDS} (arn, seq);`);
}

export function resetStreamTables(db: Sqlite): void {
  createStreamTables(db);
  db.exec(`DELETE FROM ${STREAMS}; DELETE FROM ${RECORDS};`);
}

/** A sequence number as AWS renders it: a decimal string of 21 digits or more. */
export function formatSequenceNumber(seq: number): string {
  return `1${String(seq).padStart(20, "0")}`;
}

/** The counter behind a sequence number, or undefined when it is not one of ours. */
export function parseSequenceNumber(text: string): number | undefined {
  if (!/^1\d{20}$/.test(text)) return undefined;
  const n = Number(text.slice(1));
  return Number.isSafeInteger(n) ? n : undefined;
}

function toInfo(r: StreamRow): StreamInfo {
  return {
    arn: r.arn, account: r.account, region: r.region, tableName: r.table_name, label: r.label, viewType: r.view_type,
    keySchema: JSON.parse(r.key_schema), createdAt: r.created, disabledAt: r.disabled,
  };
}

/** The streams and records of one database: every account and region. */
export class StreamLog {
  private readonly sql;

  constructor(private readonly db: Sqlite) {
    createStreamTables(db);
    this.sql = {
      open: db.prepare(`INSERT OR REPLACE INTO ${STREAMS} (arn, account, region, table_name, label, view_type, key_schema, created, disabled)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`),
      close: db.prepare(`UPDATE ${STREAMS} SET disabled = ? WHERE arn = ? AND disabled IS NULL`),
      get: db.prepare<[string], StreamRow>(`SELECT * FROM ${STREAMS} WHERE arn = ?`),
      list: db.prepare<[string, string], StreamRow>(`SELECT * FROM ${STREAMS} WHERE account = ? AND region = ? ORDER BY created, arn`),
      append: db.prepare(`INSERT INTO ${RECORDS} (arn, created, record) VALUES (?, ?, ?)`),
      read: db.prepare<[string, number, number, number], StreamRecordRow>(
        `SELECT seq, created, record FROM ${RECORDS} WHERE arn = ? AND seq > ? AND created >= ? ORDER BY seq LIMIT ?`),
      first: db.prepare<[string, number], { seq: number }>(`SELECT seq FROM ${RECORDS} WHERE arn = ? AND created >= ? ORDER BY seq LIMIT 1`),
      last: db.prepare<[string], { seq: number }>(`SELECT seq FROM ${RECORDS} WHERE arn = ? ORDER BY seq DESC LIMIT 1`),
      top: db.prepare<[], { seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = '${RECORDS}'`),
      trim: db.prepare(`DELETE FROM ${RECORDS} WHERE created < ?`),
      trimStreams: db.prepare(`DELETE FROM ${STREAMS} WHERE disabled IS NOT NULL AND disabled < ?`),
    };
  }

  openStream(s: Omit<StreamInfo, "disabledAt">): void {
    this.sql.open.run(s.arn, s.account, s.region, s.tableName, s.label, s.viewType, JSON.stringify(s.keySchema), s.createdAt);
  }

  closeStream(arn: string, now: number): void {
    this.sql.close.run(now, arn);
  }

  stream(arn: string): StreamInfo | undefined {
    const r = this.sql.get.get(arn);
    return r && toInfo(r);
  }

  streams(account: string, region: string): StreamInfo[] {
    return this.sql.list.all(account, region).map(toInfo);
  }

  /** Appends a record; returns its sequence number's counter. */
  append(arn: string, created: number, record: string): number {
    return Number(this.sql.append.run(arn, created, record).lastInsertRowid);
  }

  /** Records after `afterSeq`, oldest first, within retention. */
  read(arn: string, afterSeq: number, limit: number, now: number): StreamRecordRow[] {
    return this.sql.read.all(arn, afterSeq, now - STREAM_RETENTION_MS, limit);
  }

  /** The oldest retained record's counter, if any. */
  firstSeq(arn: string, now: number): number | undefined {
    return this.sql.first.get(arn, now - STREAM_RETENTION_MS)?.seq;
  }

  lastSeq(arn: string): number | undefined {
    return this.sql.last.get(arn)?.seq;
  }

  /** The largest counter ever issued (0 before the first record). */
  topSeq(): number {
    return this.sql.top.get()?.seq ?? 0;
  }

  /** Forgets records past retention, and streams closed for longer than that. */
  trim(now: number): void {
    this.sql.trim.run(now - STREAM_RETENTION_MS);
    this.sql.trimStreams.run(now - STREAM_RETENTION_MS);
  }
}

export { decodeItem as decodeImage } from "./item-codec.js";
