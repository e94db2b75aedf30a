// The contract of a workload: one AWS operation (or a short sequence) driven
// both through the real SDK client and as a fixed raw HTTP request.
// To add one: write a file beside this one and register it in index.ts.

/** One HTTP request, replayed as-is by the raw load generator (autocannon). */
export interface RawRequest {
  method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Raw requests over one kept-alive connection: the answer's status and body. */
export interface RawClient {
  send(request: RawRequest): Promise<{ status: number; body: string }>;
}

export interface WorkloadContext {
  /** http://127.0.0.1:<port> of the emulator under test. */
  endpoint: string;
  /** How many SDK calls will be in flight at once (size the client's socket pool to it). */
  concurrency: number;
}

/**
 * What the bare server sends back for a request: a fixed answer shaped like
 * the real one (same fields, about the same size), so the SDK parses it as it
 * parses the emulator's.
 */
export interface CannedAnswer {
  /** Answer only requests whose X-Amz-Target is this (an operation of several calls); absent: every request. */
  amzTarget?: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The SDK row against the bare server, which cannot run setup: fixed names, canned answers. */
export interface CeilingSdk {
  /** What the bare server answers during the row (one answer, or one per X-Amz-Target). */
  answers: readonly CannedAnswer[];
  /** The SDK client and call, with the names the emulator row gets from its setup fixed instead. */
  prepare(ctx: WorkloadContext): Pick<PreparedWorkload, "call" | "close">;
}

/** A workload set up on one emulator, ready to run. */
export interface PreparedWorkload {
  /** One call through the real SDK client; it should throw on any failure. */
  call(): Promise<unknown>;
  /** The same operation as a raw request (may name what setup created, e.g. a queue URL). */
  raw: RawRequest;
  /** Release clients and sockets (state on the server dies with the server). */
  close(): Promise<void> | void;
  /**
   * An operation made of several raw requests, each depending on the answer before
   * (ReceiveMessage, then DeleteMessageBatch of what it received): when set, the raw
   * load runs it in a loop on each connection instead of replaying `raw` (which is
   * still what the answer check sends). It throws on a failed step.
   */
  rawOperation?(client: RawClient): Promise<void>;
  /** Figures measured during prepare, by ExtraFigure key (e.g. a cold start). */
  figures?: Record<string, number>;
}

/** A figure a workload measures itself, beside the load runs (e.g. a Lambda cold start). */
export interface ExtraFigure {
  key: string;
  /** Row label after the workload's title, e.g. "cold start, ms". */
  label: string;
  /** "none": information only (no "x better" column, no target). */
  better: "lower" | "higher" | "none";
  /** Design target: at most this (better "lower") or at least this (better "higher"). */
  target?: number;
}

export interface Workload {
  /** Key for `--only`, lower-case, e.g. "sts". */
  name: string;
  /** Row label, e.g. "STS GetCallerIdentity". */
  title: string;
  /** The AWS service it needs: only targets that emulate it run it (dynalite: "dynamodb"). */
  service: string;
  /** A successful raw answer's body matches this (checked once before the raw load). */
  rawExpect: RegExp;
  /** Design target: server CPU per operation at most this many times the bare server's. */
  cpuVsBareTarget?: number;
  /** Design target (the performance issues): server CPU per operation on the SDK row, ms. */
  sdkCpuTargetMs?: number;
  /** Figures the prepared workload reports in `figures`, printed as rows (and checked when they have a target). */
  extraFigures?: readonly ExtraFigure[];
  /** Create what the calls need (a table, a queue...) on the emulator, and the SDK client. */
  prepare(ctx: WorkloadContext): Promise<PreparedWorkload>;
  /**
   * The raw request sent to the bare server, which cannot run setup: the same
   * method and the same size of headers and body as `raw`, so the ceiling is comparable.
   */
  ceilingRequest(): RawRequest;
  /**
   * The SDK row against the bare server: its ceiling, measured in the same run.
   * Absent when canned answers cannot satisfy the client (a long poll, Lambda).
   */
  ceilingSdk?: CeilingSdk;
}

/** What a measured workload gets: the server under test, and how big and how long it may go. */
export interface MeasureContext {
  endpoint: string;
  /** The serving process, for /proc readings (CPU, RSS). */
  pid: number;
  /** --quick: a smoke-test size. */
  quick: boolean;
  /** Size of the measured object in MiB (--transfer-mib; 1024, quick 64). */
  sizeMiB: number;
  /** Stops the server and starts a fresh one (for a second pass that must not inherit the first's state): its endpoint and pid. */
  restart(): Promise<{ endpoint: string; pid: number }>;
}

/**
 * A workload that measures its figures itself in one go (one 1 GiB transfer),
 * instead of the SDK row and the raw load of thousands of calls. It runs on a
 * server of its own (started fresh for it), so its peak RSS is its own; the
 * bare server does not run it.
 */
export interface MeasuredWorkload {
  name: string;
  title: string;
  service: string;
  extraFigures: readonly ExtraFigure[];
  measure(ctx: MeasureContext): Promise<{ figures: Record<string, number>; notes?: string[] }>;
}

/** Anything `--only` can name: a load workload or a measured one. */
export type BenchWorkload = Workload | MeasuredWorkload;

export function isMeasured(workload: BenchWorkload): workload is MeasuredWorkload {
  return "measure" in workload;
}
