import { ExpiringKeys } from "./expiring-keys.js";
import { SqsLimits } from "./limits.js";

// FIFO deduplication: a send whose MessageDeduplicationId was seen in the last 5
// minutes is accepted but not delivered again (SendMessage API reference). In memory
// only the keys and their expiry; the earlier sends' results stay in SQLite
// (QueueHooks.readDedup), read back for a duplicate only.

/** A FIFO send's result, kept under its deduplication key for the window. */
export interface Dedup {
  messageId: string;
  sequenceNumber?: string;
  expiresAt: number;
}

export class DeduplicationWindow {
  private readonly keys = new ExpiringKeys();

  /** A persisted key, on start-up (in expiry order): kept if not expired at `now`. */
  load(key: string, expiresAt: number, now: number): void {
    if (expiresAt > now) this.keys.set(key, expiresAt, now);
  }

  /** Was `key` sent within the window before `now`? */
  has(key: string, now: number): boolean {
    return this.keys.get(key, now) !== undefined;
  }

  /** Opens the window for `key` at `now`; returns the entry to save. */
  add(key: string, messageId: string, sequenceNumber: string | undefined, now: number): Dedup {
    const entry = { messageId, sequenceNumber, expiresAt: now + SqsLimits.deduplicationWindowMs };
    this.keys.set(key, entry.expiresAt, now);
    return entry;
  }
}
