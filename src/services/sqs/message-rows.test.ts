import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { createMessageTables, MessageRows } from "./message-rows.js";
import { Clock } from "../../platform/clock.js";
import { DocumentStore } from "../../storage/documents.js";
import type { StoreScope } from "../service.js";
import { sendMessage } from "./message-input.js";
import { queuedMessage, type MessageRecord, type SentMessage } from "./records.js";
import { SqsStore } from "./store.js";

// The messages table on its own: a data directory written by an earlier layout
// (each message one JSON document) is moved into the current one on start-up, and
// the batched writes of a transaction land as single writes would.

const A = "000000000000";
const R = "us-east-1";

/** A store with one standard queue "q", and a sender for it: in memory, or on `db` (a file). */
function storeWithQueue(db = new Database(":memory:")) {
  const store = new SqsStore({ service: "sqs", account: A, region: R, db, documents: new DocumentStore(db), clock: new Clock() } as unknown as StoreScope);
  const now = Date.now();
  const queue = store.create({
    name: "q", account: A, region: R, arn: `arn:aws:sqs:${R}:${A}:q`, fifo: false, tags: {}, createdAt: now, lastModifiedAt: now,
    attributes: { MaximumMessageSize: "1048576", DelaySeconds: "0", MessageRetentionPeriod: "345600", VisibilityTimeout: "30" },
  });
  return { db, store, queue, sender: { senderId: A, now, nextSeq: () => store.nextSeq() } };
}

function earlierLayout(db: Database.Database): void {
  db.exec(`CREATE TABLE sqs_message_rows (account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (account, region, queue, seq))`);
  db.exec(`CREATE TABLE sqs_message_state (account TEXT NOT NULL, region TEXT NOT NULL, queue TEXT NOT NULL, seq INTEGER NOT NULL, state TEXT NOT NULL,
    PRIMARY KEY (account, region, queue, seq)) WITHOUT ROWID`);
  const insert = db.prepare("INSERT INTO sqs_message_rows VALUES (?, ?, ?, ?, ?)");
  const base = { md5OfBody: "x", senderId: A, sentAt: 1000, visibleAt: 1000, receiveCount: 0 };
  insert.run(A, R, "q", 1, JSON.stringify({ ...base, id: "m1", seq: 1, body: "first", attributes: { k: { DataType: "String", StringValue: "v" } } }));
  insert.run(A, R, "q", 2, JSON.stringify({ ...base, id: "m2", seq: 2, body: "second" }));
  db.prepare("INSERT INTO sqs_message_state VALUES (?, ?, ?, ?, ?)").run(A, R, "q", 2, "9000,3,2000,5000,nonce");
}

describe("SQS messages table", () => {
  it("moves an earlier layout's messages and their receive state into the current one", () => {
    const db = new Database(":memory:");
    earlierLayout(db);
    createMessageTables(db);
    assert.equal(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqs_message_rows'").get(), undefined);
    const rows = new MessageRows(db, A, R);
    const loaded = [...rows.loadAll()];
    assert.deepEqual(loaded.map((l) => [l.queue, l.message.seq, l.sentAt, l.message.receiveCount, l.message.visibleAt, l.message.receipt]), [
      ["q", 1, 1000, 0, 1000, undefined],
      ["q", 2, 1000, 3, 9000, "nonce"],
    ]);
    const [first, second] = rows.read("q", loaded.map((l) => l.message)) as SentMessage[];
    assert.equal(first.body, "first");
    assert.equal(first.id, "m1");
    assert.deepEqual(first.attributes, { k: { DataType: "String", StringValue: "v" } });
    assert.equal(second.body, "second");
  });

  it("writes a transaction's state changes and deletions at its end", () => {
    const db = new Database(":memory:");
    createMessageTables(db);
    const rows = new MessageRows(db, A, R);
    const records: MessageRecord[] = Array.from({ length: 25 }, (_, i) => ({
      id: `m${i}`, seq: i + 1, body: `body ${i}`, md5OfBody: "x", senderId: A, sentAt: 1000, visibleAt: 1000, groupId: undefined, deadLetterSourceArn: undefined,
    }));
    for (const r of records) rows.save("q", r);
    const queued = records.map(queuedMessage);
    db.transaction(() =>
      rows.batched(() => {
        for (const m of queued) {
          m.receiveCount = 1;
          m.visibleAt = 5000;
          m.receipt = `n${m.seq}`;
          rows.saveState("q", m);
        }
        // Received and deleted in the same transaction: neither row stays.
        for (const m of queued.slice(0, 12)) rows.drop("q", m);
        // A second change of one message: the last one is written.
        queued[20].visibleAt = 7000;
        rows.saveState("q", queued[20]);
      }),
    )();
    const loaded = [...new MessageRows(db, A, R).loadAll()];
    assert.deepEqual(loaded.map((l) => l.message.seq), queued.slice(12).map((m) => m.seq));
    assert.ok(loaded.every((l) => l.message.receiveCount === 1 && l.message.receipt === `n${l.message.seq}`));
    assert.equal(loaded.find((l) => l.message.seq === 21)?.message.visibleAt, 7000);
    assert.equal((db.prepare("SELECT count(*) AS n FROM sqs_message_state").get() as { n: number }).n, 13);
    assert.deepEqual(rows.read("q", [queued[24], queued[12], queued[0]]).map((m) => m?.body), ["body 24", "body 12", undefined]);
  });

  it("keeps an in-memory store's messages in memory, not in rows no restart can read", () => {
    const { db, store, queue, sender } = storeWithQueue();
    for (const body of ["a", "b", "c"]) sendMessage(queue, { MessageBody: body }, sender);
    const received = store.atomically(() => queue.receive({ max: 10, visibilityTimeout: 30 }));
    assert.deepEqual(queue.readAll(received).map((r) => r.sent.body), ["a", "b", "c"]);
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    assert.equal(count("sqs_queued_messages"), 0);
    assert.equal(count("sqs_message_state"), 0);
    store.atomically(() => queue.remove(received[0]));
    assert.deepEqual(queue.counts(), { visible: 0, notVisible: 2, delayed: 0 });
    assert.deepEqual(queue.readAll(received).map((r) => r.sent.body), ["b", "c"]);
    // A deleted queue's messages leave memory with it.
    store.delete(queue);
    assert.deepEqual(queue.readAll(received), []);
  });

  it("drops a queued message whose write was rolled back, at the receive that meets it", () => {
    const dir = mkdtempSync(join(tmpdir(), "sqs-rows-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const { db, store, queue, sender } = storeWithQueue(new Database(join(dir, "state.db")));
    after(() => db.close());
    sendMessage(queue, { MessageBody: "kept" }, sender);
    // A transaction that fails after queueing a message: memory keeps it, SQLite does not.
    assert.throws(() => store.atomically(() => {
      sendMessage(queue, { MessageBody: "rolled back" }, sender);
      throw new Error("boom");
    }), /boom/);
    const received = queue.readAll(store.atomically(() => queue.receive({ max: 10, visibilityTimeout: 30 })));
    assert.deepEqual(received.map((r) => r.sent.body), ["kept"]);
    assert.deepEqual(queue.counts(), { visible: 0, notVisible: 1, delayed: 0 });
  });
});
