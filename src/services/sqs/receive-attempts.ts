import { ExpiringKeys } from "./expiring-keys.js";
import { SqsLimits } from "./limits.js";
import type { QueuedMessage } from "./records.js";

// A FIFO queue's ReceiveRequestAttemptIds within their 5-minute window, and the
// messages each one received (by seq), so that a retried receive can answer the
// same messages (ReceiveMessage API reference). Kept in memory only.

export class ReceiveAttempts {
  private readonly seqs = new Map<string, number[]>();
  private readonly window = new ExpiringKeys((id) => this.seqs.delete(id));

  /** `messages`: the queue's live messages, by seq. */
  constructor(private readonly messages: ReadonlyMap<number, QueuedMessage>) {}

  /**
   * The messages the attempt `id` received that are still queued and in flight at
   * `now`, if it is within its window; undefined when none is.
   */
  stillInFlight(id: string, now: number): QueuedMessage[] | undefined {
    const seqs = this.window.get(id, now) === undefined ? undefined : this.seqs.get(id);
    if (!seqs) return undefined;
    const again = seqs.map((seq) => this.messages.get(seq)).filter((m): m is QueuedMessage => !!m && m.visibleAt > now);
    return again.length === 0 ? undefined : again;
  }

  /** Records what the attempt `id` received at `now` (call only when it received some). */
  set(id: string, messages: readonly QueuedMessage[], now: number): void {
    this.seqs.set(id, messages.map((m) => m.seq));
    this.window.set(id, now + SqsLimits.deduplicationWindowMs, now);
  }

  clear(): void {
    this.window.clear();
    this.seqs.clear();
  }
}
