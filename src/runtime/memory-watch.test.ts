import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { checkDelay, MemoryWatch, newResidentSample } from "./memory-watch.js";

// The watch itself: what it reads, when it reports, and the spacing of its checks.
// (That a runtime outgrowing MemorySize ends as Runtime.OutOfMemory is in executor.test.ts.)

const linux = process.platform === "linux";

function vmRssMb(): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;
}

function until(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (done() ? resolve() : setTimeout(poll, 5));
    poll();
  });
}

describe("MemoryWatch", { skip: !linux && "reads /proc" }, () => {
  test("a process beyond its limit is reported once", async () => {
    const watch = new MemoryWatch();
    let calls = 0;
    const stop = watch.watch(process.pid, 1, newResidentSample(), () => calls++);
    await until(() => calls > 0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(calls, 1);
    stop();
  });

  test("a process within its limit is read (statm pages, in MB) and not reported", async () => {
    const watch = new MemoryWatch();
    const sample = newResidentSample();
    let reported = false;
    const stop = watch.watch(process.pid, vmRssMb() * 4, sample, () => (reported = true));
    await until(() => sample.at > -Infinity);
    stop();
    const rss = vmRssMb();
    assert.ok(Math.abs(sample.mb - rss) < rss * 0.25, `statm says ${sample.mb} MB, status ${rss} MB`);
    assert.equal(reported, false);
  });

  test("a stopped watch reports nothing", async () => {
    const watch = new MemoryWatch();
    let reported = false;
    watch.watch(process.pid, 1, newResidentSample(), () => (reported = true))();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(reported, false);
  });
});

describe("checkDelay", () => {
  test("far below the limit a process is checked rarely, near it or growing fast often", () => {
    assert.equal(checkDelay(4096, 0), 250);
    assert.equal(checkDelay(84, 0), 42);
    assert.equal(checkDelay(10, 0), 20);
    assert.equal(checkDelay(84, 10), 20, "growth seen faster than assumed shortens the wait");
    assert.equal(checkDelay(-5, 0), 20);
  });
});
