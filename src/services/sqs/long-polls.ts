import type { Clock, TimerHandle } from "../../platform/clock.js";
import type { MinHeap } from "./heap.js";
import type { QueuedMessage } from "./records.js";

// One queue's long polls (ReceiveMessage with WaitTimeSeconds) and their one clock
// timer. A waiter resolves when something may have become receivable, at its
// deadline, or when the queue goes away; the receive handler then tries again.
// The timer runs only while someone waits, due at the earliest deadline or at the
// time the first hidden message becomes visible, so that advancing Terrarium's
// clock wakes long polls too.

interface Waiter {
  deadline: number;
  wake(): void;
}

export class LongPolls {
  private waiters: Waiter[] = [];
  private timer?: { due: number; handle: TimerHandle };

  constructor(
    private readonly clock: Clock,
    /** The queue's hidden messages by the time they become visible (peeked, never changed here). */
    private readonly hidden: MinHeap<QueuedMessage>,
    /** Makes the hidden messages whose time has come visible (the queue's). */
    private readonly promote: (now: number) => void,
  ) {}

  /** Resolves at the next wake or at `deadline`. */
  wait(deadline: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ deadline, wake: resolve });
      this.arm();
    });
  }

  /** One message became receivable: wakes the longest waiting poll. */
  wakeOne(): void {
    const w = this.waiters.shift();
    if (w) w.wake();
  }

  /** Wakes every waiter (queue deleted, attributes changed). */
  wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.wake();
    this.arm();
  }

  /** A message was hidden: it may be due before the timer. */
  hiddenAdded(): void {
    if (this.waiters.length > 0) this.arm();
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
