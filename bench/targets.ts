import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NODE_FLAGS } from "../src/node-flags.js";
import { type Child, spawnChild } from "./children.js";
import { serverPid } from "./measure.js";
import type { CannedAnswer } from "./workloads/types.js";

// The servers under test: Terrarium and the peers a user would otherwise pick,
// each a separate child process on its own free 127.0.0.1 port.

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export const TARGET_NAMES = ["terrarium", "moto", "dynalite", "bare"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface Launch {
  cmd: string;
  args: string[];
  cwd: string;
}

export interface TargetSpec {
  name: TargetName;
  label: string;
  /** AWS services it emulates; "ceiling" answers anything with a fixed or canned body (bare-server.mjs). */
  services: "all" | "ceiling" | readonly string[];
  /** A cheap path whose first answer (any status) means "ready". */
  probePath: string;
  /** Throws an Error whose message says why the target is unavailable on this machine. */
  resolve(): (port: number) => Launch;
}

const HOST = "127.0.0.1";

export const TARGETS: Record<TargetName, TargetSpec> = {
  terrarium: {
    name: "terrarium",
    label: "Terrarium",
    services: "all",
    probePath: "/_terrarium/health",
    resolve() {
      const main = join(ROOT, "dist", "main.js");
      if (!existsSync(main)) throw new Error("dist/main.js missing (npm run build)");
      // With the V8 flags `npm start` and bin/terrarium.js give it.
      return (port) => ({ cmd: process.execPath, args: [...NODE_FLAGS, main, "--port", String(port), "--log-level", "warn"], cwd: ROOT });
    },
  },
  moto: {
    name: "moto",
    label: "moto",
    services: "all",
    probePath: "/",
    resolve() {
      // Run the real interpreter, not a pyenv shim: the shim's own start-up is
      // not moto's, and we want the python process's pid for RSS and CPU.
      let python: string;
      try {
        python = execFileSync("python3", ["-c", "import moto.server, sys; print(sys.executable)"], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        }).trim();
      } catch (error) {
        throw new Error(`python3 cannot import moto.server (${firstLine(error)})`);
      }
      return (port) => ({ cmd: python, args: ["-m", "moto.server", "-H", HOST, "-p", String(port)], cwd: ROOT });
    },
  },
  dynalite: {
    name: "dynalite",
    label: "dynalite",
    services: ["dynamodb"],
    probePath: "/",
    resolve() {
      let cli: string;
      try {
        cli = join(dirname(createRequire(import.meta.url).resolve("dynalite/package.json")), "cli.js");
      } catch (error) {
        throw new Error(`dynalite is not installed (${firstLine(error)})`);
      }
      // Tables go ACTIVE at once, as they do in Terrarium and moto.
      const instant = ["--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"];
      return (port) => ({ cmd: process.execPath, args: [cli, "--host", HOST, "--port", String(port), ...instant], cwd: ROOT });
    },
  },
  bare: {
    name: "bare",
    label: "bare node:http",
    services: "ceiling",
    probePath: "/",
    resolve() {
      const script = join(ROOT, "bench", "bare-server.mjs");
      return (port) => ({ cmd: process.execPath, args: [script, "--host", HOST, "--port", String(port)], cwd: ROOT });
    },
  },
};

/** Tell the bare server what to answer (an empty list: its fixed default body). */
export function setCannedAnswers(endpoint: string, answers: readonly CannedAnswer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(answers);
    const req = request(new URL("/_bare/answers", endpoint), { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 204 ? resolve() : reject(new Error(`the bare server refused the canned answers: HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

export function supports(spec: TargetSpec, service: string): boolean {
  return spec.services === "all" || spec.services === "ceiling" || spec.services.includes(service);
}

export interface RunningTarget {
  spec: TargetSpec;
  port: number;
  endpoint: string;
  /** The serving process (RSS and CPU are read from it). */
  pid: number;
  /** Spawn to first answered request, ms. */
  readyMs: number;
  child: Child;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Spawn the target and poll it in a tight loop until it answers a request. */
export async function startTarget(spec: TargetSpec, launch: (port: number) => Launch, timeoutMs = 30_000): Promise<RunningTarget> {
  const port = await freePort();
  const { cmd, args, cwd } = launch(port);
  const started = performance.now();
  const child = spawnChild(cmd, args, cwd);
  const deadline = started + timeoutMs;
  for (;;) {
    if (child.hasExited()) {
      throw new Error(`${spec.label} exited before answering (code ${child.process.exitCode}):\n${child.output().trim().slice(-2000)}`);
    }
    if (performance.now() > deadline) {
      await child.stop();
      throw new Error(`${spec.label} did not answer within ${timeoutMs} ms:\n${child.output().trim().slice(-2000)}`);
    }
    if (await probe(port, spec.probePath)) break;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const readyMs = performance.now() - started;
  const pid = serverPid(child.process.pid ?? -1);
  return {
    spec,
    port,
    endpoint: `http://${HOST}:${port}`,
    pid,
    readyMs,
    child,
    stop: () => child.stop(),
  };
}

/** True when anything answers HTTP on the port (any status counts). */
function probe(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: HOST, port, path, method: "GET", agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

function firstLine(error: unknown): string {
  const err = error as { stderr?: string; message?: string };
  const text = (err.stderr && String(err.stderr).trim()) || err.message || String(error);
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? text;
}
