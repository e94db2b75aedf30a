// The execution engine's face to the Lambda service: run a function version's code
// for one event. Pools are keyed by function version and rebuilt when the spec's
// revision (code or configuration) changes.

import type { Logger } from "../platform/logger.js";
import { mergeLayers } from "./layers.js";
import { MemoryWatch } from "./memory-watch.js";
import { RuntimeLauncher, runtimeInfo } from "./runtimes.js";
import { ThrottledError, type Credentials, type FunctionSpec, type InvokeOptions, type InvokeResult, type LogEvent } from "./types.js";
import { WorkerPool } from "./worker-pool.js";

export interface ExecutorOptions {
  /** Where the function's SDK calls go (AWS_ENDPOINT_URL), e.g. http://127.0.0.1:4566;
   *  a function is read at each worker start (the server may learn its port later). */
  endpointUrl: string | (() => string);
  logger?: Logger;
  /** Terrarium's clock, for log event timestamps and log stream names. Timeouts use real time. */
  now?: () => number;
  /** A warm worker unused this long is stopped. Default 5 minutes. */
  idleTimeoutMs?: number;
  /** Init (code outside the handler) must finish within this. AWS allows 10 seconds. */
  initTimeoutMs?: number;
  /** Every line a function writes, plus START/END/REPORT, for CloudWatch Logs. */
  onLog?: (event: LogEvent) => void;
  /** Credentials given to functions whose spec has none. */
  defaultCredentials?: Credentials;
  /** Directory for merged layer copies; the OS temp dir by default. */
  tmpDir?: string;
  pythonCommand?: string;
}

export class LambdaExecutor {
  private readonly pools = new Map<string, { fingerprint: string; pool: WorkerPool }>();
  private readonly launcher: RuntimeLauncher;
  /** One for every pool: the busy workers' memory checks share its timer. */
  private readonly memoryWatch = new MemoryWatch();
  private closed = false;

  constructor(private readonly options: ExecutorOptions) {
    this.launcher = new RuntimeLauncher(options.logger, options.pythonCommand);
  }

  /**
   * Runs `fn` for one event. Resolves with the function's answer, including its
   * errors (functionError set); rejects with ThrottledError when the version (or, with
   * reserved concurrency, the whole function) already runs `concurrencyLimit` invocations,
   * or when the account's unreserved concurrency is used up, and UnsupportedRuntimeError
   * for an unknown runtime.
   */
  async invoke(fn: FunctionSpec, event: Buffer, options: InvokeOptions = {}): Promise<InvokeResult> {
    const pool = this.pool(fn);
    // Reserved concurrency caps the function as a whole, every version and alias together
    // (each pool also checks its own version against the limit).
    if (fn.reservedConcurrency) {
      if (this.concurrentExecutions(fn.arn) >= fn.concurrencyLimit) throw new ThrottledError(fn.name, "ReservedFunctionConcurrentInvocationLimitExceeded");
    } else if (fn.unreservedConcurrency !== undefined && pool.busy >= pool.provisioned) {
      // Beyond its provisioned concurrency, an invocation draws from the account's unreserved pool.
      if (this.unreservedInUse(fn.arn) >= fn.unreservedConcurrency) throw new ThrottledError(fn.name, "ConcurrentInvocationLimitExceeded");
    }
    return pool.invoke(event, options);
  }

  /** Reserved concurrency set (a count) or removed (undefined) on a function: every
   *  version's pool throttles by the new rule from now on. */
  reservationChanged(arn: string, reserved: number | undefined): void {
    for (const [key, { pool }] of this.pools) {
      if (!key.startsWith(`${arn}:`)) continue;
      pool.spec.reservedConcurrency = reserved !== undefined;
      if (reserved !== undefined) pool.spec.concurrencyLimit = reserved;
    }
  }

  /** On-demand invocations of functions without reserved concurrency in the account and
   *  region of `arn`: what they run beyond their provisioned concurrency, per version. */
  private unreservedInUse(arn: string): number {
    const scope = arn.slice(0, arn.lastIndexOf(":") + 1);
    let total = 0;
    for (const [key, { pool }] of this.pools) {
      if (!pool.spec.reservedConcurrency && key.startsWith(scope)) total += Math.max(0, pool.busy - pool.provisioned);
    }
    return total;
  }

  /** Keeps `count` initialized workers for `fn` (provisioned concurrency; 0 releases them).
   *  Resolves with how many are initialized once the starts end. */
  provision(fn: FunctionSpec, count: number): Promise<number> {
    return this.pool(fn).provision(count);
  }

  /** Drops the workers of a function (every version) or of one version: after DeleteFunction, or a code update. */
  release(arn: string, version?: string): void {
    for (const [key, entry] of this.pools) {
      if (key === poolKey(arn, version ?? "") || (version === undefined && key.startsWith(`${arn}:`))) {
        entry.pool.drain();
        this.pools.delete(key);
      }
    }
  }

  /** Invocations running now, across all functions (for the account concurrency limit). */
  concurrentExecutions(arn?: string): number {
    let total = 0;
    for (const [key, { pool }] of this.pools) if (!arn || key.startsWith(`${arn}:`)) total += pool.busy;
    return total;
  }

  /** Live workers of one function version (warm or busy). */
  workerCount(fn: Pick<FunctionSpec, "arn" | "version">): number {
    return this.pools.get(poolKey(fn.arn, fn.version))?.pool.size ?? 0;
  }

  /** Initialized workers kept for provisioned concurrency of one function version. */
  provisionedCount(fn: Pick<FunctionSpec, "arn" | "version">): number {
    return this.pools.get(poolKey(fn.arn, fn.version))?.pool.provisionedCount() ?? 0;
  }

  /** Kills every worker and removes the merged layer directories. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()].map((entry) => entry.pool);
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.shutdown()));
  }

  private pool(fn: FunctionSpec): WorkerPool {
    if (this.closed) throw new Error("the Lambda executor is shut down");
    const key = poolKey(fn.arn, fn.version);
    const fingerprint = JSON.stringify([
      fn.revision,
      fn.runtime,
      fn.handler,
      fn.codeDir,
      fn.layers,
      fn.memoryMb,
      fn.timeoutS,
      fn.environment,
      fn.region,
      fn.credentials,
    ]);
    const existing = this.pools.get(key);
    if (existing && existing.fingerprint === fingerprint) {
      // Limits may change without restarting workers (PutFunctionConcurrency).
      existing.pool.spec.concurrencyLimit = fn.concurrencyLimit;
      existing.pool.spec.reservedConcurrency = fn.reservedConcurrency;
      existing.pool.spec.unreservedConcurrency = fn.unreservedConcurrency;
      return existing.pool;
    }
    const info = runtimeInfo(fn.runtime);
    existing?.pool.drain();
    const opt = mergeLayers(fn.layers, this.options.tmpDir);
    const spec = { ...fn, environment: { ...fn.environment }, layers: [...fn.layers] };
    const plan = this.launcher.plan(info, { codeDir: fn.codeDir, optDir: opt.path, memoryMb: fn.memoryMb });
    const pool = new WorkerPool(spec, info, plan, opt, {
      endpointUrl: typeof this.options.endpointUrl === "function" ? this.options.endpointUrl : () => this.options.endpointUrl as string,
      credentials: this.options.defaultCredentials ?? { accessKeyId: "test", secretAccessKey: "test" },
      idleTimeoutMs: this.options.idleTimeoutMs ?? 5 * 60_000,
      initTimeoutMs: this.options.initTimeoutMs ?? 10_000,
      now: this.options.now ?? Date.now,
      onLog: this.options.onLog,
      memoryWatch: this.memoryWatch,
    });
    this.pools.set(key, { fingerprint, pool });
    return pool;
  }
}

function poolKey(arn: string, version: string): string {
  return `${arn}:${version}`;
}
