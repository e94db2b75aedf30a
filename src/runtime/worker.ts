// One execution environment: a process running a runtime (our bootstrap or the
// user's), its own Runtime API endpoint, and the lines it writes.
//
// Timeouts use real time, not Terrarium's clock: the user's code runs in real time,
// and advancing the clock must not kill a handler that is still working.

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { OOM_EXIT, OUT_OF_MEMORY } from "./invocation-outcome.js";
import { newResidentSample, type MemoryWatch } from "./memory-watch.js";
import { RuntimeEndpoint, type Invocation, type InvocationOutcome } from "./runtime-api.js";

const MEMORY_READ_MS = 1000;

export type WorkerState = "initializing" | "idle" | "busy" | "dead";

export type InitResult =
  | { ok: true; durationMs: number }
  | { ok: false; durationMs: number; errorType: string; payload?: Buffer; exit?: string; timedOut?: boolean };

export type RunResult =
  | { kind: "outcome"; outcome: InvocationOutcome }
  | { kind: "exit"; exit: string }
  | { kind: "timeout" }
  /** The process outgrew MemorySize and was killed, as AWS's OOM kill does. */
  | { kind: "oom" };

export interface WorkerSpawn {
  command: string;
  args: string[];
  cwd: string;
  /** Built once the endpoint's address is known. */
  env: (runtimeApi: string) => Record<string, string>;
  initTimeoutMs: number;
  /** MemorySize: a process whose resident memory goes beyond it, in init or in an invocation, is killed. */
  memoryLimitMb?: number;
  /** Watches the resident memory of the executor's busy workers, all on one timer. */
  memoryWatch: MemoryWatch;
  /** Every line of the log as it is written: the process's output and the platform lines. */
  onLine: (line: string) => void;
}

export class Worker {
  state: WorkerState = "initializing";
  /** Started for provisioned concurrency: kept warm (never reaped for idleness), replaced when it dies. */
  provisioned = false;
  readonly init: Promise<InitResult>;
  /** Resolves with Go's ProcessState text ("exit status 1", "signal: killed") once the process and its pipes closed. */
  readonly exited: Promise<string>;
  private lines: string[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private coldInitMs: number | undefined;
  private memory = { mb: 0, readAt: -Infinity };
  private memoryLimitMb: number | undefined;
  private memoryWatch: MemoryWatch | undefined;
  /** The memory watch's last reading of this process, kept between invocations. */
  private readonly resident = newResidentSample();

  private constructor(
    private readonly onLine: (line: string) => void,
    private readonly endpoint: RuntimeEndpoint,
    private readonly child: ChildProcess,
    init: Promise<InitResult>,
    exited: Promise<string>,
  ) {
    this.init = init;
    this.exited = exited;
  }

  static async start(options: WorkerSpawn): Promise<Worker> {
    const started = performance.now();
    let settleInit!: (r: InitResult) => void;
    const init = new Promise<InitResult>((resolve) => (settleInit = resolve));
    const initError: { type?: string; body?: Buffer } = {};
    const endpoint = await RuntimeEndpoint.open({
      onReady: () => settleInit({ ok: true, durationMs: performance.now() - started }),
      onInitError: (type, body) => {
        initError.type = type ?? "Runtime.Unknown";
        initError.body = body;
      },
    });

    // A process group of its own, so a shell bootstrap's children (curl) die with it.
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env(endpoint.address),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let exitText = "exit status 0";
    const exited = new Promise<string>((resolve) => {
      child.on("error", (error) => {
        exitText = `fork/exec ${options.command}: ${(error as NodeJS.ErrnoException).code === "EACCES" ? "permission denied" : error.message}`;
        resolve(exitText);
      });
      child.on("exit", (code, signal) => {
        exitText = code !== null ? `exit status ${code}` : `signal: ${goSignalName(signal)}`;
        // Grandchildren may hold the pipes open; the environment ends with its runtime.
        killGroup(child);
      });
      child.on("close", () => resolve(exitText));
    });

    const worker = new Worker(options.onLine, endpoint, child, init, exited);
    const onLine = (line: string) => worker.log(line);
    collectLines(child.stdout!, onLine);
    collectLines(child.stderr!, onLine);

    const initTimer = setTimeout(() => {
      settleInit({ ok: false, durationMs: performance.now() - started, errorType: "Sandbox.Timedout", timedOut: true });
    }, options.initTimeoutMs);
    initTimer.unref();
    worker.memoryLimitMb = options.memoryLimitMb;
    worker.memoryWatch = options.memoryWatch;
    const stopInitWatch = worker.watchMemory(() => {
      settleInit({ ok: false, durationMs: performance.now() - started, errorType: OUT_OF_MEMORY, exit: OOM_EXIT });
    });
    void exited.then((exit) => {
      settleInit(
        initError.type
          ? { ok: false, durationMs: performance.now() - started, errorType: initError.type, payload: initError.body }
          : { ok: false, durationMs: performance.now() - started, errorType: "Runtime.ExitError", exit },
      );
    });
    void init.then((result) => {
      clearTimeout(initTimer);
      stopInitWatch();
      if (result.ok) worker.state = "idle";
      else worker.kill();
    });
    void exited.then(() => {
      worker.state = "dead";
      endpoint.close();
    });
    return worker;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Appends a line (the process's own, or a platform line: START, END, REPORT...) to this worker's log. */
  log(line: string): void {
    this.lines.push(line);
    this.onLine(line);
  }

  /** Returns and forgets the lines written since the last call. */
  takeLines(): string[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }

  /** Runs one invocation; on timeout the process is killed (the environment is recycled). */
  async run(invocation: Invocation, timeoutMs: number): Promise<RunResult> {
    this.state = "busy";
    let timer: NodeJS.Timeout | undefined;
    let stopWatch = () => {};
    const result = await Promise.race<RunResult>([
      this.endpoint.dispatch(invocation).then((outcome) => ({ kind: "outcome", outcome })),
      this.exited.then((exit) => ({ kind: "exit", exit })),
      new Promise<RunResult>((resolve) => {
        timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
        stopWatch = this.watchMemory(() => resolve({ kind: "oom" }));
      }),
    ]);
    clearTimeout(timer);
    stopWatch();
    if (result.kind === "outcome") {
      // Output written just before the response may sit in the pipe, ready in this same
      // poll phase: let it be read so it lands in this invocation's log.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.state === "busy") this.state = "idle";
    } else {
      this.endpoint.abandon();
      this.kill();
      await this.settled(500);
    }
    return result;
  }

  /** Remembers the init duration of an on-demand start, for the first invocation's REPORT line. */
  setColdInit(ms: number): void {
    this.coldInitMs = ms;
  }

  takeColdInit(): number | undefined {
    const ms = this.coldInitMs;
    this.coldInitMs = undefined;
    return ms;
  }

  /** Peak resident memory of the runtime process, in MB (VmHWM), as "Max Memory Used".
   *  Read from /proc at most every MEMORY_READ_MS: a sync read per warm invoke is measurable. */
  maxMemoryUsedMb(): number {
    const now = performance.now();
    if (now - this.memory.readAt < MEMORY_READ_MS) return this.memory.mb;
    this.memory = { mb: this.readMaxMemoryMb() || this.memory.mb, readAt: now };
    return this.memory.mb;
  }

  /** Calls `onExceeded` once if the process's resident memory goes beyond MemorySize
   *  (see memory-watch.ts for how often it is checked). Returns the stop. */
  private watchMemory(onExceeded: () => void): () => void {
    const limit = this.memoryLimitMb;
    if (!limit || !this.memoryWatch) return () => {};
    return this.memoryWatch.watch(this.child.pid, limit, this.resident, onExceeded);
  }

  private readMaxMemoryMb(): number {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, "utf8");
      const kb = /VmHWM:\s+(\d+)/.exec(status);
      if (kb) return Math.ceil(Number(kb[1]) / 1024);
    } catch {
      // Not Linux, or the process is gone.
    }
    return 0;
  }

  setIdleTimer(ms: number, onIdle: () => void): void {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(onIdle, ms);
    this.idleTimer.unref();
  }

  clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  kill(): void {
    this.clearIdleTimer();
    if (this.state !== "dead") this.state = "dead";
    killGroup(this.child);
  }

  /** Waits for the process to be gone (pipes drained), at most `ms`. */
  async settled(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

// Go's names (Lambda's runtime is written in Go), as in "signal: killed".
function goSignalName(signal: NodeJS.Signals | null): string {
  const names: Record<string, string> = {
    SIGKILL: "killed",
    SIGTERM: "terminated",
    SIGABRT: "aborted",
    SIGSEGV: "segmentation fault",
    SIGINT: "interrupt",
    SIGBUS: "bus error",
    SIGILL: "illegal instruction",
    SIGFPE: "floating point exception",
    SIGPIPE: "broken pipe",
    SIGHUP: "hangup",
  };
  return signal ? (names[signal] ?? signal) : "unknown";
}

/** Splits a stream into lines; a "\r" inside a line (the runtimes' encoding of a multi-line message) becomes "\n". */
function collectLines(stream: Readable, onLine: (line: string) => void): void {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const emit = (text: string) => {
    const parts = text.split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) onLine(part.replaceAll("\r", "\n"));
  };
  stream.on("data", (chunk: Buffer) => emit(pending + decoder.write(chunk)));
  stream.on("end", () => {
    emit(pending + decoder.end());
    if (pending) onLine(pending.replaceAll("\r", "\n"));
    pending = "";
  });
}
