// The one clock every timer in Terrarium reads (visibility timeouts, delays, TTL,
// schedules, retries). It runs at wall-clock speed plus an offset that only grows:
// POST /_terrarium/clock advances it, firing whatever came due, in due order.
// Request authentication (SigV4 dates) deliberately keeps using real time.

export interface TimerHandle {
  cancel(): void;
}

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class Clock {
  private offsetMs = 0;
  private timers: Timer[] = [];
  private seq = 0;
  private realTimer: NodeJS.Timeout | undefined;
  private firing = false;
  private readonly advanced: (() => void)[] = [];

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  /** Milliseconds since the epoch, in Terrarium's time. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Moves time forward and runs every timer that came due, earliest first. */
  advance(seconds: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new RangeError("time never moves backwards");
    this.offsetMs += seconds * 1000;
    for (const listener of this.advanced) listener();
    this.fireDue();
  }

  /** Runs `listener` after every advance (persisted-clock.ts saves the time reached). */
  onAdvance(listener: () => void): void {
    this.advanced.push(listener);
  }

  /** Goes on from `ms` if an earlier run's time had got there (the offset only grows). */
  resumeFrom(ms: number): void {
    this.offsetMs = Math.max(this.offsetMs, ms - Date.now());
  }

  /** Runs `fn` once this clock reaches `dueMs`. */
  at(dueMs: number, fn: () => void): TimerHandle {
    const timer: Timer = { due: dueMs, seq: this.seq++, fn, cancelled: false };
    insertSorted(this.timers, timer);
    this.armRealTimer();
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    return this.at(this.now() + delayMs, fn);
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  stop(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    this.timers = [];
  }

  private fireDue(): void {
    if (this.firing) return;
    this.firing = true;
    try {
      while (this.timers.length > 0 && this.timers[0].due <= this.now()) {
        const timer = this.timers.shift()!;
        if (timer.cancelled) continue;
        try {
          timer.fn();
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.firing = false;
    }
    this.armRealTimer();
  }

  private armRealTimer(): void {
    while (this.timers.length > 0 && this.timers[0].cancelled) this.timers.shift();
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    if (this.timers.length === 0) return;
    // setTimeout caps at 2^31-1 ms; a later timer re-arms when this one fires.
    const delay = Math.min(Math.max(0, this.timers[0].due - this.now()), 2 ** 31 - 1);
    this.realTimer = setTimeout(() => this.fireDue(), delay);
    this.realTimer.unref();
  }
}

function insertSorted(timers: Timer[], timer: Timer): void {
  let lo = 0;
  let hi = timers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = timers[mid];
    if (t.due < timer.due || (t.due === timer.due && t.seq < timer.seq)) lo = mid + 1;
    else hi = mid;
  }
  timers.splice(lo, 0, timer);
}
