// The workers of one function version: a cold start on first use (init code runs
// once per worker), warm reuse afterwards, scale-out up to the concurrency limit
// (then ThrottledError), idle workers reaped, timed-out or crashed workers replaced.

import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { lambdaEnvironment, logStreamName } from "./environment.js";
import type { OptDir } from "./layers.js";
import type { MemoryWatch } from "./memory-watch.js";
import { initFailureResult, runInvocation, setupFailureResult, type InvocationContext } from "./run-invocation.js";
import type { LaunchPlan, RuntimeInfo } from "./runtimes.js";
import type { Credentials, FunctionSpec, InvokeOptions, InvokeResult, LogEvent } from "./types.js";
import { ThrottledError } from "./types.js";
import { Worker } from "./worker.js";

export interface PoolContext {
  endpointUrl: () => string;
  credentials: Credentials;
  idleTimeoutMs: number;
  initTimeoutMs: number;
  now: () => number;
  onLog?: (event: LogEvent) => void;
  memoryWatch: MemoryWatch;
}

/**
 * Scale-out policy. AWS gives every concurrent request its own environment, but a
 * cold start per concurrent request costs far more than it saves on a small machine:
 * a request that finds every warm worker busy waits for one to come free, and a new
 * worker is started only when the queue is stalled (no worker came free for
 * SPAWN_AFTER_MS while a request waited that long), so a slow or blocked handler still
 * gets parallel environments. Beyond one worker per core (plus one, to cover the
 * Runtime API round trips), more processes only help handlers that wait (I/O,
 * sleeps), not ones that compute: there a worker is added
 * only when every running invocation has run for SLOW_MS, at most `parallelSpawns`
 * cold starts at once. A function with no warm worker gets one per waiting request.
 */
const SPAWN_AFTER_MS = 4;
const SLOW_MS = 100;

interface Waiter {
  requestId: string;
  since: number;
  take(worker: Worker): void;
  fail(result: InvokeResult | Error): void;
}

export class WorkerPool {
  private readonly workers = new Set<Worker>();
  /** Warm workers, most recently used last (reused first, so the oldest get reaped). */
  private readonly idle: Worker[] = [];
  /** Requests admitted but waiting for a worker, oldest first. */
  private readonly waiters: Waiter[] = [];
  /** Workers being started (process spawned, init not over), counted against the limit. */
  private starting = 0;
  /** Of those, the ones already in `workers` (their process is up, init is running). */
  private initializing = 0;
  private running = 0;
  private lastFreedAt = 0;
  /** Start times of the invocations running now. */
  private readonly runningSince = new Set<{ at: number }>();
  private scaleTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private closed = false;
  private readonly parallelSpawns = Math.max(2, availableParallelism());
  /** Provisioned concurrency: initialized workers kept for this version. */
  private provisionedTarget = 0;
  private provisionedStarting = 0;
  private readonly invocation: InvocationContext;

  constructor(
    readonly spec: FunctionSpec,
    private readonly info: RuntimeInfo,
    private readonly plan: LaunchPlan,
    private readonly opt: OptDir,
    private readonly ctx: PoolContext,
  ) {
    this.invocation = { spec, family: info.family, initTimeoutMs: ctx.initTimeoutMs, now: ctx.now };
  }

  /** Workers alive or starting. */
  get size(): number {
    return this.workers.size + this.starting - this.initializing;
  }

  /** Provisioned concurrency asked of this version (its invocations up to this count do
   *  not draw from the account's unreserved pool). */
  get provisioned(): number {
    return this.provisionedTarget;
  }

  /** Invocations admitted: running, or waiting for a worker. */
  get busy(): number {
    return this.running + this.waiters.length;
  }

  async invoke(event: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    const requestId = options.requestId ?? randomUUID();
    if (this.busy >= this.spec.concurrencyLimit) {
      throw new ThrottledError(
        this.spec.name,
        this.spec.reservedConcurrency ? "ReservedFunctionConcurrentInvocationLimitExceeded" : "ConcurrentInvocationLimitExceeded",
      );
    }
    let worker = this.idle.pop();
    if (!worker) {
      const got = await this.wait(requestId);
      if (!(got instanceof Worker)) return got;
      worker = got;
    }
    worker.clearIdleTimer();
    this.running++;
    const since = { at: performance.now() };
    this.runningSince.add(since);
    try {
      return await runInvocation(this.invocation, worker, requestId, event, options, worker.takeColdInit());
    } finally {
      this.runningSince.delete(since);
      this.running--;
      this.release(worker);
    }
  }

  /**
   * Keeps `count` initialized workers for provisioned concurrency: starts the missing
   * ones (idle ones beyond the count are stopped), never reaps them for idleness, and
   * replaces one that dies. Resolves with how many are initialized once the starts end.
   */
  async provision(count: number): Promise<number> {
    this.provisionedTarget = count;
    const live = [...this.workers].filter((w) => w.provisioned && w.state !== "dead");
    for (const worker of live.slice(count)) {
      worker.provisioned = false;
      const at = this.idle.indexOf(worker);
      if (at >= 0) {
        this.idle.splice(at, 1);
        worker.kill();
      }
    }
    const started: Promise<unknown>[] = [];
    for (let i = live.length + this.provisionedStarting; i < count && this.size < this.spec.concurrencyLimit; i++) {
      started.push(this.spawn("provisioned-concurrency"));
    }
    await Promise.all(started);
    return this.provisionedCount();
  }

  /** Initialized workers kept for provisioned concurrency (busy or idle). */
  provisionedCount(): number {
    let n = 0;
    for (const worker of this.workers) if (worker.provisioned && (worker.state === "idle" || worker.state === "busy")) n++;
    return n;
  }

  /** Stops taking work: idle workers end now, busy ones when their invocation ends
   *  (requests already waiting are still served). */
  drain(): void {
    this.draining = true;
    for (const worker of this.idle.splice(0)) worker.kill();
    this.disposeIfDone();
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.drain();
    clearTimeout(this.scaleTimer);
    for (const waiter of this.waiters.splice(0)) waiter.fail(new Error("the Lambda executor is shut down"));
    const all = [...this.workers];
    for (const worker of all) worker.kill();
    await Promise.all(all.map((w) => w.settled(2000)));
    this.opt.dispose();
  }

  /** Queues a request until a worker is free, starting workers as the policy allows. */
  private wait(requestId: string): Promise<Worker | InvokeResult> {
    return new Promise((resolve, reject) => {
      this.waiters.push({
        requestId,
        since: performance.now(),
        take: resolve,
        fail: (result) => (result instanceof Error ? reject(result) : resolve(result)),
      });
      this.scale();
    });
  }

  /** Starts workers for waiting requests: at once when none is warm, otherwise when the queue stalls. */
  private scale(): void {
    if (this.closed || this.waiters.length === 0) return;
    const now = performance.now();
    let warm = false;
    for (const worker of this.workers) if (worker.state === "idle" || worker.state === "busy") warm = true;
    let youngest = Infinity;
    for (const run of this.runningSince) youngest = Math.min(youngest, now - run.at);
    const quiet = now - this.waiters[0].since >= SPAWN_AFTER_MS && now - this.lastFreedAt >= SPAWN_AFTER_MS;
    let want = 0;
    // Cold (nothing warm yet): one environment per waiting request, as AWS does.
    if (!warm) want = this.waiters.length - this.starting;
    else if (quiet && youngest >= SLOW_MS) want = Math.min(this.waiters.length, this.parallelSpawns) - this.starting;
    else if (quiet) want = this.parallelSpawns + 1 - this.size;
    want = Math.min(want, this.spec.concurrencyLimit - this.size);
    while (want-- > 0) void this.spawn("on-demand");
    if (this.waiters.length > this.starting && this.scaleTimer === undefined) {
      this.scaleTimer = setTimeout(() => {
        this.scaleTimer = undefined;
        this.scale();
      }, SPAWN_AFTER_MS);
      this.scaleTimer.unref();
    }
  }

  /** Starts one worker; once initialized it serves the oldest waiting request or goes idle. */
  private async spawn(initializationType: "on-demand" | "provisioned-concurrency"): Promise<void> {
    const plan = this.plan;
    const provisioned = initializationType === "provisioned-concurrency";
    this.starting++;
    if (provisioned) this.provisionedStarting++;
    let worker: Worker | undefined;
    let joined = false;
    try {
      if ("errorType" in plan) {
        const waiter = this.waiters.shift();
        waiter?.fail(setupFailureResult(this.spec, waiter.requestId, plan));
        return;
      }
      const streamName = logStreamName(this.spec.version, this.ctx.now());
      const groupName = `/aws/lambda/${this.spec.name}`;
      const onLog = this.ctx.onLog;
      worker = await Worker.start({
        command: plan.command,
        args: plan.args,
        cwd: this.spec.codeDir,
        env: (runtimeApi) =>
          lambdaEnvironment({
            spec: this.spec,
            info: this.info,
            runtimeApi,
            runtimeDir: plan.runtimeDir,
            optDir: this.opt.path,
            logStreamName: streamName,
            endpointUrl: this.ctx.endpointUrl(),
            credentials: this.spec.credentials ?? this.ctx.credentials,
            initializationType,
          }),
        initTimeoutMs: this.ctx.initTimeoutMs,
        memoryLimitMb: this.spec.memoryMb,
        memoryWatch: this.ctx.memoryWatch,
        onLine: (message) => onLog?.({ account: this.spec.account, region: this.spec.region, logGroupName: groupName, logStreamName: streamName, timestamp: this.ctx.now(), message }),
      });
      this.workers.add(worker);
      this.initializing++;
      joined = true;
      const started = worker;
      void started.exited.then(() => this.forget(started));
      const init = await worker.init;
      if (!init.ok) {
        // The request that waited for this environment gets its init error, as on AWS.
        const waiter = initializationType === "on-demand" ? this.waiters.shift() : undefined;
        if (waiter) waiter.fail(initFailureResult(this.invocation, waiter.requestId, worker, init));
        else worker.kill();
        return;
      }
      if (initializationType === "on-demand") worker.setColdInit(init.durationMs);
      // Provisioned concurrency may have been lowered meanwhile: then it is an ordinary warm worker.
      worker.provisioned = provisioned && this.provisionedCount() < this.provisionedTarget;
    } finally {
      this.starting--;
      if (joined) this.initializing--;
      if (provisioned) this.provisionedStarting--;
    }
    this.offer(worker);
  }

  /** A free worker: to the oldest waiting request, or to the idle list. */
  private offer(worker: Worker): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.take(worker);
      return;
    }
    if (this.draining || this.closed) {
      worker.kill();
      return;
    }
    this.idle.push(worker);
    if (worker.provisioned) return;
    worker.setIdleTimer(this.ctx.idleTimeoutMs, () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      worker.kill();
    });
  }

  private release(worker: Worker): void {
    this.lastFreedAt = performance.now();
    if (worker.state !== "idle") {
      worker.kill();
      this.scale();
      return;
    }
    this.offer(worker);
  }

  private forget(worker: Worker): void {
    this.workers.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    this.disposeIfDone();
    // Provisioned concurrency stays allocated: a worker that died (timeout, crash) is replaced.
    if (worker.provisioned && !this.draining && !this.closed && this.provisionedCount() + this.provisionedStarting < this.provisionedTarget) {
      void this.spawn("provisioned-concurrency");
    }
    // Requests still waiting need a replacement (a crash or a timeout ended this one).
    this.scale();
  }

  private disposeIfDone(): void {
    if (this.draining && this.workers.size === 0 && this.starting === 0 && this.waiters.length === 0) this.opt.dispose();
  }
}
