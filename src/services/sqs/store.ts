import type { Clock } from "../../platform/clock.js";
import type { Sqlite } from "../../storage/database.js";
import type { Collection } from "../../storage/documents.js";
import type { StoreScope } from "../service.js";
import { queueDoesNotExist } from "./errors.js";
import { MoveTasks, type MoveTaskRecord } from "./move-tasks.js";
import { Queue } from "./queue.js";
import type { MessageRecord, QueueRecord } from "./records.js";

// One account and region's queues: queue documents in the DocumentStore, messages
// in the sqs_messages table, both loaded once into memory and written through on
// every change (better-sqlite3 is synchronous, so a send is in the WAL before it is
// acknowledged).

// Keyed by enqueue order within the queue (seq only grows in a queue): appends land
// at the key index's right edge. A rowid table with that key (not WITHOUT ROWID, which
// SQLite advises against for rows of a kilobyte): an insert of a 1 KB message costs
// ~5 us, against ~11 us WITHOUT ROWID and ~100 us keyed by the random message id.
const TABLE = "sqs_message_rows";
/** Earlier layouts, moved into TABLE once when a data directory still has them. */
const OLD_TABLES = ["sqs_messages", "sqs_messages_v2"];
/** What receives change, apart from the message (an upsert into a small table costs a
 *  third of rewriting the message's row). */
const STATE = "sqs_message_state";
/** FIFO deduplication ids within their 5-minute window, so a restart keeps exactly-once. */
const DEDUP = "sqs_dedup";

export function createTables(db: Sqlite): void {
  // `doc` is the message as sent; STATE holds what receives change (stateOf), so a
  // receive writes a short string instead of re-serializing and rewriting the message.
  db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (account, region, queue, seq))`);
  db.exec(`CREATE TABLE IF NOT EXISTS ${STATE} (
    account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, seq INTEGER NOT NULL, state TEXT NOT NULL,
    PRIMARY KEY (account, region, queue, seq)) WITHOUT ROWID`);
  for (const old of OLD_TABLES) {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(old)) {
      db.exec(`INSERT OR IGNORE INTO ${TABLE} (account, region, queue, seq, doc) SELECT account, region, queue, seq, doc FROM ${old}; DROP TABLE ${old}`);
    }
  }
  db.exec(`CREATE TABLE IF NOT EXISTS ${DEDUP} (
    account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, key TEXT NOT NULL,
    message_id TEXT NOT NULL, sequence_number TEXT, expires_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, queue, key)) WITHOUT ROWID`);
}

export function resetTables(db: Sqlite): void {
  createTables(db);
  db.exec(`DELETE FROM ${TABLE}`);
  db.exec(`DELETE FROM ${STATE}`);
  db.exec(`DELETE FROM ${DEDUP}`);
}

export class SqsStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  private readonly docs: Collection<QueueRecord>;
  private readonly queues = new Map<string, Queue>();
  private readonly upsert;
  private readonly updateState;
  private readonly remove: (queue: string, seq: number, received: boolean) => void;
  private readonly removeQueue: (queue: string) => void;
  private readonly upsertDedup;
  private readonly pruneDedup;
  private readonly removeQueueDedup;
  private readonly db: Sqlite;
  readonly moveTasks: MoveTasks;
  /** One transaction wrapper, made once (better-sqlite3 builds a function per call of db.transaction). */
  private readonly transaction: (fn: () => unknown) => unknown;
  private lastDedupPrune = 0;
  private lastSeq = 0;

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.db = scope.db;
    this.transaction = scope.db.transaction((fn: () => unknown) => fn());
    createTables(scope.db);
    this.docs = scope.documents.collection<QueueRecord>(scope.service, scope.account, scope.region, "queues");
    // Sequence numbers never repeat, so a message's row is new (and has no state row).
    this.upsert = scope.db.prepare(`INSERT OR REPLACE INTO ${TABLE} (account, region, queue, seq, doc) VALUES (?, ?, ?, ?, ?)`);
    this.updateState = scope.db.prepare(
      `INSERT INTO ${STATE} (account, region, queue, seq, state) VALUES (?, ?, ?, ?, ?) ` +
        "ON CONFLICT (account, region, queue, seq) DO UPDATE SET state = excluded.state",
    );
    const removeRow = scope.db.prepare(`DELETE FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ? AND seq = ?`);
    const removeState = scope.db.prepare(`DELETE FROM ${STATE} WHERE account = ? AND region = ? AND queue = ? AND seq = ?`);
    this.remove = (queue: string, seq: number, received: boolean) => {
      removeRow.run(this.account, this.region, queue, seq);
      if (received) removeState.run(this.account, this.region, queue, seq);
    };
    const removeRows = scope.db.prepare(`DELETE FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ?`);
    const removeStates = scope.db.prepare(`DELETE FROM ${STATE} WHERE account = ? AND region = ? AND queue = ?`);
    this.removeQueue = (queue: string) => {
      removeRows.run(this.account, this.region, queue);
      removeStates.run(this.account, this.region, queue);
    };
    this.upsertDedup = scope.db.prepare(
      `INSERT INTO ${DEDUP} (account, region, queue, key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ` +
        "ON CONFLICT (account, region, queue, key) DO UPDATE SET message_id = excluded.message_id, sequence_number = excluded.sequence_number, expires_at = excluded.expires_at",
    );
    this.pruneDedup = scope.db.prepare(`DELETE FROM ${DEDUP} WHERE account = ? AND region = ? AND expires_at <= ?`);
    this.removeQueueDedup = scope.db.prepare(`DELETE FROM ${DEDUP} WHERE account = ? AND region = ? AND queue = ?`);
    for (const record of this.docs.values()) this.queues.set(record.name, this.open(record));
    const rows = scope.db
      .prepare<[string, string], { queue: string; doc: string; state: string | null }>(
        `SELECT m.queue, m.doc, s.state FROM ${TABLE} m LEFT JOIN ${STATE} s ` +
          "ON s.account = m.account AND s.region = m.region AND s.queue = m.queue AND s.seq = m.seq " +
          "WHERE m.account = ? AND m.region = ? ORDER BY m.seq",
      )
      .all(this.account, this.region);
    for (const row of rows) {
      const message = JSON.parse(row.doc) as MessageRecord;
      if (row.state !== null) applyState(message, row.state);
      this.queues.get(row.queue)?.load(message);
      this.lastSeq = Math.max(this.lastSeq, message.seq);
    }
    this.moveTasks = new MoveTasks(scope.documents.collection<MoveTaskRecord>(scope.service, scope.account, scope.region, "moveTasks"), this);
    const dedups = scope.db
      .prepare<[string, string, number], { queue: string; key: string; message_id: string; sequence_number: string | null; expires_at: number }>(
        `SELECT queue, key, message_id, sequence_number, expires_at FROM ${DEDUP} WHERE account = ? AND region = ? AND expires_at > ? ORDER BY expires_at`,
      )
      .all(this.account, this.region, this.clock.now());
    for (const d of dedups) {
      this.queues.get(d.queue)?.loadDedup(d.key, { messageId: d.message_id, sequenceNumber: d.sequence_number ?? undefined, expiresAt: d.expires_at });
    }
  }

  private open(record: QueueRecord): Queue {
    return new Queue(record, this.clock, {
      save: (queue, m) => this.upsert.run(this.account, this.region, queue.name, m.seq, JSON.stringify(m)),
      saveState: (queue, m) => this.updateState.run(this.account, this.region, queue.name, m.seq, stateOf(m)),
      // A message never received has no state row.
      drop: (queue, m) => this.remove(queue.name, m.seq, m.receiveCount > 0),
      dropAll: (queue) => this.removeQueue(queue.name),
      nextSeq: () => this.nextSeq(),
      saveDedup: (queue, key, d) => {
        this.upsertDedup.run(this.account, this.region, queue.name, key, d.messageId, d.sequenceNumber ?? null, d.expiresAt);
        // Expired ids leave memory as they go, and the table once a minute (a scan of a few minutes' sends).
        const now = this.clock.now();
        if (now - this.lastDedupPrune > 60_000) {
          this.lastDedupPrune = now;
          this.pruneDedup.run(this.account, this.region, now);
        }
      },
      deadLetterQueue: (arn) => this.byArn(arn),
    });
  }

  /** Runs `fn`'s writes as one SQLite transaction (a batch or a receive of 10: one commit, not 10). */
  atomically<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.transaction(fn) as T;
  }

  /** The next enqueue order number: increasing across restarts (time-based floor). */
  nextSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, this.clock.now() * 1000);
    return this.lastSeq;
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.account}:${name}`;
  }

  get(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  byArn(arn: string): Queue | undefined {
    const name = arn.split(":")[5];
    const queue = name === undefined ? undefined : this.queues.get(name);
    return queue?.arn === arn ? queue : undefined;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  create(record: QueueRecord): Queue {
    this.docs.put(record.name, record);
    const queue = this.open(record);
    this.queues.set(record.name, queue);
    return queue;
  }

  /** Persists a changed queue record (attributes, tags, purge time). */
  save(queue: Queue): void {
    this.docs.put(queue.name, queue.record);
  }

  delete(queue: Queue): void {
    this.docs.delete(queue.name);
    this.removeQueue(queue.name);
    this.removeQueueDedup.run(this.account, this.region, queue.name);
    this.queues.delete(queue.name);
    this.moveTasks.dropSource(queue.arn);
    queue.deleted = true;
    queue.notify();
  }

  /** The queue a QueueUrl names: any host, `/<account>/<name>` as the path. */
  requireQueue(queueUrl: string | undefined): Queue {
    const queue = this.queueOfUrl(queueUrl);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  queueOfUrl(queueUrl: string | undefined): Queue | undefined {
    const parsed = parseQueueUrl(queueUrl ?? "");
    if (!parsed || parsed.account !== this.account) return undefined;
    return this.queues.get(parsed.name);
  }
}

/** The fields a receive or a visibility change sets, as "visibleAt,receiveCount,first,last,receipt". */
function stateOf(m: MessageRecord): string {
  return `${m.visibleAt},${m.receiveCount},${m.firstReceivedAt ?? ""},${m.lastReceivedAt ?? ""},${m.receipt ?? ""}`;
}

function applyState(m: MessageRecord, state: string): void {
  const [visibleAt, receiveCount, first, last, receipt] = state.split(",");
  m.visibleAt = Number(visibleAt);
  m.receiveCount = Number(receiveCount);
  if (first) m.firstReceivedAt = Number(first);
  if (last) m.lastReceivedAt = Number(last);
  if (receipt) m.receipt = receipt;
}

/** Account and name from a queue URL's path, whatever its scheme and host. */
export function parseQueueUrl(url: string): { account: string; name: string } | undefined {
  let path = url;
  const scheme = url.indexOf("://");
  if (scheme >= 0) {
    const slash = url.indexOf("/", scheme + 3);
    path = slash < 0 ? "" : url.slice(slash);
  }
  const parts = path.split(/[?#]/)[0].split("/").filter(Boolean);
  if (parts.length < 2) return undefined;
  const [account, name] = parts.slice(-2);
  if (!/^\d{12}$/.test(account)) return undefined;
  try {
    return { account, name: decodeURIComponent(name) };
  } catch {
    return undefined;
  }
}

/** The URL clients get: the host they used (LocalStack's convention), else localhost. */
export function queueUrl(host: string | undefined, account: string, name: string): string {
  return `http://${host ?? "localhost:4566"}/${account}/${name}`;
}
