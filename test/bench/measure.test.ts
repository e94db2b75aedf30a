import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpuMs, LatencyRecorder, median, peakRssBytes, percentile, type ProcessTree, rssBytes, serverPid, statCpuTicks } from "../../bench/measure.js";

// The bench's arithmetic and its /proc readings: percentiles, the latency
// recorder, CPU ticks from /proc/<pid>/stat, and which process of a wrapper
// chain is the server.

describe("percentile and median", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("takes the nearest rank of sorted values", () => {
    assert.equal(percentile(hundred, 50), 50);
    assert.equal(percentile(hundred, 99), 99);
    assert.equal(percentile(hundred, 100), 100);
    assert.equal(percentile(hundred, 0), 1);
    assert.equal(percentile([7], 99), 7);
    assert.equal(percentile([1, 2, 3, 4], 50), 2);
    assert.equal(percentile([1, 2, 3, 4], 51), 3);
  });

  it("is NaN for no values", () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.ok(Number.isNaN(median([])));
  });

  it("median sorts numerically and leaves its input alone", () => {
    const values = [30, 4, 100, 2, 9];
    assert.equal(median(values), 9);
    assert.deepEqual(values, [30, 4, 100, 2, 9]);
  });
});

describe("LatencyRecorder", () => {
  it("counts and summarises what it recorded, sorting numerically", () => {
    const r = new LatencyRecorder();
    for (const ms of [10, 9, 100, 0.5, 2]) r.record(ms);
    assert.equal(r.count, 5);
    assert.deepEqual(r.summary(), { p50: 9, p99: 100 });
  });

  it("grows past its first buffer without losing values", () => {
    const r = new LatencyRecorder();
    const n = 40_000;
    for (let i = n; i >= 1; i--) r.record(i / 1000);
    assert.equal(r.count, n);
    assert.deepEqual(r.summary(), { p50: 20, p99: 39.6 });
  });

  it("summarises nothing as NaN", () => {
    const { p50, p99 } = new LatencyRecorder().summary();
    assert.ok(Number.isNaN(p50) && Number.isNaN(p99));
  });
});

describe("/proc readings", () => {
  it("reads utime + stime after a command name holding spaces and parentheses", () => {
    // Fields 1-17 of proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    const stat = "4242 (node (worker) 1) S 1 4242 4242 0 -1 4194304 1200 0 0 0 734 91 5 3 20 0 11 0";
    assert.equal(statCpuTicks(stat), 825);
  });

  it("reads this process's CPU time and RSS", () => {
    assert.equal(statCpuTicks(readFileSync(`/proc/${process.pid}/stat`, "utf8")) >= 0, true);
    assert.ok(cpuMs(process.pid) > 0);
    assert.ok(rssBytes(process.pid) > 1024 * 1024);
  });

  it("reads the peak RSS, which is never below the current one", () => {
    const current = rssBytes(process.pid);
    assert.ok(peakRssBytes(process.pid) >= current);
  });
});

describe("serverPid", () => {
  /** A process tree: pid -> [comm, children]. */
  const tree = (processes: Record<number, [string, number[]]>): ProcessTree => ({
    comm: (pid) => processes[pid][0],
    children: (pid) => processes[pid][1],
  });

  it("keeps a process that is not a wrapper, children or not", () => {
    assert.equal(serverPid(10, tree({ 10: ["node", [11]], 11: ["sh", []] })), 10);
    assert.equal(serverPid(10, tree({ 10: ["python3.12", []] })), 10);
  });

  it("follows wrappers that forked to their only child", () => {
    assert.equal(serverPid(10, tree({ 10: ["sh", [11]], 11: ["python3.12", []] })), 11);
    assert.equal(serverPid(10, tree({ 10: ["pyenv", [11]], 11: ["env", [12]], 12: ["python3", [13]], 13: ["sh", []] })), 12);
  });

  it("stops at a wrapper with no child or several (it cannot tell which serves)", () => {
    assert.equal(serverPid(10, tree({ 10: ["bash", []] })), 10);
    assert.equal(serverPid(10, tree({ 10: ["bash", [11, 12]], 11: ["node", []], 12: ["node", []] })), 10);
  });

  it("gives up after five wrappers", () => {
    const chain = tree(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i, ["sh", [i + 1]]])) as Record<number, [string, number[]]>);
    assert.equal(serverPid(0, chain), 5);
  });

  it("finds the child of a real shell that forked", async () => {
    // "; true" keeps sh from exec'ing sleep: it forks, as a wrapper script does.
    const shell = spawn("sh", ["-c", "sleep 30; true"], { stdio: "ignore" });
    let child: number | undefined;
    try {
      // The forked child is an "sh" until it has exec'd sleep: wait for both.
      for (let i = 0; i < 200 && child === undefined; i++) {
        const found = serverPid(shell.pid!);
        if (found !== shell.pid && readFileSync(`/proc/${found}/comm`, "utf8").trim() === "sleep") child = found;
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(child !== undefined, "sh never forked sleep");
      assert.equal(readFileSync(`/proc/${child}/comm`, "utf8").trim(), "sleep");
    } finally {
      if (child !== undefined) process.kill(child, "SIGKILL");
      shell.kill("SIGKILL");
    }
  });
});
