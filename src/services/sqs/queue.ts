import type { Clock, TimerHandle } from "../../platform/clock.js";
import { SqsLimits } from "./limits.js";
import { newNonce } from "./receipt-handles.js";
import type { MessageRecord, QueueRecord } from "./records.js";
import { parseRedrivePolicy, type RedrivePolicy } from "./queue-attributes.js";

// One queue's messages and their rules: delays, visibility, retention, FIFO group
// order and deduplication, and the long-poll waiters. Persistence is the store's:
// it hands in `save`/`drop`, called for every change before the change is
// acknowledged. Messages are kept in enqueue order (a Map keeps insertion order).

export interface QueueHooks {
  save(queue: Queue, message: MessageRecord): void;
  drop(queue: Queue, message: MessageRecord): void;
  /** The dead-letter queue a message moves to after maxReceiveCount receives. */
  deadLetterQueue(arn: string): Queue | undefined;
}

export interface ReceiveOptions {
  max: number;
  visibilityTimeout: number;
}

interface Dedup {
  messageId: string;
  sequenceNumber?: string;
  expiresAt: number;
}

export class Queue {
  readonly messages = new Map<string, MessageRecord>();
  private readonly dedup = new Map<string, Dedup>();
  private waiters = new Set<() => void>();
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

  /** Adds a message (already validated); wakes long polls if it is visible now. */
  enqueue(message: MessageRecord): void {
    this.messages.set(message.id, message);
    this.hooks.save(this, message);
    if (message.visibleAt <= this.clock.now()) this.notify();
  }

  /** FIFO deduplication within the 5-minute window: the earlier send's result, if any. */
  duplicateOf(key: string): Dedup | undefined {
    const now = this.clock.now();
    const hit = this.dedup.get(key);
    if (hit && hit.expiresAt > now) return hit;
    if (hit) this.dedup.delete(key);
    return undefined;
  }

  remember(key: string, messageId: string, sequenceNumber: string | undefined): void {
    this.dedup.set(key, { messageId, sequenceNumber, expiresAt: this.clock.now() + SqsLimits.deduplicationWindowMs });
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
    if (this.messages.delete(message.id)) this.hooks.drop(this, message);
  }

  purge(): void {
    for (const m of [...this.messages.values()]) this.remove(m);
  }

  /** Takes up to `max` visible messages and hides them for the visibility timeout. */
  receive({ max, visibilityTimeout }: ReceiveOptions): MessageRecord[] {
    if (this.deleted) return [];
    this.expire();
    const now = this.clock.now();
    const redrive = this.redrivePolicy;
    const out: MessageRecord[] = [];
    // FIFO: a group with a message in flight, or an earlier message still hidden, is blocked.
    const blocked = new Set<string>();
    if (this.fifo) for (const m of this.messages.values()) if (m.visibleAt > now && m.receiveCount > 0) blocked.add(m.groupId!);
    for (const m of this.messages.values()) {
      if (out.length >= max) break;
      if (this.fifo && blocked.has(m.groupId!)) continue;
      if (m.visibleAt > now) {
        if (this.fifo) blocked.add(m.groupId!);
        continue;
      }
      if (redrive && m.receiveCount >= redrive.maxReceiveCount) {
        const dlq = this.hooks.deadLetterQueue(redrive.deadLetterTargetArn);
        if (dlq && !dlq.deleted) {
          this.moveTo(m, dlq);
          continue;
        }
      }
      m.receiveCount += 1;
      m.firstReceivedAt ??= now;
      m.lastReceivedAt = now;
      m.visibleAt = now + visibilityTimeout * 1000;
      m.receipt = newNonce();
      this.hooks.save(this, m);
      out.push(m);
    }
    return out;
  }

  private moveTo(m: MessageRecord, dlq: Queue): void {
    this.remove(m);
    const moved: MessageRecord = { ...m, receiveCount: 0, visibleAt: this.clock.now(), receipt: undefined, firstReceivedAt: undefined, deadLetterSourceArn: this.arn };
    dlq.enqueue({ ...moved, seq: Math.max(moved.seq, dlq.lastSeq() + 1) });
  }

  lastSeq(): number {
    let last = 0;
    for (const m of this.messages.values()) last = m.seq;
    return last;
  }

  /** Makes a received message visible again after `seconds` (0: now). */
  changeVisibility(m: MessageRecord, seconds: number): void {
    m.visibleAt = this.clock.now() + seconds * 1000;
    this.hooks.save(this, m);
    if (seconds === 0) this.notify();
  }

  counts(): { visible: number; notVisible: number; delayed: number } {
    this.expire();
    const now = this.clock.now();
    let visible = 0, notVisible = 0, delayed = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiveCount > 0) notVisible++;
      else delayed++;
    }
    return { visible, notVisible, delayed };
  }

  /**
   * Resolves when something may have become receivable: a send, a message made
   * visible, the queue deleted, the next hidden message's time, or `deadline`
   * (all on Terrarium's clock, so advancing it wakes long polls too).
   */
  waitForChange(deadline: number): Promise<void> {
    return new Promise((resolve) => {
      const timers: TimerHandle[] = [];
      const wake = () => {
        this.waiters.delete(wake);
        for (const t of timers) t.cancel();
        resolve();
      };
      this.waiters.add(wake);
      timers.push(this.clock.at(deadline, wake));
      const next = this.nextVisibleAt();
      if (next !== undefined && next < deadline) timers.push(this.clock.at(next, wake));
    });
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  private nextVisibleAt(): number | undefined {
    const now = this.clock.now();
    let next: number | undefined;
    for (const m of this.messages.values()) if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    return next;
  }
}
