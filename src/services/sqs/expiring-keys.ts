// Keys that expire in the order they were set (a fixed window, on a clock that never
// goes back): a Map for lookups, and the same keys in a queue in expiry order. Dropping
// the expired ones then never walks the Map: a Map iterated from its front skips every
// entry deleted there until it rehashes, which made a FIFO send 4 times as costly once
// five minutes of sends had gone through the window.

export class ExpiringKeys {
  private readonly expiry = new Map<string, number>();
  private keys: string[] = [];
  private times: number[] = [];
  private head = 0;

  /** `onExpire` hears of each key that leaves (to drop what the caller keeps beside it). */
  constructor(private readonly onExpire?: (key: string) => void) {}

  /** When `key` expires, if it has not at `now`. */
  get(key: string, now: number): number | undefined {
    const expiresAt = this.expiry.get(key);
    return expiresAt !== undefined && expiresAt > now ? expiresAt : undefined;
  }

  /** Sets `key` (again) to expire at `expiresAt`, no earlier than any key set before. */
  set(key: string, expiresAt: number, now: number): void {
    this.prune(now);
    this.expiry.set(key, expiresAt);
    this.keys.push(key);
    this.times.push(expiresAt);
  }

  clear(): void {
    this.expiry.clear();
    this.keys = [];
    this.times = [];
    this.head = 0;
  }

  get size(): number {
    return this.expiry.size;
  }

  private prune(now: number): void {
    const { keys, times } = this;
    while (this.head < keys.length && times[this.head] <= now) {
      const key = keys[this.head];
      // A key set again since has a later entry further on: keep it.
      if (this.expiry.get(key) === times[this.head]) {
        this.expiry.delete(key);
        this.onExpire?.(key);
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > keys.length) {
      this.keys = keys.slice(this.head);
      this.times = times.slice(this.head);
      this.head = 0;
    }
  }
}
