import { join } from "node:path";
import { ROOT, TARGET_NAMES, type TargetName } from "./targets.js";

// Command-line options of `npm run bench -- [options]`.

export interface BenchOptions {
  quick: boolean;
  /** Workload names to run (all when undefined). */
  only?: string[];
  targets: TargetName[];
  startupRuns: number;
  sdkCalls: number;
  /** SDK calls per warm-up round (rounds run until the server's CPU per call settles). */
  sdkWarmupCalls: number;
  sdkConcurrency: number;
  rawSeconds: number;
  rawWarmupSeconds: number;
  rawConnections: number;
  /** Size of the S3 multipart transfer's object (s3-transfer), MiB. */
  transferMiB: number;
  /** Exit 1 when a design target is missed. */
  check: boolean;
  out: string;
}

export const HELP = `npm run bench -- [options]

  --quick                 short runs, for a smoke test (about 15 s)
  --only <a,b>            only these workloads (by name, e.g. sts)
  --targets <a,b>         only these targets: ${TARGET_NAMES.join(", ")} (default: all;
                          dynalite runs only for DynamoDB workloads)
  --startup-runs <n>      start-up measurements per target, median reported (5; quick 3)
  --sdk-calls <n>         SDK calls per workload and target (3000; quick 300)
  --sdk-concurrency <n>   SDK calls in flight (16)
  --raw-seconds <s>       raw load duration (5; quick 1.5)
  --connections <n>       raw load connections (32)
  --transfer-mib <n>      object size of the S3 multipart transfer (1024; quick 64)
  --check                 exit 1 when a design target is missed
  --out <file>            JSON results (bench/results/latest.json)
`;

export class UsageError extends Error {}

export function parseOptions(argv: string[]): BenchOptions | "help" {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument ${arg}`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    // Checked first, so an unknown flag is named as such (not as one lacking its value).
    if (!KNOWN_FLAGS.has(name)) throw new UsageError(`unknown option --${name}`);
    if (BOOLEAN_FLAGS.has(name)) {
      // --quick=false would otherwise read as --quick.
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (eq > 0) flags.set(name, arg.slice(eq + 1));
    else {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      flags.set(name, value);
    }
  }
  if (flags.has("help")) return "help";
  const quick = flags.has("quick");
  const list = (name: string) => {
    const value = flags.get(name);
    return typeof value === "string" ? value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean) : undefined;
  };
  const number = (name: string, fallback: number) => {
    const value = flags.get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} needs a positive number`);
    return n;
  };
  const targets = list("targets") ?? [...TARGET_NAMES];
  for (const target of targets) {
    if (!(TARGET_NAMES as readonly string[]).includes(target)) throw new UsageError(`unknown target ${target} (${TARGET_NAMES.join(", ")})`);
  }
  const sdkCalls = Math.round(number("sdk-calls", quick ? 300 : 3000));
  return {
    quick,
    only: list("only"),
    targets: targets as TargetName[],
    startupRuns: Math.round(number("startup-runs", quick ? 3 : 5)),
    sdkCalls,
    sdkWarmupCalls: Math.max(50, Math.round(sdkCalls / 3)),
    sdkConcurrency: Math.round(number("sdk-concurrency", 16)),
    rawSeconds: number("raw-seconds", quick ? 1.5 : 5),
    rawWarmupSeconds: quick ? 0.5 : 1,
    rawConnections: Math.round(number("connections", 32)),
    transferMiB: Math.round(number("transfer-mib", quick ? 64 : 1024)),
    check: flags.has("check"),
    out: String(flags.get("out") ?? join(ROOT, "bench", "results", "latest.json")),
  };
}

const BOOLEAN_FLAGS = new Set(["quick", "check", "help"]);
const KNOWN_FLAGS = new Set([
  ...BOOLEAN_FLAGS,
  "only",
  "targets",
  "startup-runs",
  "sdk-calls",
  "sdk-concurrency",
  "raw-seconds",
  "connections",
  "transfer-mib",
  "out",
]);
