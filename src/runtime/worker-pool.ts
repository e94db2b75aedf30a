// The workers of one function version: a cold start on first use (init code runs
// once per worker), warm reuse afterwards, scale-out up to the concurrency limit
// (then ThrottledError), idle workers reaped, timed-out or crashed workers replaced.

import { randomUUID } from "node:crypto";
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

export class WorkerPool {
  private readonly workers = new Set<Worker>();
  /** Warm workers, most recently used last (reused first, so the oldest get reaped). */
  private readonly idle: Worker[] = [];
  /** Workers being spawned, counted against the limit before they exist. */
  private spawning = 0;
  private draining = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly info: RuntimeInfo,
    private readonly plan: LaunchPlan,
    private readonly opt: OptDir,
    private readonly ctx: PoolContext,
  ) {}

  /** Workers alive or starting. */
  get size(): number {
    return this.workers.size + this.spawning;
  }

  get busy(): number {
    return this.size - this.idle.length;
  }

  async invoke(event: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    const requestId = options.requestId ?? randomUUID();
    let worker = this.idle.pop();
    worker?.clearIdleTimer();
    let init: InitResult | undefined;
    if (!worker) {
      if (this.size >= this.spec.concurrencyLimit) {
        throw new ThrottledError(
          this.spec.name,
          this.spec.reservedConcurrency ? "ReservedFunctionConcurrentInvocationLimitExceeded" : "ConcurrentInvocationLimitExceeded",
        );
      }
      const started = await this.spawn("on-demand");
      if ("errorType" in started) return this.setupFailure(requestId, started);
      worker = started;
      init = await worker.init;
      if (!init.ok) return this.initFailure(requestId, worker, init);
    }
    try {
      return await this.run(worker, requestId, event, options, init?.durationMs);
    } finally {
      this.release(worker);
    }
  }

  /** Starts `count` workers ahead of traffic (provisioned concurrency). */
  async prewarm(count: number): Promise<void> {
    const started: Promise<unknown>[] = [];
    for (let i = 0; i < count && this.size < this.spec.concurrencyLimit; i++) {
      started.push(
        this.spawn("provisioned-concurrency").then(async (worker) => {
          if ("errorType" in worker) return;
          const init = await worker.init;
          if (init.ok) this.release(worker);
        }),
      );
    }
    await Promise.all(started);
  }

  /** Stops taking work: idle workers end now, busy ones when their invocation ends. */
  drain(): void {
    this.draining = true;
    for (const worker of this.idle.splice(0)) worker.kill();
    if (this.workers.size === 0 && this.spawning === 0) this.opt.dispose();
  }

  async shutdown(): Promise<void> {
    this.drain();
    const all = [...this.workers];
    for (const worker of all) worker.kill();
    await Promise.all(all.map((w) => w.settled(2000)));
    this.opt.dispose();
  }

  private async spawn(initializationType: "on-demand" | "provisioned-concurrency"): Promise<Worker | { errorType: string; errorMessage: string }> {
    const plan = this.plan;
    if ("errorType" in plan) return plan;
    const streamName = logStreamName(this.spec.version, this.ctx.now());
    const groupName = `/aws/lambda/${this.spec.name}`;
    const onLog = this.ctx.onLog;
    this.spawning++;
    try {
      const worker = await Worker.start({
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
        onLine: (message) => onLog?.({ logGroupName: groupName, logStreamName: streamName, timestamp: this.ctx.now(), message }),
      });
      this.workers.add(worker);
      void worker.exited.then(() => this.forget(worker));
      return worker;
    } finally {
      this.spawning--;
    }
  }

  private release(worker: Worker): void {
    if (worker.state !== "idle" || this.draining) {
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

  private forget(worker: Worker): void {
    this.workers.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    if (this.draining && this.workers.size === 0 && this.spawning === 0) this.opt.dispose();
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
