import type { Clock } from "../../platform/clock.js";
import type { Sqlite } from "../../storage/database.js";
import type { Collection } from "../../storage/documents.js";
import type { StoreScope } from "../service.js";
import { groupExists, groupNotFound, streamExists, streamNotFound } from "./errors.js";
import type { GroupRef } from "./types.js";

// One account and region's log groups, streams and events. Groups and streams are
// documents; events live in the logs_events table and, for reads, in memory, each
// stream's sorted by timestamp (then arrival), as GetLogEvents returns them.
// Retention is applied on Terrarium's clock whenever a group is read or written:
// an event older than the group's retention is gone, as if AWS had deleted it.

const EVENTS = "logs_events";

export function createTables(db: Sqlite): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${EVENTS} (
    account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL,
    ts INTEGER NOT NULL, ingestion INTEGER NOT NULL, message TEXT NOT NULL,
    PRIMARY KEY (account, region, grp, stream, seq)) WITHOUT ROWID`);
}

export function resetTables(db: Sqlite): void {
  createTables(db);
  db.exec(`DELETE FROM ${EVENTS}`);
}

export interface GroupRecord {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
}

export interface StreamRecord {
  group: string;
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
}

export interface StoredEvent {
  seq: number;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

export interface Stream {
  record: StreamRecord;
  events: StoredEvent[];
}

export class LogsStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  private readonly groupDocs: Collection<GroupRecord>;
  private readonly streamDocs: Collection<StreamRecord>;
  private readonly streams = new Map<string, Map<string, Stream>>();
  private seq = 0;
  private readonly insert;
  private readonly deleteStream;
  private readonly deleteGroup;
  private readonly deleteOlder;
  private readonly db: Sqlite;

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.db = scope.db;
    createTables(scope.db);
    this.groupDocs = scope.documents.collection<GroupRecord>(scope.service, scope.account, scope.region, "groups");
    this.streamDocs = scope.documents.collection<StreamRecord>(scope.service, scope.account, scope.region, "streams");
    for (const group of this.groupDocs.values()) this.streams.set(group.name, new Map());
    for (const record of this.streamDocs.values()) this.streams.get(record.group)?.set(record.name, { record, events: [] });
    const rows = scope.db
      .prepare<[string, string], { grp: string; stream: string; seq: number; ts: number; ingestion: number; message: string }>(
        `SELECT grp, stream, seq, ts, ingestion, message FROM ${EVENTS} WHERE account = ? AND region = ? ORDER BY ts, seq`,
      )
      .all(this.account, this.region);
    for (const row of rows) {
      this.streams.get(row.grp)?.get(row.stream)?.events.push({ seq: row.seq, timestamp: row.ts, ingestionTime: row.ingestion, message: row.message });
      this.seq = Math.max(this.seq, row.seq);
    }
    this.insert = scope.db.prepare(
      `INSERT INTO ${EVENTS} (account, region, grp, stream, seq, ts, ingestion, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteStream = scope.db.prepare(`DELETE FROM ${EVENTS} WHERE account = ? AND region = ? AND grp = ? AND stream = ?`);
    this.deleteGroup = scope.db.prepare(`DELETE FROM ${EVENTS} WHERE account = ? AND region = ? AND grp = ?`);
    this.deleteOlder = scope.db.prepare(`DELETE FROM ${EVENTS} WHERE account = ? AND region = ? AND grp = ? AND ts < ?`);
  }

  groupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${this.account}:log-group:${name}`;
  }

  // ---- groups ----

  createGroup(record: GroupRecord): void {
    if (this.groupDocs.has(record.name)) throw groupExists();
    this.groupDocs.put(record.name, record);
    this.streams.set(record.name, new Map());
  }

  groups(): GroupRecord[] {
    return this.groupDocs.values().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The group a request names (logGroupName, or logGroupIdentifier as a name or ARN). */
  requireGroup(ref: GroupRef): GroupRecord {
    const name = groupName(ref);
    const group = name === undefined ? undefined : this.groupDocs.get(name);
    if (!group) throw groupNotFound();
    this.applyRetention(group);
    return group;
  }

  saveGroup(group: GroupRecord): void {
    this.groupDocs.put(group.name, group);
    this.applyRetention(group);
  }

  deleteGroupNamed(name: string): void {
    if (!this.groupDocs.delete(name)) throw groupNotFound();
    for (const stream of this.streams.get(name)?.keys() ?? []) this.streamDocs.delete(streamKey(name, stream));
    this.streams.delete(name);
    this.deleteGroup.run(this.account, this.region, name);
  }

  // ---- streams ----

  createStream(group: GroupRecord, name: string): void {
    const streams = this.streams.get(group.name)!;
    if (streams.has(name)) throw streamExists();
    const record: StreamRecord = { group: group.name, name, creationTime: this.clock.now(), storedBytes: 0 };
    this.streamDocs.put(streamKey(group.name, name), record);
    streams.set(name, { record, events: [] });
  }

  streamsOf(group: GroupRecord): Stream[] {
    return [...(this.streams.get(group.name)?.values() ?? [])];
  }

  requireStream(group: GroupRecord, name: string | undefined): Stream {
    const stream = this.streams.get(group.name)?.get(name ?? "");
    if (!stream) throw streamNotFound();
    return stream;
  }

  deleteStreamNamed(group: GroupRecord, name: string): void {
    this.requireStream(group, name);
    this.streams.get(group.name)!.delete(name);
    this.streamDocs.delete(streamKey(group.name, name));
    this.deleteStream.run(this.account, this.region, group.name, name);
  }

  // ---- events ----

  /** Stores events (already validated), keeping the stream sorted by timestamp. */
  append(stream: Stream, events: { timestamp: number; message: string }[]): void {
    if (events.length === 0) return;
    const ingestionTime = this.clock.now();
    const list = stream.events;
    const record = stream.record;
    this.db.transaction(() => {
      for (const event of events) {
        const stored: StoredEvent = { seq: ++this.seq, timestamp: event.timestamp, ingestionTime, message: event.message };
        if (list.length === 0 || list[list.length - 1].timestamp <= stored.timestamp) list.push(stored);
        else list.splice(upperBound(list, stored.timestamp), 0, stored);
        this.insert.run(this.account, this.region, record.group, record.name, stored.seq, stored.timestamp, ingestionTime, stored.message);
        record.storedBytes += Buffer.byteLength(event.message);
      }
    })();
    record.firstEventTimestamp = list[0].timestamp;
    record.lastEventTimestamp = list[list.length - 1].timestamp;
    record.lastIngestionTime = ingestionTime;
    this.streamDocs.put(streamKey(record.group, record.name), record);
  }

  storedBytes(group: GroupRecord): number {
    let total = 0;
    for (const stream of this.streamsOf(group)) total += stream.record.storedBytes;
    return total;
  }

  /** Drops the events the group's retention has expired, by Terrarium's clock. */
  applyRetention(group: GroupRecord): void {
    if (!group.retentionInDays) return;
    const cutoff = this.clock.now() - group.retentionInDays * 86_400_000;
    let dropped = false;
    for (const stream of this.streamsOf(group)) {
      const events = stream.events;
      let n = 0;
      while (n < events.length && events[n].timestamp < cutoff) n++;
      if (n === 0) continue;
      dropped = true;
      for (const event of events.splice(0, n)) stream.record.storedBytes -= Buffer.byteLength(event.message);
      stream.record.firstEventTimestamp = events[0]?.timestamp;
      if (events.length === 0) stream.record.lastEventTimestamp = undefined;
      this.streamDocs.put(streamKey(group.name, stream.record.name), stream.record);
    }
    if (dropped) this.deleteOlder.run(this.account, this.region, group.name, cutoff);
  }
}

function streamKey(group: string, stream: string): string {
  return `${group}\n${stream}`;
}

/** logGroupName, or logGroupIdentifier as a name or an ARN ("...:log-group:<name>[:*]"). */
export function groupName(ref: GroupRef): string | undefined {
  if (ref.logGroupName !== undefined) return ref.logGroupName;
  const id = ref.logGroupIdentifier;
  if (id === undefined) return undefined;
  const arn = /^arn:[^:]+:logs:[^:]*:\d{12}:log-group:([^:]+)(?::\*)?$/.exec(id);
  return arn ? arn[1] : id;
}

/** The first index whose timestamp is greater than `timestamp`. */
function upperBound(events: StoredEvent[], timestamp: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].timestamp <= timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
