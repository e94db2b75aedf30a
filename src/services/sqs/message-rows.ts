import type { Sqlite } from "../../storage/database.js";
import type { LoadedMessage, MessageStorage } from "./message-storage.js";
import { queuedMessage, type MessageRecord, type QueuedMessage, type SentMessage } from "./records.js";

// Messages in SQLite: what a send wrote (body, and the rest as a JSON document) and
// what receives change (a short state string in a table of its own), keyed by
// (account, region, queue, seq). Inside SqsStore.atomically, state changes and
// deletions wait for the end of the transaction and go out as multi-row statements:
// a Receive(10) then DeleteMessageBatch costs 4 statements instead of 40.

// Keyed by enqueue order within the queue (seq only grows in a queue): appends land
// at the key index's right edge. A rowid table with that key (not WITHOUT ROWID, which
// SQLite advises against for rows of a kilobyte): an insert of a 1 KB message costs
// ~5 us, against ~11 us WITHOUT ROWID and ~100 us keyed by the random message id.
// The body has its own column: a JSON string of it would be escaped on every send
// (an SNS envelope is all quotes) and parsed on every receive.
const TABLE = "sqs_queued_messages";
/** Earlier layouts (the whole message as one JSON document), moved into TABLE once
 *  when a data directory still has them. */
const OLD_TABLES = ["sqs_messages", "sqs_messages_v2", "sqs_message_rows"];
/** What receives change, apart from the message (an upsert into a small table costs a
 *  third of rewriting the message's row). */
const STATE = "sqs_message_state";
/** Rows per multi-row statement (one statement prepared per size up to this). */
const CHUNK = 10;

export function createMessageTables(db: Sqlite): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (account, region, queue, seq))`);
  db.exec(`CREATE TABLE IF NOT EXISTS ${STATE} (
    account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, seq INTEGER NOT NULL, state TEXT NOT NULL,
    PRIMARY KEY (account, region, queue, seq)) WITHOUT ROWID`);
  for (const old of OLD_TABLES) {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(old)) migrate(db, old);
  }
}

export function clearMessageTables(db: Sqlite): void {
  db.exec(`DELETE FROM ${TABLE}`);
  db.exec(`DELETE FROM ${STATE}`);
}

type Statement = ReturnType<Sqlite["prepare"]> & { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };

export class MessageRows implements MessageStorage {
  private readonly insert: Statement;
  private readonly removeQueueRows: Statement;
  private readonly removeQueueStates: Statement;
  private readonly selectRange: Statement;
  private readonly dropRange: Statement;
  private readonly sized = new Map<string, Statement>();
  /** Inside a transaction: state changes (the last per message wins) and deletions, by queue. */
  private pending?: Map<string, { states: Map<number, QueuedMessage>; drops: QueuedMessage[] }>;

  constructor(
    private readonly db: Sqlite,
    private readonly account: string,
    private readonly region: string,
  ) {
    this.insert = db.prepare(`INSERT OR REPLACE INTO ${TABLE} (account, region, queue, seq, body, doc) VALUES (?, ?, ?, ?, ?, ?)`) as Statement;
    this.removeQueueRows = db.prepare(`DELETE FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ?`) as Statement;
    this.removeQueueStates = db.prepare(`DELETE FROM ${STATE} WHERE account = ? AND region = ? AND queue = ?`) as Statement;
    this.selectRange = db.prepare(`SELECT seq, body, doc FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ? AND seq BETWEEN ? AND ?`) as Statement;
    this.dropRange = db.prepare(`DELETE FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ? AND seq BETWEEN ? AND ?`) as Statement;
  }

  /** Every message of the scope, each queue's in enqueue order. */
  *loadAll(): Generator<LoadedMessage> {
    const rows = this.db
      .prepare<[string, string], { queue: string; seq: number; doc: string; state: string | null }>(
        `SELECT m.queue, m.seq, m.doc, s.state FROM ${TABLE} m LEFT JOIN ${STATE} s ` +
          "ON s.account = m.account AND s.region = m.region AND s.queue = m.queue AND s.seq = m.seq " +
          "WHERE m.account = ? AND m.region = ? ORDER BY m.queue, m.seq",
      )
      .iterate(this.account, this.region);
    for (const row of rows) {
      const doc = JSON.parse(row.doc) as Doc;
      const message = queuedMessage({ ...doc, seq: row.seq, visibleAt: doc.visibleAt ?? doc.sentAt });
      if (row.state !== null) applyState(message, row.state);
      yield { queue: row.queue, message, sentAt: doc.sentAt };
    }
  }

  save(queue: string, m: MessageRecord): void {
    this.insert.run(this.account, this.region, queue, m.seq, m.body, docOf(m, this.account));
  }

  /** The messages' content, in the order given (undefined: no row, its write rolled back). */
  read(queue: string, messages: readonly QueuedMessage[]): (SentMessage | undefined)[] {
    const bySeq = new Map<number, SentMessage>();
    for (let i = 0; i < messages.length; i += CHUNK) {
      const seqs = messages.slice(i, i + CHUNK).map((m) => m.seq);
      const range = consecutive(seqs);
      const rows = range
        ? this.selectRange.raw().all(this.account, this.region, queue, range[0], range[1])
        : this.statement("select", seqs.length, (n) => `SELECT seq, body, doc FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ? AND seq IN (${marks(n)})`)
          .raw().all(this.account, this.region, queue, ...seqs);
      for (const [seq, body, doc] of rows as [number, string, string][]) {
        // The parsed document becomes the message (a copy of each would be garbage at once).
        const sent = JSON.parse(doc) as Doc & SentMessage;
        sent.senderId ??= this.account;
        sent.body = body;
        bySeq.set(seq, sent);
      }
    }
    return messages.map((m) => bySeq.get(m.seq));
  }

  saveState(queue: string, m: QueuedMessage): void {
    if (this.pending) this.pendingOf(queue).states.set(m.seq, m);
    else this.writeStates(queue, [m]);
  }

  drop(queue: string, m: QueuedMessage): void {
    if (this.pending) this.pendingOf(queue).drops.push(m);
    else this.writeDrops(queue, [m]);
  }

  dropQueue(queue: string): void {
    this.pending?.delete(queue);
    this.removeQueueRows.run(this.account, this.region, queue);
    this.removeQueueStates.run(this.account, this.region, queue);
  }

  /** Runs `fn` inside the caller's transaction, holding state changes and deletions
   *  until it returns, then writing them in as few statements as they fit. */
  batched<T>(fn: () => T): T {
    if (this.pending) return fn();
    this.pending = new Map();
    try {
      const out = fn();
      for (const [queue, { states, drops }] of this.pending) {
        // States first: a message received and deleted in one transaction leaves no state row.
        if (states.size) this.writeStates(queue, [...states.values()]);
        if (drops.length) this.writeDrops(queue, drops);
      }
      return out;
    } finally {
      this.pending = undefined;
    }
  }

  private pendingOf(queue: string) {
    let entry = this.pending!.get(queue);
    if (!entry) this.pending!.set(queue, (entry = { states: new Map(), drops: [] }));
    return entry;
  }

  private writeStates(queue: string, messages: QueuedMessage[]): void {
    for (let i = 0; i < messages.length; i += CHUNK) {
      const chunk = messages.slice(i, i + CHUNK);
      const upsert = this.statement("state", chunk.length, (n) =>
        `INSERT INTO ${STATE} (account, region, queue, seq, state) VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?)").join(", ")} ` +
          "ON CONFLICT (account, region, queue, seq) DO UPDATE SET state = excluded.state",
      );
      upsert.run(...chunk.flatMap((m) => [this.account, this.region, queue, m.seq, stateOf(m)]));
    }
  }

  private writeDrops(queue: string, messages: QueuedMessage[]): void {
    for (let i = 0; i < messages.length; i += CHUNK) {
      const chunk = messages.slice(i, i + CHUNK);
      const seqs = chunk.map((m) => m.seq);
      const range = consecutive(seqs);
      if (range) this.dropRange.run(this.account, this.region, queue, range[0], range[1]);
      else {
        this.statement("drop", seqs.length, (n) => `DELETE FROM ${TABLE} WHERE account = ? AND region = ? AND queue = ? AND seq IN (${marks(n)})`)
          .run(this.account, this.region, queue, ...seqs);
      }
      // A message never received has no state row.
      const received = chunk.filter((m) => m.receiveCount > 0).map((m) => m.seq);
      if (received.length) {
        this.statement("dropState", received.length, (n) => `DELETE FROM ${STATE} WHERE account = ? AND region = ? AND queue = ? AND seq IN (${marks(n)})`)
          .run(this.account, this.region, queue, ...received);
      }
    }
  }

  /** A statement for `n` rows, prepared once per kind and size. */
  private statement(kind: string, n: number, sql: (n: number) => string): Statement {
    const key = `${kind}${n}`;
    let statement = this.sized.get(key);
    if (!statement) this.sized.set(key, (statement = this.db.prepare(sql(n)) as Statement));
    return statement;
  }
}

/**
 * [first, last] when `seqs` are exactly the numbers first..last, each once (a receive
 * of a standard queue takes neighbours in enqueue order): one seek of the key index and
 * a walk along it, where an IN list seeks once per row (with the receipt-handle and
 * SeqHeap changes, a Receive(10)+DeleteMessageBatch pair's service time halved).
 */
function consecutive(seqs: readonly number[]): [number, number] | undefined {
  if (seqs.length < 2) return undefined;
  const sorted = [...seqs].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1] + 1) return undefined;
  return [sorted[0], sorted[sorted.length - 1]];
}

function marks(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/** `doc`: a message but its body (its own column) and seq (the key), without the
 *  values most messages share (a third of a small message's row). */
type Doc = Omit<MessageRecord, "body" | "seq" | "senderId" | "visibleAt"> & { senderId?: string; visibleAt?: number };

function docOf(m: MessageRecord, account: string): string {
  return JSON.stringify({
    id: m.id, md5OfBody: m.md5OfBody, attributes: m.attributes, md5OfAttributes: m.md5OfAttributes, systemAttributes: m.systemAttributes,
    md5OfSystemAttributes: m.md5OfSystemAttributes,
    // The root user's SenderId is the account; a message not delayed is visible when sent.
    senderId: m.senderId === account ? undefined : m.senderId, sentAt: m.sentAt, visibleAt: m.visibleAt === m.sentAt ? undefined : m.visibleAt,
    groupId: m.groupId, deduplicationId: m.deduplicationId, sequenceNumber: m.sequenceNumber, deadLetterSourceArn: m.deadLetterSourceArn,
  } satisfies Doc);
}

/** Moves an earlier layout's rows (each message one JSON document, with its receive
 *  state in it or in STATE) into TABLE, and drops it. */
function migrate(db: Sqlite, old: string): void {
  type Old = MessageRecord & Partial<QueuedMessage>;
  const rows = db.prepare(`SELECT account, region, queue, seq, doc FROM ${old}`).all() as { account: string; region: string; queue: string; seq: number; doc: string }[];
  const insert = db.prepare(`INSERT OR IGNORE INTO ${TABLE} (account, region, queue, seq, body, doc) VALUES (?, ?, ?, ?, ?, ?)`);
  // A state row already there is newer than the document's fields.
  const insertState = db.prepare(`INSERT OR IGNORE INTO ${STATE} (account, region, queue, seq, state) VALUES (?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const row of rows) {
      const m = JSON.parse(row.doc) as Old;
      insert.run(row.account, row.region, row.queue, row.seq, m.body, docOf(m, row.account));
      if ((m.receiveCount ?? 0) > 0) {
        const state = { ...queuedMessage(m), receiveCount: m.receiveCount!, firstReceivedAt: m.firstReceivedAt, lastReceivedAt: m.lastReceivedAt, receipt: m.receipt };
        insertState.run(row.account, row.region, row.queue, row.seq, stateOf(state));
      }
    }
    db.exec(`DROP TABLE ${old}`);
  })();
}

/** The fields a receive or a visibility change sets, as "visibleAt,receiveCount,first,last,receipt". */
function stateOf(m: QueuedMessage): string {
  return `${m.visibleAt},${m.receiveCount},${m.firstReceivedAt ?? ""},${m.lastReceivedAt ?? ""},${m.receipt ?? ""}`;
}

function applyState(m: QueuedMessage, state: string): void {
  const [visibleAt, receiveCount, first, last, receipt] = state.split(",");
  m.visibleAt = Number(visibleAt);
  m.receiveCount = Number(receiveCount);
  if (first) m.firstReceivedAt = Number(first);
  if (last) m.lastReceivedAt = Number(last);
  if (receipt) m.receipt = receipt;
}
