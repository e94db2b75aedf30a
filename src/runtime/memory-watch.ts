// MemorySize enforcement: the resident memory of every environment in init or in an
// invocation is compared with its MemorySize, and one that outgrew it is reported
// (its worker kills it, as AWS's OOM kill does).
//
// There is no event for "a process grew", so this polls /proc, and what polling costs
// is mostly the wakeups (on a 2-core VM, ~0.1 ms of CPU each for an otherwise idle
// server, more than the read). So one timer serves every watched process (checks that
// come due together share a wakeup), it stops when nothing is watched, and each process
// is checked as late as its headroom allows at ASSUMED_GROWTH_MB_PER_MS: one far below
// its limit rarely, one near it (or seen growing fast) every MIN_CHECK_MS, the fixed
// period this watch had before. A process growing no faster than assumed is caught as
// promptly as before; one growing faster from far below its limit is caught later,
// overshooting more. AWS's limit is the environment's memory, which this stands in for.

import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { endianness } from "node:os";
import { performance } from "node:perf_hooks";

/** The shortest wait for a process's next check (it may still be made up to
 *  SHARE_WAKEUP_MS sooner, in a wakeup another process's check needed)... */
const MIN_CHECK_MS = 20;
/** ...and the longest, however far below its limit it is. */
const MAX_CHECK_MS = 250;
/**
 * The growth a check assumes when it has not seen a faster one: about what a runtime
 * filling fresh buffers in a loop reaches (measured at 1.5-1.8 MB/ms for Node.js
 * Buffer.alloc and Python bytes on a 2-core VM), so a process is usually caught near
 * its limit rather than far past it.
 */
const ASSUMED_GROWTH_MB_PER_MS = 2;
/** A check that comes due within this of a wakeup is made in it (early is always safe). */
const SHARE_WAKEUP_MS = MIN_CHECK_MS / 2;

/** What the watch last saw of one process. Its worker keeps it between invocations, so
 *  the first check of the next one can come as late as that reading allows. */
export interface ResidentSample {
  mb: number;
  /** performance.now() of the reading; -Infinity before the first. */
  at: number;
}

export function newResidentSample(): ResidentSample {
  return { mb: 0, at: -Infinity };
}

interface Watched {
  pid: number;
  limitMb: number;
  sample: ResidentSample;
  /** Growth seen between the last two readings, MB per ms. */
  growth: number;
  due: number;
  onExceeded: () => void;
  /** /proc/<pid>/statm, opened at the first check and held until the watch ends: a re-read is one syscall. */
  fd?: number;
}

export class MemoryWatch {
  private readonly watched = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private pageBytes: number | undefined;
  private readonly buffer = Buffer.alloc(128);
  /** /proc is Linux's; elsewhere nothing is watched. */
  private readonly supported = process.platform === "linux" && existsSync("/proc/self/statm");

  /**
   * Calls `onExceeded` once if process `pid`'s resident memory goes beyond `limitMb`,
   * until the returned stop is called. `sample` is the process's last reading, updated here.
   */
  watch(pid: number | undefined, limitMb: number, sample: ResidentSample, onExceeded: () => void): () => void {
    if (pid === undefined || !this.supported) return () => {};
    const now = performance.now();
    // The process may have grown since its last reading, at the assumed rate at most:
    // the first check comes when that reading's headroom could be used up, never sooner
    // than MIN_CHECK_MS from now.
    const due = now + Math.max(MIN_CHECK_MS, checkDelay(limitMb - sample.mb, 0) - (now - sample.at));
    const entry: Watched = { pid, limitMb, sample, growth: 0, due, onExceeded };
    this.watched.add(entry);
    this.schedule(due);
    return () => {
      if (!this.watched.delete(entry)) return;
      closeStatm(entry);
      if (this.watched.size === 0) this.cancel();
    };
  }

  private check(): void {
    this.timer = undefined;
    this.timerDue = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const entry of this.watched) {
      if (entry.due <= now + SHARE_WAKEUP_MS) {
        const mb = this.residentMb(entry);
        if (mb > entry.limitMb) {
          this.watched.delete(entry);
          closeStatm(entry);
          entry.onExceeded();
          continue;
        }
        if (mb === 0) {
          // Unreadable: the process is ending (its worker sees the exit) or /proc has no entry for it.
          entry.due = now + MAX_CHECK_MS;
        } else {
          const last = entry.sample;
          if (last.at > -Infinity && now > last.at) entry.growth = Math.max(0, (mb - last.mb) / (now - last.at));
          last.mb = mb;
          last.at = now;
          entry.due = now + checkDelay(entry.limitMb - mb, entry.growth);
        }
      }
      next = Math.min(next, entry.due);
    }
    if (next < Infinity) this.schedule(next);
  }

  /** Makes sure the timer fires by `due`. */
  private schedule(due: number): void {
    if (this.timer !== undefined && this.timerDue <= due) return;
    this.cancel();
    this.timerDue = due;
    this.timer = setTimeout(() => this.check(), Math.max(0, due - performance.now()));
    this.timer.unref();
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
  }

  /** Resident memory in MB from /proc/<pid>/statm (a few numbers, cheaper than status); 0 when unreadable. */
  private residentMb(entry: Watched): number {
    try {
      entry.fd ??= openSync(`/proc/${entry.pid}/statm`, "r");
      // Reading at offset 0 makes the kernel render the file afresh.
      const n = readSync(entry.fd, this.buffer, 0, this.buffer.length, 0);
      // "size resident shared text lib data dt", in pages.
      const text = this.buffer.toString("latin1", 0, n);
      const from = text.indexOf(" ") + 1;
      const pages = Number(text.slice(from, text.indexOf(" ", from)));
      return Number.isFinite(pages) ? (pages * this.pageSize()) / (1024 * 1024) : 0;
    } catch {
      // The process is gone (a held descriptor then fails with ESRCH, even if its pid is reused).
      return 0;
    }
  }

  /** statm counts pages: the page size is AT_PAGESZ in this process's auxiliary vector (4 KB when unknown). */
  private pageSize(): number {
    this.pageBytes ??= auxvPageSize() ?? 4096;
    return this.pageBytes;
  }
}

function closeStatm(entry: Watched): void {
  if (entry.fd === undefined) return;
  try {
    closeSync(entry.fd);
  } catch {
    // Already closed.
  }
  entry.fd = undefined;
}

/** How long a process `headroomMb` below its limit, last seen growing at `growth` MB/ms, may go unchecked. */
export function checkDelay(headroomMb: number, growth: number): number {
  const ms = headroomMb / Math.max(growth, ASSUMED_GROWTH_MB_PER_MS);
  return Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, ms));
}

function auxvPageSize(): number | undefined {
  const AT_PAGESZ = 6;
  try {
    const auxv = readFileSync("/proc/self/auxv");
    const word = /64|s390x/.test(process.arch) ? 8 : 4;
    const le = endianness() === "LE";
    const read = (at: number): number =>
      word === 8 ? Number(le ? auxv.readBigUInt64LE(at) : auxv.readBigUInt64BE(at)) : le ? auxv.readUInt32LE(at) : auxv.readUInt32BE(at);
    for (let at = 0; at + 2 * word <= auxv.length; at += 2 * word) {
      const key = read(at);
      if (key === 0) break;
      if (key === AT_PAGESZ) return read(at + word);
    }
  } catch {
    // No auxv to read: assume the common 4 KB.
  }
  return undefined;
}
