import type { Clock } from "../../platform/clock.js";
import type { Sqlite } from "../../storage/database.js";
import type { Collection } from "../../storage/documents.js";
import type { StoreScope } from "../service.js";
import { queueDoesNotExist } from "./errors.js";
import { MoveTasks, type MoveTaskRecord } from "./move-tasks.js";
import { Queue } from "./queue.js";
import { HeldMessages } from "./held-messages.js";
import { clearMessageTables, createMessageTables, MessageRows } from "./message-rows.js";
import type { MessageStorage } from "./message-storage.js";
import { newEpoch } from "./receipt-handles.js";
import type { QueueRecord } from "./records.js";

// One account and region's queues: queue documents in the DocumentStore; with a data
// directory, messages in the messages table, written through on every change
// (better-sqlite3 is synchronous, so a send is in the WAL before it is acknowledged),
// without one, in memory (held-messages.ts). Queues are loaded into memory once,
// messages only as their small QueuedMessage: bodies and attributes are read from
// SQLite when a receive returns them, so memory does not hold every byte twice
// (300k queued small messages: 394 MiB of RSS before, 221 after).

/**
 * Seqs (a message's place in its queue, its key in memory and in SQLite) count up
 * under a persisted bound, raised a block at a time: after a restart they go on above
 * every seq handed out, deleted messages' included, so an old receipt handle never
 * names a newer message. Small integers, which V8 keeps unboxed: the time-based
 * numbers used before cost 32 more bytes per queued message.
 */
const SEQ_BLOCK = 65_536;

interface SequenceRecord {
  bound: number;
  epoch: string;
}

/** FIFO deduplication ids within their 5-minute window, so a restart keeps exactly-once. */
const DEDUP = "sqs_dedup";

export function createTables(db: Sqlite): void {
  createMessageTables(db);
  db.exec(`CREATE TABLE IF NOT EXISTS ${DEDUP} (
    account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, key TEXT NOT NULL,
    message_id TEXT NOT NULL, sequence_number TEXT, expires_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, queue, key)) WITHOUT ROWID`);
}

export function resetTables(db: Sqlite): void {
  createTables(db);
  clearMessageTables(db);
  db.exec(`DELETE FROM ${DEDUP}`);
}

export class SqsStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  private readonly docs: Collection<QueueRecord>;
  private readonly queues = new Map<string, Queue>();
  private readonly rows: MessageStorage;
  private readonly upsertDedup;
  private readonly pruneDedup;
  private readonly removeQueueDedup;
  private readonly selectDedup;
  private readonly db: Sqlite;
  readonly moveTasks: MoveTasks;
  /** One transaction wrapper, made once (better-sqlite3 builds a function per call of db.transaction). */
  private readonly transaction: (fn: () => unknown) => unknown;
  private lastDedupPrune = 0;
  private lastSeq = 0;
  private seqBound: number;
  private readonly sequence: Collection<SequenceRecord>;
  /** This store's incarnation: receipt handles from before a reset (or an in-memory restart) carry another. */
  private readonly epoch: string;

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.db = scope.db;
    this.transaction = scope.db.transaction((fn: () => unknown) => fn());
    createTables(scope.db);
    this.docs = scope.documents.collection<QueueRecord>(scope.service, scope.account, scope.region, "queues");
    this.rows = scope.db.memory ? new HeldMessages() : new MessageRows(scope.db, scope.account, scope.region);
    this.sequence = scope.documents.collection<SequenceRecord>(scope.service, scope.account, scope.region, "sequence");
    const stored = this.sequence.get("seq");
    this.epoch = stored?.epoch ?? newEpoch();
    this.seqBound = stored?.bound ?? 0;
    if (!stored) this.sequence.put("seq", { bound: this.seqBound, epoch: this.epoch });
    this.upsertDedup = scope.db.prepare(
      `INSERT INTO ${DEDUP} (account, region, queue, key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ` +
        "ON CONFLICT (account, region, queue, key) DO UPDATE SET message_id = excluded.message_id, sequence_number = excluded.sequence_number, expires_at = excluded.expires_at",
    );
    this.pruneDedup = scope.db.prepare(`DELETE FROM ${DEDUP} WHERE account = ? AND region = ? AND expires_at <= ?`);
    this.removeQueueDedup = scope.db.prepare(`DELETE FROM ${DEDUP} WHERE account = ? AND region = ? AND queue = ?`);
    this.selectDedup = scope.db.prepare<[string, string, string, string], { message_id: string; sequence_number: string | null; expires_at: number }>(
      `SELECT message_id, sequence_number, expires_at FROM ${DEDUP} WHERE account = ? AND region = ? AND queue = ? AND key = ?`,
    );
    for (const record of this.docs.values()) this.queues.set(record.name, this.open(record));
    for (const { queue, message, sentAt } of this.rows.loadAll()) {
      this.queues.get(queue)?.load(message, sentAt);
      this.lastSeq = Math.max(this.lastSeq, message.seq);
    }
    // Past the last block handed out (its unused rest is skipped).
    this.lastSeq = Math.max(this.lastSeq, this.seqBound);
    this.moveTasks = new MoveTasks(scope.documents.collection<MoveTaskRecord>(scope.service, scope.account, scope.region, "moveTasks"), this);
    const dedups = scope.db
      .prepare<[string, string, number], { queue: string; key: string; expires_at: number }>(
        `SELECT queue, key, expires_at FROM ${DEDUP} WHERE account = ? AND region = ? AND expires_at > ? ORDER BY expires_at`,
      )
      .iterate(this.account, this.region, this.clock.now());
    for (const d of dedups) this.queues.get(d.queue)?.loadDedup(d.key, d.expires_at);
  }

  private open(record: QueueRecord): Queue {
    return new Queue(record, this.clock, {
      save: (queue, m) => this.rows.save(queue.name, m),
      read: (queue, messages) => this.rows.read(queue.name, messages),
      saveState: (queue, m) => this.rows.saveState(queue.name, m),
      drop: (queue, m) => this.rows.drop(queue.name, m),
      dropAll: (queue) => this.rows.dropQueue(queue.name),
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
      readDedup: (queue, key) => {
        const row = this.selectDedup.get(this.account, this.region, queue.name, key);
        return row && { messageId: row.message_id, sequenceNumber: row.sequence_number ?? undefined, expiresAt: row.expires_at };
      },
      deadLetterQueue: (arn) => this.byArn(arn),
    }, this.epoch);
  }

  /** Runs `fn`'s writes as one SQLite transaction (a batch or a receive of 10: one commit,
   *  and its message state changes and deletions in a few multi-row statements). */
  atomically<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.transaction(() => this.rows.batched(fn)) as T;
  }

  /** The next seq: increasing across restarts (see SEQ_BLOCK). */
  nextSeq(): number {
    this.lastSeq += 1;
    if (this.lastSeq >= this.seqBound) {
      this.seqBound = this.lastSeq + SEQ_BLOCK;
      this.sequence.put("seq", { bound: this.seqBound, epoch: this.epoch });
    }
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
    this.rows.dropQueue(queue.name);
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

// Every SQS request names its queue by URL, and clients repeat the same few URLs:
// parsed once each (the cache holds only pure results of parsing, no state).
const parsedUrls = new Map<string, { account: string; name: string } | undefined>();
const PARSED_URLS_MAX = 1024;

/** Account and name from a queue URL's path, whatever its scheme and host. */
export function parseQueueUrl(url: string): { account: string; name: string } | undefined {
  let parsed = parsedUrls.get(url);
  if (parsed === undefined && !parsedUrls.has(url)) {
    if (parsedUrls.size >= PARSED_URLS_MAX) parsedUrls.clear();
    parsed = parseQueueUrlPath(url);
    if (parsed) Object.freeze(parsed);
    parsedUrls.set(url, parsed);
  }
  return parsed;
}

function parseQueueUrlPath(url: string): { account: string; name: string } | undefined {
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
