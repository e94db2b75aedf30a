// The workers of one function version: a cold start on first use (init code runs
// once per worker), warm reuse afterwards, scale-out up to the concurrency limit
// (then ThrottledError), idle workers reaped, timed-out or crashed workers replaced.

import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { lambdaEnvironment, logStreamName } from "./environment.js";
import { endLine, initReportLine, logTail, reportLine, round2, startLine, timeoutMessage } from "./invocation-log.js";
import type { OptDir } from "./layers.js";
import { MAX_RESPONSE_BYTES, type Invocation } from "./runtime-api.js";
import type { LaunchPlan, RuntimeInfo } from "./runtimes.js";
import type { Credentials, FunctionSpec, InvokeOptions, InvokeResult, LogEvent } from "./types.js";
import { ThrottledError } from "./types.js";
import { Worker, type InitResult, type RunResult } from "./worker.js";

export interface PoolContext {
  endpointUrl: string;
  credentials: Credentials;
  idleTimeoutMs: number;
  initTimeoutMs: number;
  now: () => number;
  onLog?: (event: LogEvent) => void;
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
  private running = 0;
  private lastFreedAt = 0;
  /** Start times of the invocations running now. */
  private readonly runningSince = new Set<{ at: number }>();
  private scaleTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private closed = false;
  private readonly parallelSpawns = Math.max(2, availableParallelism());

  constructor(
    readonly spec: FunctionSpec,
    private readonly info: RuntimeInfo,
    private readonly plan: LaunchPlan,
    private readonly opt: OptDir,
    private readonly ctx: PoolContext,
  ) {}

  /** Workers alive or starting. */
  get size(): number {
    return this.workers.size + this.starting;
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
      return await this.run(worker, requestId, event, options, worker.takeColdInit());
    } finally {
      this.runningSince.delete(since);
      this.running--;
      this.release(worker);
    }
  }

  /** Starts `count` workers ahead of traffic (provisioned concurrency). */
  async prewarm(count: number): Promise<void> {
    const started: Promise<unknown>[] = [];
    for (let i = 0; i < count && this.size < this.spec.concurrencyLimit; i++) started.push(this.spawn("provisioned-concurrency"));
    await Promise.all(started);
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
    this.starting++;
    let worker: Worker | undefined;
    try {
      if ("errorType" in plan) {
        const waiter = this.waiters.shift();
        waiter?.fail(this.setupFailure(waiter.requestId, plan));
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
            endpointUrl: this.ctx.endpointUrl,
            credentials: this.spec.credentials ?? this.ctx.credentials,
            initializationType,
          }),
        initTimeoutMs: this.ctx.initTimeoutMs,
        onLine: (message) => onLog?.({ account: this.spec.account, region: this.spec.region, logGroupName: groupName, logStreamName: streamName, timestamp: this.ctx.now(), message }),
      });
      this.workers.add(worker);
      const started = worker;
      void started.exited.then(() => this.forget(started));
      const init = await worker.init;
      if (!init.ok) {
        // The request that waited for this environment gets its init error, as on AWS.
        const waiter = initializationType === "on-demand" ? this.waiters.shift() : undefined;
        if (waiter) waiter.fail(this.initFailure(waiter.requestId, worker, init));
        else worker.kill();
        return;
      }
      if (initializationType === "on-demand") worker.setColdInit(init.durationMs);
    } finally {
      this.starting--;
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
    // Requests still waiting need a replacement (a crash or a timeout ended this one).
    this.scale();
  }

  private disposeIfDone(): void {
    if (this.draining && this.workers.size === 0 && this.starting === 0 && this.waiters.length === 0) this.opt.dispose();
  }

  private async run(worker: Worker, requestId: string, event: Buffer, options: InvokeOptions, initDurationMs?: number): Promise<InvokeResult> {
    const spec = this.spec;
    const invocation: Invocation = {
      requestId,
      payload: event,
      deadlineMs: Date.now() + spec.timeoutS * 1000,
      invokedFunctionArn: options.invokedFunctionArn ?? spec.arn,
      traceId: options.traceId ?? traceHeader(),
      clientContext: options.clientContext,
      cognitoIdentity: options.cognitoIdentity,
    };
    worker.log(startLine(requestId, spec.version));
    const started = performance.now();
    const result = await worker.run(invocation, spec.timeoutS * 1000);
    const durationMs = round2(performance.now() - started);
    const failure = describe(result, requestId, spec.timeoutS);
    if (result.kind === "exit") {
      worker.log(`RequestId: ${requestId} Error: ${exitMessage(result.exit)}`);
      worker.log("Runtime.ExitError");
    }
    return this.finish(worker, requestId, durationMs, initDurationMs, failure, result);
  }

  private finish(
    worker: Worker,
    requestId: string,
    durationMs: number,
    initDurationMs: number | undefined,
    failure: Failure,
    result?: RunResult,
  ): InvokeResult {
    const spec = this.spec;
    const maxMemoryUsedMb = worker.maxMemoryUsedMb() || 1;
    // Custom runtimes are billed for their init too (AWS bills managed runtimes' init separately).
    const billedDurationMs = Math.max(1, Math.ceil(durationMs + (this.info.family === "provided" ? (initDurationMs ?? 0) : 0)));
    worker.log(endLine(requestId));
    worker.log(
      reportLine({
        requestId,
        durationMs,
        billedDurationMs,
        memoryMb: spec.memoryMb,
        maxMemoryUsedMb,
        initDurationMs: initDurationMs === undefined ? undefined : round2(initDurationMs),
        status: failure.status,
        errorType: failure.status === "error" ? failure.errorType : undefined,
      }),
    );
    if (result?.kind === "timeout") worker.log(`${new Date(this.ctx.now()).toISOString()} ${requestId} ${timeoutMessage(spec.timeoutS)}`);
    const log = worker.takeLines().join("\n") + "\n";
    return {
      requestId,
      payload: failure.payload,
      functionError: failure.functionError,
      errorType: failure.errorType,
      log,
      logTail: logTail(log),
      durationMs,
      billedDurationMs,
      initDurationMs: initDurationMs === undefined ? undefined : round2(initDurationMs),
      maxMemoryUsedMb,
    };
  }

  private initFailure(requestId: string, worker: Worker, init: Extract<InitResult, { ok: false }>): InvokeResult {
    let payload: Buffer;
    if (init.payload && init.payload.length > 0) payload = init.payload;
    else if (init.timedOut) payload = errorPayload("Sandbox.Timedout", `RequestId: ${requestId} Error: ${timeoutMessage(this.ctx.initTimeoutMs / 1000)}`);
    else payload = errorPayload(init.errorType, `RequestId: ${requestId} Error: ${exitMessage(init.exit ?? "exit status 1")}`);
    worker.log(initReportLine(round2(init.durationMs), init.errorType));
    worker.log(startLine(requestId, this.spec.version));
    return this.finish(worker, requestId, 0, undefined, {
      payload,
      functionError: "Unhandled",
      errorType: init.errorType,
      status: "error",
    });
  }

  private setupFailure(requestId: string, error: { errorType: string; errorMessage: string }): InvokeResult {
    const payload = errorPayload(error.errorType, `RequestId: ${requestId} Error: ${error.errorMessage}`);
    const log = [startLine(requestId, this.spec.version), `RequestId: ${requestId} Error: ${error.errorMessage}`, error.errorType, endLine(requestId)].join("\n") + "\n";
    return {
      requestId,
      payload,
      functionError: "Unhandled",
      errorType: error.errorType,
      log,
      logTail: logTail(log),
      durationMs: 0,
      billedDurationMs: 0,
      maxMemoryUsedMb: 0,
    };
  }
}

interface Failure {
  payload: Buffer;
  functionError?: "Unhandled";
  errorType?: string;
  status?: "timeout" | "error";
}

function describe(result: RunResult, requestId: string, timeoutS: number): Failure {
  switch (result.kind) {
    case "timeout":
      return {
        payload: errorPayload("Sandbox.Timedout", `RequestId: ${requestId} Error: ${timeoutMessage(timeoutS)}`),
        functionError: "Unhandled",
        errorType: "Sandbox.Timedout",
        status: "timeout",
      };
    case "exit":
      return {
        payload: errorPayload("Runtime.ExitError", `RequestId: ${requestId} Error: ${exitMessage(result.exit)}`),
        functionError: "Unhandled",
        errorType: "Runtime.ExitError",
        status: "error",
      };
    case "outcome": {
      const outcome = result.outcome;
      if (outcome.kind === "response") return { payload: outcome.body };
      if (outcome.kind === "tooLarge") {
        return {
          payload: errorPayload(
            "Function.ResponseSizeTooLarge",
            `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
            true,
          ),
          functionError: "Unhandled",
          errorType: "Function.ResponseSizeTooLarge",
        };
      }
      const errorType = outcome.errorType ?? errorTypeOf(outcome.body);
      const payload = outcome.body.length > 0 ? outcome.body : errorPayload(errorType ?? "Unknown", "");
      return { payload, functionError: "Unhandled", errorType };
    }
  }
}

/** AWS: "Runtime exited with error: exit status 1"; a clean exit has no reason to give. */
function exitMessage(exit: string): string {
  return exit === "exit status 0" ? "Runtime exited without providing a reason" : `Runtime exited with error: ${exit}`;
}

function errorPayload(errorType: string, errorMessage: string, messageFirst = false): Buffer {
  return Buffer.from(JSON.stringify(messageFirst ? { errorMessage, errorType } : { errorType, errorMessage }));
}

function errorTypeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { errorType?: unknown };
    return typeof parsed.errorType === "string" ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}

/** An X-Ray trace header as Lambda passes it (Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=0). */
function traceHeader(): string {
  const time = Math.floor(Date.now() / 1000).toString(16).padStart(8, "0");
  const id = randomUUID().replaceAll("-", "");
  return `Root=1-${time}-${id.slice(0, 24)};Parent=${id.slice(16, 32)};Sampled=0`;
}
