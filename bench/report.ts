import type { LoadResult } from "./load.js";
import type { BenchResults, Check, TargetResult, WorkloadInfo } from "./results.js";

// The printed report: one row per figure, one column per target, and for each
// peer a column saying how many times better (or worse) Terrarium is.

const MiB = 1024 * 1024;

/** Design targets (DESIGN.md "Fast"; the bench issue's numbers). */
export const TARGETS = { readyMs: 200, idleRssMiB: 70 } as const;

export function evaluateChecks(targets: TargetResult[], workloads: WorkloadInfo[]): Check[] {
  const terrarium = targets.find((t) => t.name === "terrarium" && t.status === "ok");
  const bare = targets.find((t) => t.name === "bare" && t.status === "ok");
  const checks: Check[] = [];
  const ready = terrarium?.startup?.medianMs;
  checks.push(
    ready === undefined
      ? { name: `ready < ${TARGETS.readyMs} ms`, status: "n/a", detail: "Terrarium did not run" }
      : {
          name: `ready < ${TARGETS.readyMs} ms`,
          status: ready < TARGETS.readyMs ? "pass" : "fail",
          detail: `${fmtMs(ready)} ms (median)`,
        },
  );
  const rss = terrarium?.rssIdleBytes;
  checks.push(
    rss === undefined
      ? { name: `idle RSS < ${TARGETS.idleRssMiB} MiB`, status: "n/a", detail: "Terrarium did not run" }
      : {
          name: `idle RSS < ${TARGETS.idleRssMiB} MiB`,
          status: rss / MiB < TARGETS.idleRssMiB ? "pass" : "fail",
          detail: `${(rss / MiB).toFixed(1)} MiB`,
        },
  );
  for (const w of workloads) {
    if (w.cpuVsBareTarget === undefined) continue;
    const name = `${w.title} server CPU/op <= ${w.cpuVsBareTarget}x bare`;
    const ours = terrarium?.workloads[w.name]?.raw?.serverCpuMsPerOp;
    const ceiling = bare?.workloads[w.name]?.raw?.serverCpuMsPerOp;
    if (ours === undefined || ceiling === undefined || !Number.isFinite(ours) || !Number.isFinite(ceiling)) {
      checks.push({ name, status: "n/a", detail: "needs raw-load figures from Terrarium and bare" });
      continue;
    }
    checks.push({
      name,
      status: ours <= w.cpuVsBareTarget * ceiling ? "pass" : "fail",
      detail: `${fmtMs(ours)} ms vs bare ${fmtMs(ceiling)} ms = ${(ours / ceiling).toFixed(2)}x`,
    });
  }
  for (const w of workloads) {
    for (const figure of w.extraFigures ?? []) {
      if (figure.target === undefined) continue;
      const name = `${w.title} ${figure.label} ${figure.better === "lower" ? "<=" : ">="} ${figure.target}`;
      const ours = terrarium?.workloads[w.name]?.figures?.[figure.key];
      if (ours === undefined) {
        checks.push({ name, status: "n/a", detail: "Terrarium did not measure it" });
        continue;
      }
      const pass = figure.better === "lower" ? ours <= figure.target : ours >= figure.target;
      checks.push({ name, status: pass ? "pass" : "fail", detail: fmtMs(ours) });
    }
  }
  return checks;
}

type Better = "lower" | "higher" | "none";

interface Row {
  label: string;
  better: Better;
  value(target: TargetResult): string | number | undefined;
}

export function renderReport(results: BenchResults): string {
  const targets = results.targets;
  const terrarium = targets.find((t) => t.name === "terrarium");
  const peers = terrarium?.status === "ok" ? targets.filter((t) => t !== terrarium && t.status === "ok") : [];
  const rows: Row[] = [
    { label: `start-up to first answer, ms (median of ${results.meta.options.startupRuns})`, better: "lower", value: (t) => t.startup?.medianMs },
    { label: "RSS at idle, MiB", better: "lower", value: (t) => mib(t.rssIdleBytes) },
    { label: "RSS after the workloads, MiB", better: "lower", value: (t) => mib(t.rssAfterBytes) },
  ];
  for (const w of results.workloads) {
    rows.push(...workloadRows(w));
  }

  const header = ["figure", ...targets.map((t) => t.label), ...peers.map((p) => `vs ${p.label}`)];
  const body = rows.map((row) => {
    const cells = targets.map((t) => cell(t, row));
    const ours = terrarium ? row.value(terrarium) : undefined;
    const ratios = peers.map((p) => ratio(ours, row.value(p), row.better));
    return [row.label, ...cells, ...ratios];
  });
  const lines: string[] = [];
  lines.push(table(header, body));
  lines.push("");
  lines.push("vs <peer>: how many times better Terrarium is on that figure (peer/Terrarium for times, CPU and memory;");
  lines.push("Terrarium/peer for ops/s). The bare node:http server is the ceiling of one Node process, not a competitor.");
  lines.push("Server CPU/op = the server process's utime+stime (/proc, all threads) during the run / operations answered.");
  lines.push("SDK runs are capped by the client's own CPU on a small machine; raw runs use autocannon.");
  const notes = targets.flatMap((t) => [
    ...(t.status !== "ok" ? [`${t.label}: ${t.status}: ${t.reason ?? ""}`] : []),
    ...Object.entries(t.workloads)
      .filter(([, r]) => r.error || r.sdk?.firstError || r.raw?.firstError)
      .map(([name, r]) => `${t.label} ${name}: ${r.error ?? [r.sdk?.firstError, r.raw?.firstError].filter(Boolean).join("; ")}`),
    ...Object.entries(t.workloads)
      .filter(([, r]) => r.rawReconnectedEachRequest)
      .map(([name]) => `${t.label} ${name}: closes the connection after every response, so its raw load ran through node:http (new connection per request) instead of autocannon`),
  ]);
  if (notes.length > 0) {
    lines.push("");
    lines.push("Notes:");
    for (const note of notes) lines.push(`  - ${note.split("\n").slice(0, 6).join("\n    ")}`);
  }
  lines.push("");
  lines.push("Targets:");
  for (const check of results.checks) {
    const mark = check.status === "pass" ? "PASS" : check.status === "fail" ? "FAIL" : "n/a ";
    lines.push(`  ${mark}  ${check.name}: ${check.detail}`);
  }
  return lines.join("\n");
}

function workloadRows(w: WorkloadInfo): Row[] {
  const pick = (kind: "sdk" | "raw", field: keyof LoadResult) => (t: TargetResult) => {
    const r = t.workloads[w.name];
    if (!r) return undefined;
    if (r.error) return "error";
    const value = r[kind]?.[field];
    return typeof value === "number" ? value : undefined;
  };
  return [
    { label: `${w.title} · SDK ops/s`, better: "higher", value: pick("sdk", "opsPerSec") },
    { label: `${w.title} · SDK p50, ms`, better: "lower", value: pick("sdk", "p50Ms") },
    { label: `${w.title} · SDK p99, ms`, better: "lower", value: pick("sdk", "p99Ms") },
    { label: `${w.title} · SDK server CPU/op, ms`, better: "lower", value: pick("sdk", "serverCpuMsPerOp") },
    { label: `${w.title} · SDK client CPU/op, ms (bench)`, better: "none", value: pick("sdk", "clientCpuMsPerOp") },
    { label: `${w.title} · raw ops/s`, better: "higher", value: pick("raw", "opsPerSec") },
    { label: `${w.title} · raw p50, ms`, better: "lower", value: pick("raw", "p50Ms") },
    { label: `${w.title} · raw p99, ms`, better: "lower", value: pick("raw", "p99Ms") },
    { label: `${w.title} · raw server CPU/op, ms`, better: "lower", value: pick("raw", "serverCpuMsPerOp") },
    { label: `${w.title} · server RSS after, MiB`, better: "lower", value: (t) => mib(t.workloads[w.name]?.rssAfterBytes) },
    ...(w.extraFigures ?? []).map((figure): Row => ({
      label: `${w.title} · ${figure.label}`,
      better: figure.better,
      value: (t) => t.workloads[w.name]?.figures?.[figure.key],
    })),
  ];
}

function cell(t: TargetResult, row: Row): string {
  if (t.status !== "ok") return row.label.startsWith("start-up") ? t.status : "—";
  const value = row.value(t);
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return row.label.includes("ops/s") ? fmtOps(value) : fmtMs(value);
}

/** "3.2x better" / "1.5x worse": how Terrarium compares with the peer on this figure. */
function ratio(ours: string | number | undefined, theirs: string | number | undefined, better: Better): string {
  if (better === "none" || typeof ours !== "number" || typeof theirs !== "number") return "";
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || ours <= 0 || theirs <= 0) return "";
  const factor = better === "lower" ? theirs / ours : ours / theirs;
  return factor >= 1 ? `${fmtFactor(factor)}x better` : `${fmtFactor(1 / factor)}x worse`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function mib(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : bytes / MiB;
}

export function fmtMs(value: number): string {
  if (!Number.isFinite(value)) return "—";
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function fmtOps(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "—";
}

function fmtFactor(value: number): string {
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}
