// Lambda runtime identifiers -> how to start a worker process on this machine.
//
// Managed runtimes (nodejs*, python*) run our bootstraps under the machine's own
// interpreters: node is the one running Terrarium (process.execPath), python is
// `python3` on PATH. When the local major version differs from the one the function
// asked for, the function still runs, with a warning logged once per runtime.
// Custom runtimes (provided.al2, provided.al2023) run the user's `bootstrap` as is.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../platform/logger.js";

export type RuntimeFamily = "nodejs" | "python" | "provided";

export interface RuntimeInfo {
  name: string;
  family: RuntimeFamily;
  /** "20" for nodejs20.x, "3.12" for python3.12; absent for custom runtimes. */
  version?: string;
}

/** The runtimes AWS currently accepts at CreateFunction that run without a container. */
export const SUPPORTED_RUNTIMES = [
  "nodejs18.x",
  "nodejs20.x",
  "nodejs22.x",
  "nodejs24.x",
  "python3.9",
  "python3.10",
  "python3.11",
  "python3.12",
  "python3.13",
  "python3.14",
  "provided.al2",
  "provided.al2023",
] as const;

/** Thrown for a runtime we cannot run; the service answers InvalidParameterValueException. */
export class UnsupportedRuntimeError extends Error {
  constructor(readonly runtime: string) {
    super(
      `The runtime parameter of ${runtime} is not supported by Terrarium. ` +
        `Supported runtimes: ${SUPPORTED_RUNTIMES.join(", ")}. Container images (PackageType Image) need a container engine.`,
    );
    this.name = "UnsupportedRuntimeError";
  }
}

export function runtimeInfo(name: string): RuntimeInfo {
  if (!(SUPPORTED_RUNTIMES as readonly string[]).includes(name)) throw new UnsupportedRuntimeError(name);
  const node = /^nodejs(\d+)\.x$/.exec(name);
  if (node) return { name, family: "nodejs", version: node[1] };
  const python = /^python(3\.\d+)$/.exec(name);
  if (python) return { name, family: "python", version: python[1] };
  return { name, family: "provided" };
}

/** The directory that holds bootstraps/node and bootstraps/python. */
export function bootstrapsDir(): string {
  // src/runtime/bootstraps under tsx; dist/runtime/bootstraps, copied by scripts/build.mjs.
  return fileURLToPath(new URL("./bootstraps/", import.meta.url));
}

export type LaunchPlan =
  | { command: string; args: string[]; runtimeDir: string }
  | { errorType: string; errorMessage: string };

export interface LaunchTarget {
  codeDir: string;
  optDir: string;
  memoryMb: number;
}

/** Resolves launch commands; remembers interpreter versions and warns once per runtime. */
export class RuntimeLauncher {
  private pythonVersion: string | undefined | null = null;
  /** The interpreter itself (sys.executable): a shim in front of it (pyenv's is a bash
   *  script) costs ~100 ms on every cold start. */
  private pythonExecutable: string | undefined;
  private readonly warned = new Set<string>();
  private readonly bootstraps = bootstrapsDir();

  constructor(
    private readonly logger?: Logger,
    private readonly pythonCommand = "python3",
  ) {}

  plan(info: RuntimeInfo, target: LaunchTarget): LaunchPlan {
    switch (info.family) {
      case "nodejs": {
        this.checkVersion(info, process.versions.node.split(".")[0], "node");
        const runtimeDir = join(this.bootstraps, "node");
        // Leave ~10% of MemorySize outside the V8 old space for code, stacks and buffers.
        const heapMb = Math.max(16, Math.floor(target.memoryMb * 0.9));
        return { command: process.execPath, args: [`--max-old-space-size=${heapMb}`, join(runtimeDir, "bootstrap.mjs")], runtimeDir };
      }
      case "python": {
        this.checkVersion(info, this.localPythonVersion(), this.pythonCommand);
        const runtimeDir = join(this.bootstraps, "python");
        return { command: this.pythonExecutable ?? this.pythonCommand, args: ["-u", join(runtimeDir, "bootstrap.py")], runtimeDir };
      }
      case "provided": {
        // AWS looks for the bootstrap in the function code, then in the layers (/opt).
        const candidates = [join(target.codeDir, "bootstrap"), join(target.optDir, "bootstrap")];
        const found = candidates.find((path) => existsSync(path));
        if (!found) {
          return {
            errorType: "Runtime.InvalidEntrypoint",
            errorMessage: `Couldn't find valid bootstrap(s): [${candidates.join(" ")}]`,
          };
        }
        return { command: found, args: [], runtimeDir: target.codeDir };
      }
    }
  }

  localPythonVersion(): string | undefined {
    if (this.pythonVersion === null) {
      const out = spawnSync(this.pythonCommand, ["-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)"], { encoding: "utf8" });
      const [version, executable] = out.status === 0 ? out.stdout.trim().split("\n") : [];
      this.pythonVersion = version || undefined;
      this.pythonExecutable = executable || undefined;
    }
    return this.pythonVersion;
  }

  private checkVersion(info: RuntimeInfo, local: string | undefined, interpreter: string): void {
    if (local === info.version || this.warned.has(info.name)) return;
    this.warned.add(info.name);
    this.logger?.warn(
      local === undefined
        ? `lambda runtime ${info.name}: ${interpreter} was not found on this machine`
        : `lambda runtime ${info.name} runs on the local ${interpreter} ${local}, not ${info.version}`,
    );
  }
}
