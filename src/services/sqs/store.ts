import type { Clock } from "../../platform/clock.js";
import type { Sqlite } from "../../storage/database.js";
import type { Collection } from "../../storage/documents.js";
import type { StoreScope } from "../service.js";
import { queueDoesNotExist } from "./errors.js";
import { Queue } from "./queue.js";
import type { MessageRecord, QueueRecord } from "./records.js";

// One account and region's queues: queue documents in the DocumentStore, messages
// in the sqs_messages table, both loaded once into memory and written through on
// every change (better-sqlite3 is synchronous, so a send is in the WAL before it is
// acknowledged).

const TABLE = "sqs_messages";

export function createTables(db: Sqlite): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, id TEXT NOT NULL,
    seq INTEGER NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (account, region, queue, id)) WITHOUT ROWID`);
}

export function resetTables(db: Sqlite): void {
  createTables(db);
  db.exec(`DELETE FROM ${TABLE}`);
}

export class SqsStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  private readonly docs: Collection<QueueRecord>;
  private readonly queues = new Map<string, Queue>();
  private readonly upsert;
  private readonly remove;
  private readonly removeQueue;
  private lastSeq = 0;

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    createTables(scope.db);
    this.docs = scope.documents.collection<QueueRecord>(scope.service, scope.account, scope.region, "queues");
    this.upsert = scope.db.prepare(
      `INSERT INTO ${TABLE} (account, region, queue, id, seq, doc) VALUES (?, ?, ?, ?, ?, ?) ` +
        "ON CONFLICT (account, region, queue, id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc",
    );
    this.remove = scope.db.prepare(`DELETE FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ? AND id = ?`);
    this.removeQueue = scope.db.prepare(`DELETE FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ?`);
    for (const record of this.docs.values()) this.queues.set(record.name, this.open(record));
    const rows = scope.db
      .prepare<[string, string], { queue: string; doc: string }>(`SELECT queue, doc FROM ${TABLE} WHERE account = ? AND region = ? ORDER BY seq`)
      .all(this.account, this.region);
    for (const row of rows) {
      const message = JSON.parse(row.doc) as MessageRecord;
      this.queues.get(row.queue)?.messages.set(message.id, message);
      this.lastSeq = Math.max(this.lastSeq, message.seq);
    }
  }

  private open(record: QueueRecord): Queue {
    return new Queue(record, this.clock, {
      save: (queue, m) => this.upsert.run(this.account, this.region, queue.name, m.id, m.seq, JSON.stringify(m)),
      drop: (queue, m) => this.remove.run(this.account, this.region, queue.name, m.id),
      deadLetterQueue: (arn) => this.byArn(arn),
    });
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
    this.removeQueue.run(this.account, this.region, queue.name);
    this.queues.delete(queue.name);
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
