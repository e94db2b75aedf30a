import type { Clock } from "../../platform/clock.js";
import { DeduplicationWindow, type Dedup } from "./deduplication.js";
import { MinHeap, SeqHeap } from "./heap.js";
import { LongPolls } from "./long-polls.js";
import { MessageGroups, type MessageGroup } from "./message-groups.js";
import type { QueueHooks } from "./queue-hooks.js";
import { newNonce, type Receipt } from "./receipt-handles.js";
import { ReceiveAttempts } from "./receive-attempts.js";
import { queuedMessage, type MessageRecord, type QueuedMessage, type QueueRecord, type SentMessage } from "./records.js";
import { parseRedrivePolicy, redriveAllows, type RedrivePolicy } from "./queue-attributes.js";

// One queue's messages and their rules: delays, visibility, retention, FIFO group
// order and deduplication. Persistence is the store's: it hands in hooks
// (queue-hooks.ts), called for every change before the change is acknowledged.
//
// Every operation costs O(log n) in the queue's size, never a scan: each message
// is either visible or hidden (delayed, or in flight after a receive), and
//  - hidden messages sit in a min-heap by the time they become visible, promoted
//    lazily (at the next operation, or by the long polls' timer: long-polls.ts);
//  - a standard queue's visible messages sit in a min-heap by enqueue order;
//  - a FIFO queue keeps each group's messages in order, and a min-heap of the groups
//    whose first message is visible (message-groups.ts);
//  - the ApproximateNumberOf* counters change with each transition.
// Heap entries carry the message's version; a transition bumps it, so entries left
// behind are skipped when popped. The messages Map keeps send order, which is what
// retention expiry walks.
//
// In memory a message is only its QueuedMessage (order, state, group): its body and
// attributes are in SQLite, read back (hooks.read) for the messages a receive returns.

export interface ReceiveOptions {
  max: number;
  visibilityTimeout: number;
  /** FIFO: a retried receive with the same id answers the same messages (5 minutes). */
  attemptId?: string;
}

export class Queue {
  /** By seq (what receipt handles name), in enqueue order. */
  readonly messages = new Map<number, QueuedMessage>();
  private readonly hidden = new MinHeap<QueuedMessage>();
  private readonly ready = new SeqHeap<QueuedMessage>();
  private readonly groups = new MessageGroups(this.messages);
  private readonly dedup = new DeduplicationWindow();
  private readonly attempts = new ReceiveAttempts(this.messages);
  private readonly polls: LongPolls;
  private visible = 0;
  private inFlight = 0;
  private delayed = 0;
  private maxSeq = 0;
  /** No message passes its retention period before this time (0: look at the next operation). */
  private expiryDue = 0;
  deleted = false;

  constructor(
    public record: QueueRecord,
    private readonly clock: Clock,
    private readonly hooks: QueueHooks,
    /** The store's epoch, which receipt handles carry (receipt-handles.ts). */
    readonly epoch: string,
  ) {
    this.polls = new LongPolls(clock, this.hidden, (now) => this.promote(now));
  }

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
    if (this.fifo) this.groups.add(message);
    this.place(message, this.clock.now());
  }

  /** A persisted deduplication key, on start-up (in expiry order). */
  loadDedup(key: string, expiresAt: number): void {
    this.dedup.load(key, expiresAt, this.clock.now());
  }

  /** FIFO deduplication within the 5-minute window: the earlier send's result, if any. */
  duplicateOf(key: string): Dedup | undefined {
    return this.dedup.has(key, this.clock.now()) ? this.hooks.readDedup(this, key) : undefined;
  }

  remember(key: string, messageId: string, sequenceNumber: string | undefined): void {
    this.hooks.saveDedup(this, key, this.dedup.add(key, messageId, sequenceNumber, this.clock.now()));
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
    const wasHead = this.fifo && this.groups.isHead(message);
    this.leave(message);
    this.messages.delete(message.seq);
    this.hooks.drop(this, message);
    if (wasHead && this.groups.changed(message.groupId ?? "")) this.polls.wakeOne();
  }

  purge(): void {
    this.messages.clear();
    this.hidden.clear();
    this.ready.clear();
    this.groups.clear();
    this.attempts.clear();
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
      const served = new Set<MessageGroup>();
      while (out.length < max) {
        const group = this.groups.nextReady(served);
        if (!group) break;
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
    if (attemptId !== undefined && out.length > 0) this.attempts.set(attemptId, out, now);
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
    const again = this.attempts.stillInFlight(attemptId, now);
    if (!again) return undefined;
    for (const m of again) this.hideFor(m, visibilityTimeout, now);
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
    return redriveAllows(this.record.attributes.RedriveAllowPolicy, sourceArn);
  }

  /** Makes a received message visible again after `seconds` (0: now). */
  changeVisibility(m: QueuedMessage, seconds: number): void {
    this.hideFor(m, seconds, this.clock.now());
  }

  /** Sets when `m` is visible again (`seconds` from `now`; 0: at once), and saves it. */
  private hideFor(m: QueuedMessage, seconds: number, now: number): void {
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
    return this.polls.wait(deadline);
  }

  /** Wakes every waiter (queue deleted, attributes changed). */
  notify(): void {
    // The retention period may have changed.
    this.expiryDue = 0;
    this.polls.wakeAll();
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
      this.polls.hiddenAdded();
      return;
    }
    m.hidden = false;
    this.visible++;
    if (this.fifo) {
      if (this.groups.isHead(m) && this.groups.changed(m.groupId ?? "")) this.polls.wakeOne();
    } else {
      this.ready.push(m);
      this.polls.wakeOne();
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

  /** Keeps the standard queue's index from filling with entries left behind. */
  private compactIfStale(): void {
    if (this.ready.size > 1024 && this.ready.size > 4 * (this.visible + 16)) {
      this.ready.compact((m) => !m.hidden && this.messages.get(m.seq) === m);
    }
    if (this.hidden.size > 1024 && this.hidden.size > 4 * (this.inFlight + this.delayed + 16)) {
      this.hidden.compact((e) => e.value.ver === e.ver && e.value.hidden && this.messages.get(e.value.seq) === e.value);
    }
  }
}
