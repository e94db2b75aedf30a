import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";

// What the kernel knows about a server process: resident memory and CPU time
// (all threads, user + system), read from /proc so the figures cost the
// server nothing and need no cooperation from it.

let clockTicks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (`getconf CLK_TCK`). */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Resident set size of the process in bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** Peak resident set size of the process since it started, in bytes (VmHWM of /proc/<pid>/status). */
export function peakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** utime + stime of the whole process (every thread), in milliseconds. */
export function cpuMs(pid: number): number {
  return (statCpuTicks(readFileSync(`/proc/${pid}/stat`, "utf8")) * 1000) / clockTicksPerSecond();
}

/** utime + stime, in clock ticks, from the text of /proc/<pid>/stat. */
export function statCpuTicks(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces and
  // parentheses itself: split after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
  return Number(fields[11]) + Number(fields[12]);
}

function comm(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

const WRAPPERS = new Set(["sh", "bash", "dash", "env", "pyenv", "npx", "npm"]);

/** What serverPid reads about a process (from /proc unless a test hands in another). */
export interface ProcessTree {
  /** The command name (/proc/<pid>/comm). */
  comm(pid: number): string;
  /** The direct children's pids. */
  children(pid: number): number[];
}

const PROC: ProcessTree = { comm, children };

/**
 * The process that actually serves: the spawned pid, or, when that is a shell
 * or version-manager wrapper that forked instead of exec'ing, its only child
 * (so moto is measured as the python process, never as a wrapper).
 */
export function serverPid(pid: number, tree: ProcessTree = PROC): number {
  let current = pid;
  for (let depth = 0; depth < 5; depth++) {
    const kids = tree.children(current);
    if (!WRAPPERS.has(tree.comm(current)) || kids.length !== 1) return current;
    current = kids[0];
  }
  return current;
}

/** Executable of a process, for the record. */
export function exePath(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return "?";
  }
}

/** A percentile (0..100) of ascending-sorted values, nearest-rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** Growable list of latencies (ms) kept in typed arrays, so a long run costs little. */
export class LatencyRecorder {
  private values = new Float64Array(1 << 14);
  private size = 0;

  record(ms: number): void {
    if (this.size === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.size++] = ms;
  }

  get count(): number {
    return this.size;
  }

  summary(): { p50: number; p99: number } {
    const sorted = this.values.slice(0, this.size).sort();
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  }
}
