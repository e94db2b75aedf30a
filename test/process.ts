import { spawn, type ChildProcess } from "node:child_process";
import { NODE_FLAGS } from "../src/node-flags.js";

// Runs the built server (dist/main.js) as a child process, as `npm start` does,
// for the tests that need a real process: signals, crashes, the CLI.

export const ROOT = new URL("..", import.meta.url).pathname;

export interface ServerProcess {
  child: ChildProcess;
  endpoint: string;
  output: () => string;
}

export function spawnServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...NODE_FLAGS, "dist/main.js", "--port", "0", "--log-level", "warn", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 15_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes("Ready.")) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve({ child, endpoint: m[1], output: () => out });
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}
