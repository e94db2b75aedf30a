import { type ChildProcess, spawn } from "node:child_process";

// Every server the bench starts is registered here, so that each one is
// stopped at the end: normally, on an error, and on SIGINT/SIGTERM.

const live = new Set<ChildProcess>();
const OUTPUT_KEEP = 8 * 1024;

export interface Child {
  process: ChildProcess;
  /** The last few KiB of stdout and stderr, for error messages. */
  output(): string;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL if it has not gone after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Calls `listener` once, when a stdout line first matches `pattern`. */
  onStdoutLine(pattern: RegExp, listener: () => void): void;
}

export function spawnChild(cmd: string, args: string[], cwd: string): Child {
  const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
  live.add(child);
  let tail = "";
  let exited = false;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_KEEP);
  };
  // Always drain both pipes: a server blocked on a full pipe would stall mid-run.
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      live.delete(child);
      resolve();
    });
    child.once("error", (error) => {
      tail += `\nspawn error: ${error.message}`;
      exited = true;
      live.delete(child);
      resolve();
    });
  });
  return {
    process: child,
    output: () => tail,
    exited: exitedPromise,
    hasExited: () => exited,
    async stop(graceMs = 3000) {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
    onStdoutLine(pattern, listener) {
      let buffered = "";
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        if (buffered.split("\n").some((line) => pattern.test(line))) {
          child.stdout?.off("data", onData);
          listener();
        }
        buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
      };
      child.stdout?.on("data", onData);
    },
  };
}

/** Synchronous last resort (process 'exit' handlers cannot wait). */
export function killAllNow(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}

export function liveChildren(): number {
  return live.size;
}

let installed = false;

/** Kill every child when the bench exits for any reason; SIGINT/SIGTERM exit with 130/143. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllNow);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping ${live.size} server(s)\n`);
      killAllNow();
      process.exit(code);
    });
  }
  process.on("uncaughtException", (error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    killAllNow();
    process.exit(1);
  });
}
