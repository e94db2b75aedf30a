import type { Clock, TimerHandle } from "../../platform/clock.js";
import { ExpiringKeys } from "./expiring-keys.js";
import { MinHeap, SeqHeap } from "./heap.js";
import { SqsLimits } from "./limits.js";
import { newNonce, type Receipt } from "./receipt-handles.js";
import { queuedMessage, type MessageRecord, type QueuedMessage, type QueueRecord, type SentMessage } from "./records.js";
import { parseRedrivePolicy, type RedrivePolicy } from "./queue-attributes.js";

// One queue's messages and their rules: delays, visibility, retention, FIFO group
// order and deduplication, and the long-poll waiters. Persistence is the store's:
// it hands in hooks, called for every change before the change is acknowledged.
//
// Every operation costs O(log n) in the queue's size, never a scan: each message
// is either visible or hidden (delayed, or in flight after a receive), and
//  - hidden messages sit in a min-heap by the time they become visible, promoted
//    lazily (at the next operation, or by one clock timer while long polls wait);
//  - a standard queue's visible messages sit in a min-heap by enqueue order;
//  - a FIFO queue keeps each group's messages in order, and a min-heap of the groups
//    whose first message is visible (a group whose first message is hidden is blocked);
//  - the ApproximateNumberOf* counters change with each transition.
// Heap entries carry the message's version; a transition bumps it, so entries left
// behind are skipped when popped. The messages Map keeps send order, which is what
// retention expiry walks.
//
// In memory a message is only its QueuedMessage (order, state, group): its body and
// attributes are in SQLite, read back (hooks.read) for the messages a receive returns.

export interface QueueHooks {
  /** A new message (its whole record). */
  save(queue: Queue, message: MessageRecord): void;
  /** The messages' content, as saved, in the order given (undefined: not saved after all). */
  read(queue: Queue, messages: readonly QueuedMessage[]): (SentMessage | undefined)[];
  /** A receive or visibility change: only the fields that change with it. */
  saveState(queue: Queue, message: QueuedMessage): void;
  drop(queue: Queue, message: QueuedMessage): void;
  dropAll(queue: Queue): void;
  nextSeq(): number;
  saveDedup(queue: Queue, key: string, entry: Dedup): void;
  /** The earlier send a deduplication key names, as saved. */
  readDedup(queue: Queue, key: string): Dedup | undefined;
  /** The dead-letter queue a message moves to after maxReceiveCount receives. */
  deadLetterQueue(arn: string): Queue | undefined;
}

export interface ReceiveOptions {
  max: number;
  visibilityTimeout: number;
  /** FIFO: a retried receive with the same id answers the same messages (5 minutes). */
  attemptId?: string;
}

export interface Dedup {
  messageId: string;
  sequenceNumber?: string;
  expiresAt: number;
}

interface Group {
  id: string;
  messages: QueuedMessage[];
  start: number;
}

interface Waiter {
  deadline: number;
  wake(): void;
}

export class Queue {
  /** By seq (what receipt handles name), in enqueue order. */
  readonly messages = new Map<number, QueuedMessage>();
  private readonly hidden = new MinHeap<QueuedMessage>();
  private readonly ready = new SeqHeap<QueuedMessage>();
  private readonly groups = new Map<string, Group>();
  private readonly readyGroups = new MinHeap<Group>();
  /** FIFO deduplication keys within their window (the earlier sends' ids stay in SQLite: hooks.readDedup). */
  private readonly dedup = new ExpiringKeys();
  /** FIFO ReceiveRequestAttemptIds within their window, and the messages each received. */
  private readonly attemptSeqs = new Map<string, number[]>();
  private readonly attempts = new ExpiringKeys((id) => this.attemptSeqs.delete(id));
  private visible = 0;
  private inFlight = 0;
  private delayed = 0;
  private maxSeq = 0;
  private waiters: Waiter[] = [];
  private timer?: { due: number; handle: TimerHandle };
  /** No message passes its retention period before this time (0: look at the next operation). */
  private expiryDue = 0;
  deleted = false;

  constructor(
    public record: QueueRecord,
    private readonly clock: Clock,
    private readonly hooks: QueueHooks,
    /** The store's epoch, which receipt handles carry (receipt-handles.ts). */
    readonly epoch: string,
  ) {}

  /** The message a receipt handle names, if it is still queued (whether or not the receive it names is the latest). */
  byReceipt(receipt: Receipt): QueuedMessage | undefined {
    return receipt.epoch === this.epoch ? this.messages.get(receipt.seq) : undefined;
  }

  get name(): string {
    return this.record.name;
  }
  get arn(): string {
    return this.record.arn;
  }
  get fifo(): boolean {
    return this.record.fifo;
  }
  attribute(name: string): string | undefined {
    return this.record.attributes[name];
  }
  numberAttribute(name: string): number {
    return Number(this.record.attributes[name] ?? 0);
  }
  get redrivePolicy(): RedrivePolicy | undefined {
    const text = this.record.attributes.RedrivePolicy;
    return text ? parseRedrivePolicy(text) : undefined;
  }

  /** Adds a message (already validated); wakes one long poll if it is receivable now. */
  enqueue(message: MessageRecord): QueuedMessage {
    this.hooks.save(this, message);
    const queued = queuedMessage(message);
    this.load(queued, message.sentAt);
    return queued;
  }

  /** A message's content (body, attributes, ids), from SQLite. */
  read(message: QueuedMessage): SentMessage | undefined {
    return this.hooks.read(this, [message])[0];
  }

  /**
   * The content of the messages a receive returns, in one query. A message with no
   * row (its write was rolled back with a failed transaction after it was queued)
   * leaves the queue instead of failing every receive that meets it.
   */
  readAll(messages: readonly QueuedMessage[]): { message: QueuedMessage; sent: SentMessage }[] {
    const sent = this.hooks.read(this, messages);
    const out: { message: QueuedMessage; sent: SentMessage }[] = [];
    messages.forEach((message, i) => {
      if (sent[i]) out.push({ message, sent: sent[i] });
      else this.remove(message);
    });
    return out;
  }

  /** Adds a persisted message on start-up (no write). Call in enqueue order. */
  load(message: QueuedMessage, sentAt: number): void {
    this.messages.set(message.seq, message);
    if (message.seq > this.maxSeq) this.maxSeq = message.seq;
    const expires = sentAt + this.numberAttribute("MessageRetentionPeriod") * 1000;
    if (expires < this.expiryDue) this.expiryDue = expires;
    if (this.fifo) {
      const id = message.groupId ?? "";
      let group = this.groups.get(id);
      if (!group) this.groups.set(id, (group = { id, messages: [], start: 0 }));
      // One string per group, not one per message.
      if (message.groupId !== undefined) message.groupId = group.id;
      group.messages.push(message);
    }
    this.place(message, this.clock.now());
  }

  /** A persisted deduplication key, on start-up (in expiry order). */
  loadDedup(key: string, expiresAt: number): void {
    const now = this.clock.now();
    if (expiresAt > now) this.dedup.set(key, expiresAt, now);
  }

  /** FIFO deduplication within the 5-minute window: the earlier send's result, if any. */
  duplicateOf(key: string): Dedup | undefined {
    return this.dedup.get(key, this.clock.now()) === undefined ? undefined : this.hooks.readDedup(this, key);
  }

  remember(key: string, messageId: string, sequenceNumber: string | undefined): void {
    const now = this.clock.now();
    const entry = { messageId, sequenceNumber, expiresAt: now + SqsLimits.deduplicationWindowMs };
    this.dedup.set(key, entry.expiresAt, now);
    this.hooks.saveDedup(this, key, entry);
  }

  /** Drops messages older than MessageRetentionPeriod. */
  expire(): void {
    const now = this.clock.now();
    // Walking from the oldest message costs the deleted entries a Map keeps at its
    // front until it rehashes: walk only once the oldest one seen may have expired.
    if (now < this.expiryDue) return;
    const retention = this.numberAttribute("MessageRetentionPeriod") * 1000;
    this.expiryDue = Infinity;
    // Enqueue order is send order (a message moved to a dead-letter queue keeps its
    // older SentTimestamp and may wait for the ones before it).
    for (const m of this.messages.values()) {
      // Memory keeps no SentTimestamp: read it (only for the messages that expire, and the first that does not).
      const sent = this.read(m);
      const expires = sent ? sent.sentAt + retention : now;
      if (expires > now) {
        this.expiryDue = expires;
        break;
      }
      this.remove(m);
    }
  }

  remove(message: QueuedMessage): void {
    if (this.messages.get(message.seq) !== message) return;
    const group = this.fifo ? this.groups.get(message.groupId ?? "") : undefined;
    const wasHead = group !== undefined && this.head(group) === message;
    this.leave(message);
    this.messages.delete(message.seq);
    this.hooks.drop(this, message);
    if (wasHead) this.groupChanged(message.groupId ?? "");
  }

  purge(): void {
    this.messages.clear();
    this.hidden.clear();
    this.ready.clear();
    this.groups.clear();
    this.readyGroups.clear();
    this.attempts.clear();
    this.attemptSeqs.clear();
    this.visible = this.inFlight = this.delayed = 0;
    this.hooks.dropAll(this);
  }

  /** Takes up to `max` visible messages and hides them for the visibility timeout. */
  receive({ max, visibilityTimeout, attemptId }: ReceiveOptions): QueuedMessage[] {
    if (this.deleted) return [];
    this.expire();
    const now = this.clock.now();
    this.promote(now);
    if (attemptId !== undefined) {
      const retried = this.retriedAttempt(attemptId, visibilityTimeout, now);
      if (retried) return retried;
    }
    const redrive = this.redrivePolicy;
    const out: QueuedMessage[] = [];
    if (this.fifo) {
      const served = new Set<Group>();
      while (out.length < max) {
        const entry = this.readyGroups.pop();
        if (!entry) break;
        const group = entry.value;
        if (served.has(group)) continue;
        const head = this.head(group);
        if (!head || head.seq !== entry.key || head.hidden) continue;
        served.add(group);
        // As many of this group's messages as are visible, in order (AWS returns a group's messages together).
        for (let i = group.start; i < group.messages.length && out.length < max; i++) {
          const m = group.messages[i];
          if (this.messages.get(m.seq) !== m) continue;
          if (m.hidden) break;
          if (!this.redriven(m, redrive)) this.take(m, now, visibilityTimeout, out);
        }
      }
    } else {
      while (out.length < max) {
        const m = this.ready.pop();
        if (!m) break;
        // A visible message has one entry (pushed when it became visible, popped when taken).
        if (m.hidden || this.messages.get(m.seq) !== m) continue;
        if (!this.redriven(m, redrive)) this.take(m, now, visibilityTimeout, out);
      }
    }
    // Taken messages are indexed again after the loop: with VisibilityTimeout 0 they
    // are visible at once, and must not be taken twice by the same receive.
    for (const m of out) this.place(m, now);
    if (!this.fifo) this.compactIfStale();
    if (attemptId !== undefined && out.length > 0) {
      this.attemptSeqs.set(attemptId, out.map((m) => m.seq));
      this.attempts.set(attemptId, now + SqsLimits.deduplicationWindowMs, now);
    }
    return out;
  }

  /** Moves a message past maxReceiveCount to the dead-letter queue; true if it moved. */
  private redriven(m: QueuedMessage, redrive: RedrivePolicy | undefined): boolean {
    if (!redrive || m.receiveCount < redrive.maxReceiveCount) return false;
    const dlq = this.hooks.deadLetterQueue(redrive.deadLetterTargetArn);
    // A dead-letter queue whose RedriveAllowPolicy no longer admits this queue keeps nothing.
    if (!dlq || dlq.deleted || !dlq.allowsSource(this.arn)) return false;
    this.moveTo(m, dlq);
    return true;
  }

  /** Receives `m`: uncounted now, counted and indexed again (by the caller, from `out`) after the receive. */
  private take(m: QueuedMessage, now: number, visibilityTimeout: number, out: QueuedMessage[]): void {
    this.leave(m);
    m.receiveCount += 1;
    m.firstReceivedAt ??= now;
    m.lastReceivedAt = now;
    m.visibleAt = now + visibilityTimeout * 1000;
    m.receipt = newNonce();
    // Taken: not receivable again in this receive (place() sets it from visibleAt after).
    m.hidden = true;
    this.hooks.saveState(this, m);
    out.push(m);
  }

  /**
   * ReceiveRequestAttemptId (FIFO): a retry within 5 minutes answers the same messages
   * while they are still in flight from that receive, and restarts their visibility
   * timeout (ReceiveMessage API reference).
   */
  private retriedAttempt(attemptId: string, visibilityTimeout: number, now: number): QueuedMessage[] | undefined {
    const seqs = this.attempts.get(attemptId, now) === undefined ? undefined : this.attemptSeqs.get(attemptId);
    if (!seqs) return undefined;
    const again = seqs.map((seq) => this.messages.get(seq)).filter((m): m is QueuedMessage => !!m && m.visibleAt > now);
    if (again.length === 0) return undefined;
    for (const m of again) {
      this.leave(m);
      m.visibleAt = now + visibilityTimeout * 1000;
      this.place(m, now);
      this.hooks.saveState(this, m);
    }
    return again;
  }

  /** Moves a message to a dead-letter queue (marked with this queue as its source), or back out of one. */
  moveTo(m: QueuedMessage, target: Queue, toDeadLetterQueue = true): QueuedMessage | undefined {
    const sent = this.read(m);
    this.remove(m);
    if (!sent) return undefined;
    const moved: MessageRecord = {
      ...sent, visibleAt: this.clock.now(), groupId: m.groupId,
      deadLetterSourceArn: toDeadLetterQueue ? this.arn : undefined,
      // A new place at the end of the target (store-wide order numbers never repeat).
      seq: this.hooks.nextSeq(),
    };
    return target.enqueue(moved);
  }

  lastSeq(): number {
    return this.maxSeq;
  }

  /** The oldest message not in flight, for the message move tasks. */
  nextMovable(): QueuedMessage | undefined {
    const now = this.clock.now();
    for (const m of this.messages.values()) if (m.visibleAt <= now || m.receiveCount === 0) return m;
    return undefined;
  }

  /** RedriveAllowPolicy: may the queue `sourceArn` use this one as its dead-letter queue? */
  allowsSource(sourceArn: string): boolean {
    const text = this.record.attributes.RedriveAllowPolicy;
    if (!text) return true;
    try {
      const policy = JSON.parse(text) as { redrivePermission?: string; sourceQueueArns?: string[] };
      if (policy.redrivePermission === "denyAll") return false;
      if (policy.redrivePermission === "byQueue") return (policy.sourceQueueArns ?? []).includes(sourceArn);
      return true;
    } catch {
      return true;
    }
  }

  /** Makes a received message visible again after `seconds` (0: now). */
  changeVisibility(m: QueuedMessage, seconds: number): void {
    const now = this.clock.now();
    this.leave(m);
    m.visibleAt = now + seconds * 1000;
    this.place(m, now);
    this.hooks.saveState(this, m);
  }

  counts(): { visible: number; notVisible: number; delayed: number } {
    this.expire();
    this.promote(this.clock.now());
    return { visible: this.visible, notVisible: this.inFlight, delayed: this.delayed };
  }

  /**
   * Resolves when something may have become receivable (a send, a message made
   * visible: one waiter per message), when the queue is deleted or its attributes
   * change (all waiters), or at `deadline` (on Terrarium's clock, so advancing it
   * wakes long polls too).
   */
  waitForChange(deadline: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ deadline, wake: resolve });
      this.arm();
    });
  }

  /** Wakes every waiter (queue deleted, attributes changed). */
  notify(): void {
    // The retention period may have changed.
    this.expiryDue = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.wake();
    this.arm();
  }

  private wakeOne(): void {
    const w = this.waiters.shift();
    if (w) w.wake();
  }

  // --- transitions -----------------------------------------------------------

  /** Counts `m` in its current state and indexes it. */
  private place(m: QueuedMessage, now: number): void {
    m.ver++;
    if (m.visibleAt > now) {
      m.hidden = true;
      if (m.receiveCount > 0) this.inFlight++;
      else this.delayed++;
      this.hidden.push(m.visibleAt, m.seq, m, m.ver);
      if (this.waiters.length > 0) this.arm();
      return;
    }
    m.hidden = false;
    this.visible++;
    if (this.fifo) {
      const group = this.groups.get(m.groupId ?? "");
      if (group && this.head(group) === m) this.groupChanged(m.groupId ?? "");
    } else {
      this.ready.push(m);
      this.wakeOne();
    }
  }

  /** Uncounts `m` from its current state (its index entries go stale). */
  private leave(m: QueuedMessage): void {
    m.ver++;
    if (!m.hidden) this.visible--;
    else if (m.receiveCount > 0) this.inFlight--;
    else this.delayed--;
  }

  /** Hidden messages whose time has come become visible. */
  private promote(now: number): void {
    for (;;) {
      const top = this.hidden.peek();
      if (!top || top.key > now) break;
      this.hidden.pop();
      const m = top.value;
      if (m.ver !== top.ver || !m.hidden || this.messages.get(m.seq) !== m) continue;
      this.leave(m);
      this.place(m, now);
    }
  }

  /** FIFO: the group's first live message. */
  private head(group: Group): QueuedMessage | undefined {
    const list = group.messages;
    while (group.start < list.length && this.messages.get(list[group.start].seq) !== list[group.start]) group.start++;
    if (group.start > 64 && group.start * 2 > list.length) {
      list.splice(0, group.start);
      group.start = 0;
    }
    return list[group.start];
  }

  /** FIFO: after a change in a group, index it as ready if its first message is visible. */
  private groupChanged(id: string): void {
    const group = this.groups.get(id);
    if (!group) return;
    const head = this.head(group);
    if (!head) {
      this.groups.delete(id);
      return;
    }
    if (!head.hidden) {
      this.readyGroups.push(head.seq, 0, group);
      this.wakeOne();
    }
  }

  /** Keeps the standard queue's index from filling with entries left behind. */
  private compactIfStale(): void {
    if (this.ready.size > 1024 && this.ready.size > 4 * (this.visible + 16)) {
      this.ready.compact((m) => !m.hidden && this.messages.get(m.seq) === m);
    }
    if (this.hidden.size > 1024 && this.hidden.size > 4 * (this.inFlight + this.delayed + 16)) {
      this.hidden.compact((e) => e.value.ver === e.ver && e.value.hidden && this.messages.get(e.value.seq) === e.value);
    }
  }

  /** One clock timer per queue while long polls wait: the earliest deadline or hidden message. */
  private arm(): void {
    if (this.waiters.length === 0) {
      this.timer?.handle.cancel();
      this.timer = undefined;
      return;
    }
    let due = Infinity;
    for (const w of this.waiters) if (w.deadline < due) due = w.deadline;
    const next = this.hidden.peek();
    if (next && next.key < due) due = next.key;
    if (this.timer && this.timer.due === due) return;
    this.timer?.handle.cancel();
    this.timer = { due, handle: this.clock.at(due, () => this.onTimer()) };
  }

  private onTimer(): void {
    this.timer = undefined;
    const now = this.clock.now();
    this.promote(now);
    const expired = this.waiters.filter((w) => w.deadline <= now);
    if (expired.length > 0) this.waiters = this.waiters.filter((w) => w.deadline > now);
    for (const w of expired) w.wake();
    this.arm();
  }
}
