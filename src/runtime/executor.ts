// The execution engine's face to the Lambda service: run a function version's code
// for one event. Pools are keyed by function version and rebuilt when the spec's
// revision (code or configuration) changes.

import type { Logger } from "../platform/logger.js";
import { mergeLayers } from "./layers.js";
import { RuntimeLauncher, runtimeInfo } from "./runtimes.js";
import type { Credentials, FunctionSpec, InvokeOptions, InvokeResult, LogEvent } from "./types.js";
import { WorkerPool } from "./worker-pool.js";

export interface ExecutorOptions {
  /** Where the function's SDK calls go (AWS_ENDPOINT_URL), e.g. http://127.0.0.1:4566. */
  endpointUrl: string;
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
  private closed = false;

  constructor(private readonly options: ExecutorOptions) {
    this.launcher = new RuntimeLauncher(options.logger, options.pythonCommand);
  }

  /**
   * Runs `fn` for one event. Resolves with the function's answer, including its
   * errors (functionError set); rejects with ThrottledError when the version already
   * runs `concurrencyLimit` invocations, and UnsupportedRuntimeError for an unknown runtime.
   */
  async invoke(fn: FunctionSpec, event: Buffer, options: InvokeOptions = {}): Promise<InvokeResult> {
    return this.pool(fn).invoke(event, options);
  }

  /** Starts up to `count` warm workers for `fn` (provisioned concurrency). */
  async prewarm(fn: FunctionSpec, count: number): Promise<void> {
    return this.pool(fn).prewarm(count);
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
      return existing.pool;
    }
    const info = runtimeInfo(fn.runtime);
    existing?.pool.drain();
    const opt = mergeLayers(fn.layers, this.options.tmpDir);
    const spec = { ...fn, environment: { ...fn.environment }, layers: [...fn.layers] };
    const plan = this.launcher.plan(info, { codeDir: fn.codeDir, optDir: opt.path, memoryMb: fn.memoryMb });
    const pool = new WorkerPool(spec, info, plan, opt, {
      endpointUrl: this.options.endpointUrl,
      credentials: this.options.defaultCredentials ?? { accessKeyId: "test", secretAccessKey: "test" },
      idleTimeoutMs: this.options.idleTimeoutMs ?? 5 * 60_000,
      initTimeoutMs: this.options.initTimeoutMs ?? 10_000,
      now: this.options.now ?? Date.now,
      onLog: this.options.onLog,
    });
    this.pools.set(key, { fingerprint, pool });
    return pool;
  }
}

function poolKey(arn: string, version: string): string {
  return `${arn}:${version}`;
}
