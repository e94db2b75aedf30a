import type { Clock, TimerHandle } from "../../platform/clock.js";
import { MinHeap } from "./heap.js";
import { SqsLimits } from "./limits.js";
import { newNonce } from "./receipt-handles.js";
import type { MessageRecord, QueueRecord } from "./records.js";
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

export interface QueueHooks {
  /** A new message (its whole record). */
  save(queue: Queue, message: MessageRecord): void;
  /** A receive or visibility change: only the fields that change with it. */
  saveState(queue: Queue, message: MessageRecord): void;
  drop(queue: Queue, message: MessageRecord): void;
  dropAll(queue: Queue): void;
  nextSeq(): number;
  saveDedup(queue: Queue, key: string, entry: Dedup): void;
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

interface Track {
  ver: number;
  hidden: boolean;
}

interface Ref {
  m: MessageRecord;
  ver: number;
}

interface Group {
  messages: MessageRecord[];
  start: number;
}

interface Waiter {
  deadline: number;
  wake(): void;
}

export class Queue {
  readonly messages = new Map<string, MessageRecord>();
  private readonly track = new Map<string, Track>();
  private readonly hidden = new MinHeap<Ref>();
  private readonly ready = new MinHeap<Ref>();
  private readonly groups = new Map<string, Group>();
  private readonly readyGroups = new MinHeap<Group>();
  private readonly dedup = new Map<string, Dedup>();
  private readonly attempts = new Map<string, { ids: string[]; expiresAt: number }>();
  private visible = 0;
  private inFlight = 0;
  private delayed = 0;
  private maxSeq = 0;
  private waiters: Waiter[] = [];
  private timer?: { due: number; handle: TimerHandle };
  deleted = false;

  constructor(
    public record: QueueRecord,
    private readonly clock: Clock,
    private readonly hooks: QueueHooks,
  ) {}

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
  enqueue(message: MessageRecord): void {
    this.hooks.save(this, message);
    this.load(message);
  }

  /** Adds a persisted message on start-up (no write). Call in enqueue order. */
  load(message: MessageRecord): void {
    this.messages.set(message.id, message);
    this.track.set(message.id, { ver: 0, hidden: false });
    if (message.seq > this.maxSeq) this.maxSeq = message.seq;
    if (this.fifo) {
      const id = message.groupId ?? "";
      let group = this.groups.get(id);
      if (!group) this.groups.set(id, (group = { messages: [], start: 0 }));
      group.messages.push(message);
    }
    this.place(message, this.clock.now());
  }

  /** A persisted deduplication entry, on start-up. */
  loadDedup(key: string, entry: Dedup): void {
    if (entry.expiresAt > this.clock.now()) this.dedup.set(key, entry);
  }

  /** FIFO deduplication within the 5-minute window: the earlier send's result, if any. */
  duplicateOf(key: string): Dedup | undefined {
    const hit = this.dedup.get(key);
    return hit && hit.expiresAt > this.clock.now() ? hit : undefined;
  }

  remember(key: string, messageId: string, sequenceNumber: string | undefined): void {
    const now = this.clock.now();
    // Entries expire in insertion order (the window is fixed): drop the expired head.
    for (const [k, v] of this.dedup) {
      if (v.expiresAt > now) break;
      this.dedup.delete(k);
    }
    const entry = { messageId, sequenceNumber, expiresAt: now + SqsLimits.deduplicationWindowMs };
    this.dedup.delete(key);
    this.dedup.set(key, entry);
    this.hooks.saveDedup(this, key, entry);
  }

  /** Drops messages older than MessageRetentionPeriod. */
  expire(): void {
    const cutoff = this.clock.now() - this.numberAttribute("MessageRetentionPeriod") * 1000;
    // Enqueue order is send order (a message moved to a dead-letter queue keeps its
    // older SentTimestamp and may wait for the ones before it).
    for (const m of this.messages.values()) {
      if (m.sentAt > cutoff) break;
      this.remove(m);
    }
  }

  remove(message: MessageRecord): void {
    if (this.messages.get(message.id) !== message) return;
    const group = this.fifo ? this.groups.get(message.groupId ?? "") : undefined;
    const wasHead = group !== undefined && this.head(group) === message;
    this.leave(message);
    this.messages.delete(message.id);
    this.track.delete(message.id);
    this.hooks.drop(this, message);
    if (wasHead) this.groupChanged(message.groupId ?? "");
  }

  purge(): void {
    this.messages.clear();
    this.track.clear();
    this.hidden.clear();
    this.ready.clear();
    this.groups.clear();
    this.readyGroups.clear();
    this.attempts.clear();
    this.visible = this.inFlight = this.delayed = 0;
    this.hooks.dropAll(this);
  }

  /** Takes up to `max` visible messages and hides them for the visibility timeout. */
  receive({ max, visibilityTimeout, attemptId }: ReceiveOptions): MessageRecord[] {
    if (this.deleted) return [];
    this.expire();
    const now = this.clock.now();
    this.promote(now);
    if (attemptId !== undefined) {
      const retried = this.retriedAttempt(attemptId, visibilityTimeout, now);
      if (retried) return retried;
    }
    const redrive = this.redrivePolicy;
    const out: MessageRecord[] = [];
    // Taken messages are indexed again after the loop: with VisibilityTimeout 0 they
    // are visible at once, and must not be taken twice by the same receive.
    const taken: MessageRecord[] = [];
    if (this.fifo) {
      const served = new Set<Group>();
      while (out.length < max) {
        const entry = this.readyGroups.pop();
        if (!entry) break;
        const group = entry.value;
        if (served.has(group)) continue;
        const head = this.head(group);
        if (!head || head.seq !== entry.key || this.track.get(head.id)!.hidden) continue;
        served.add(group);
        // As many of this group's messages as are visible, in order (AWS returns a group's messages together).
        for (let i = group.start; i < group.messages.length && out.length < max; i++) {
          const m = group.messages[i];
          if (this.messages.get(m.id) !== m) continue;
          if (this.track.get(m.id)!.hidden) break;
          if (!this.redriven(m, redrive)) this.take(m, now, visibilityTimeout, out, taken);
        }
      }
    } else {
      while (out.length < max) {
        const entry = this.ready.pop();
        if (!entry) break;
        const { m, ver } = entry.value;
        const t = this.track.get(m.id);
        if (!t || t.ver !== ver || t.hidden || this.messages.get(m.id) !== m) continue;
        if (!this.redriven(m, redrive)) this.take(m, now, visibilityTimeout, out, taken);
      }
    }
    for (const m of taken) this.place(m, now);
    if (!this.fifo) this.compactIfStale();
    if (attemptId !== undefined && out.length > 0) {
      this.attempts.set(attemptId, { ids: out.map((m) => m.id), expiresAt: now + SqsLimits.deduplicationWindowMs });
    }
    return out;
  }

  /** Moves a message past maxReceiveCount to the dead-letter queue; true if it moved. */
  private redriven(m: MessageRecord, redrive: RedrivePolicy | undefined): boolean {
    if (!redrive || m.receiveCount < redrive.maxReceiveCount) return false;
    const dlq = this.hooks.deadLetterQueue(redrive.deadLetterTargetArn);
    // A dead-letter queue whose RedriveAllowPolicy no longer admits this queue keeps nothing.
    if (!dlq || dlq.deleted || !dlq.allowsSource(this.arn)) return false;
    this.moveTo(m, dlq);
    return true;
  }

  /** Receives `m`: uncounted now, counted and indexed again (by the caller, from `taken`) after the receive. */
  private take(m: MessageRecord, now: number, visibilityTimeout: number, out: MessageRecord[], taken: MessageRecord[]): void {
    this.leave(m);
    m.receiveCount += 1;
    m.firstReceivedAt ??= now;
    m.lastReceivedAt = now;
    m.visibleAt = now + visibilityTimeout * 1000;
    m.receipt = newNonce();
    taken.push(m);
    this.hooks.saveState(this, m);
    out.push(m);
  }

  /**
   * ReceiveRequestAttemptId (FIFO): a retry within 5 minutes answers the same messages
   * while they are still in flight from that receive, and restarts their visibility
   * timeout (ReceiveMessage API reference).
   */
  private retriedAttempt(attemptId: string, visibilityTimeout: number, now: number): MessageRecord[] | undefined {
    for (const [k, v] of this.attempts) {
      if (v.expiresAt > now) break;
      this.attempts.delete(k);
    }
    const attempt = this.attempts.get(attemptId);
    if (!attempt) return undefined;
    const again = attempt.ids.map((id) => this.messages.get(id)).filter((m): m is MessageRecord => !!m && m.visibleAt > now);
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
  moveTo(m: MessageRecord, target: Queue, toDeadLetterQueue = true): MessageRecord {
    this.remove(m);
    const moved: MessageRecord = {
      ...m, receiveCount: 0, visibleAt: this.clock.now(), receipt: undefined, firstReceivedAt: undefined, lastReceivedAt: undefined,
      // A new place at the end of the target (store-wide order numbers never repeat).
      seq: this.hooks.nextSeq(),
    };
    if (toDeadLetterQueue) moved.deadLetterSourceArn = this.arn;
    else delete moved.deadLetterSourceArn;
    target.enqueue(moved);
    return moved;
  }

  lastSeq(): number {
    return this.maxSeq;
  }

  /** The oldest message not in flight, for the message move tasks. */
  nextMovable(): MessageRecord | undefined {
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
  changeVisibility(m: MessageRecord, seconds: number): void {
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
  private place(m: MessageRecord, now: number): void {
    const t = this.track.get(m.id)!;
    t.ver++;
    if (m.visibleAt > now) {
      t.hidden = true;
      if (m.receiveCount > 0) this.inFlight++;
      else this.delayed++;
      this.hidden.push(m.visibleAt, m.seq, { m, ver: t.ver });
      if (this.waiters.length > 0) this.arm();
      return;
    }
    t.hidden = false;
    this.visible++;
    if (this.fifo) {
      const group = this.groups.get(m.groupId ?? "");
      if (group && this.head(group) === m) this.groupChanged(m.groupId ?? "");
    } else {
      this.ready.push(m.seq, 0, { m, ver: t.ver });
      this.wakeOne();
    }
  }

  /** Uncounts `m` from its current state (its index entries go stale). */
  private leave(m: MessageRecord): void {
    const t = this.track.get(m.id)!;
    t.ver++;
    if (!t.hidden) this.visible--;
    else if (m.receiveCount > 0) this.inFlight--;
    else this.delayed--;
  }

  /** Hidden messages whose time has come become visible. */
  private promote(now: number): void {
    for (;;) {
      const top = this.hidden.peek();
      if (!top || top.key > now) break;
      this.hidden.pop();
      const { m, ver } = top.value;
      const t = this.track.get(m.id);
      if (!t || t.ver !== ver || !t.hidden) continue;
      this.leave(m);
      this.place(m, now);
    }
  }

  /** FIFO: the group's first live message. */
  private head(group: Group): MessageRecord | undefined {
    const list = group.messages;
    while (group.start < list.length && this.messages.get(list[group.start].id) !== list[group.start]) group.start++;
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
    if (!this.track.get(head.id)!.hidden) {
      this.readyGroups.push(head.seq, 0, group);
      this.wakeOne();
    }
  }

  /** Keeps the standard queue's index from filling with entries left behind. */
  private compactIfStale(): void {
    if (this.ready.size > 1024 && this.ready.size > 4 * (this.visible + 16)) {
      this.ready.compact((e) => {
        const t = this.track.get(e.value.m.id);
        return !!t && t.ver === e.value.ver && !t.hidden;
      });
    }
    if (this.hidden.size > 1024 && this.hidden.size > 4 * (this.inFlight + this.delayed + 16)) {
      this.hidden.compact((e) => {
        const t = this.track.get(e.value.m.id);
        return !!t && t.ver === e.value.ver && t.hidden;
      });
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
