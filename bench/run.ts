import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname } from "node:path";
import { installCleanup, liveChildren } from "./children.js";
import { checkRaw, type LoadResult, runRawLoad, runRawOperationLoad, runSdkLoad } from "./load.js";
import { clockTicksPerSecond, exePath, median, rssBytes } from "./measure.js";
import { HELP, parseOptions, type BenchOptions, UsageError } from "./options.js";
import { evaluateChecks, fmtMs, renderReport } from "./report.js";
import type { BenchResults, TargetResult, WorkloadResult } from "./results.js";
import { type Launch, type RunningTarget, setCannedAnswers, startTarget, supports, TARGETS, type TargetSpec } from "./targets.js";
import { WORKLOADS } from "./workloads/index.js";
import { type BenchWorkload, type CeilingSdk, isMeasured, type MeasuredWorkload, type PreparedWorkload, type Workload } from "./workloads/types.js";

// `npm run bench`: the same workloads against Terrarium and its peers, one
// target at a time (so they never compete for the CPU), then one table.

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<number> {
  let options: BenchOptions | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      log(`bench: ${error.message}\n\n${HELP}`);
      return 2;
    }
    throw error;
  }
  if (options === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  installCleanup();
  // The SDK warns once that Node 20 support ends in 2027; noise in a bench report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const began = performance.now();
  const loadAtStart = loadavg()[0];
  if (loadAtStart > 0.5) log(`bench: load average ${loadAtStart.toFixed(2)}: other processes are using the CPU, figures will be noisy`);

  const workloads = selectWorkloads(options.only);
  const services = new Set(workloads.map((w) => w.service));
  // A peer that emulates none of the selected services (dynalite without a DynamoDB workload) is left out.
  const specs = options.targets
    .map((name) => TARGETS[name])
    .filter((spec) => {
      // The bare server runs no measured workload: with only those selected it has nothing to do.
      const relevant =
        spec.services === "all" ||
        (spec.services === "ceiling" ? workloads.some((w) => !isMeasured(w)) : spec.services.some((s) => services.has(s)));
      if (!relevant) log(`${spec.label}: skipped (no selected workload ${spec.services === "ceiling" ? "has a ceiling" : `uses ${[spec.services].flat().join(", ")}`})`);
      return relevant;
    });

  const targets: TargetResult[] = [];
  for (const spec of specs) targets.push(await benchTarget(spec, workloads, options));

  const workloadInfo = workloads.map((w) =>
    isMeasured(w)
      ? { name: w.name, title: w.title, service: w.service, measured: true, extraFigures: w.extraFigures }
      : { name: w.name, title: w.title, service: w.service, cpuVsBareTarget: w.cpuVsBareTarget, sdkCpuTargetMs: w.sdkCpuTargetMs, extraFigures: w.extraFigures },
  );
  const results: BenchResults = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
      clockTicksPerSecond: clockTicksPerSecond(),
      loadAverageAtStart: Math.round(loadAtStart * 100) / 100,
      options: { ...options },
      durationSec: Math.round((performance.now() - began) / 100) / 10,
    },
    workloads: workloadInfo,
    targets,
    checks: evaluateChecks(targets, workloadInfo),
  };
  process.stdout.write(
    `\nTerrarium bench — ${results.meta.cpus}, Node ${results.meta.node}` +
      `, load average ${results.meta.loadAverageAtStart} at start${options.quick ? ", --quick" : ""}, ${results.meta.durationSec} s\n\n`,
  );
  process.stdout.write(`${renderReport(results)}\n`);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nJSON: ${options.out}\n`);
  if (liveChildren() > 0) log(`bench: ${liveChildren()} server(s) still running, killing them`);
  return options.check && results.checks.some((c) => c.status === "fail") ? 1 : 0;
}

function selectWorkloads(only: string[] | undefined): BenchWorkload[] {
  if (!only) return [...WORKLOADS];
  const unknown = only.filter((name) => !WORKLOADS.some((w) => w.name === name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown workload ${unknown.join(", ")} (${WORKLOADS.map((w) => w.name).join(", ")})`);
  }
  return WORKLOADS.filter((w) => only.includes(w.name));
}

/** Start-up runs, idle memory, every workload the target supports, memory after; always stops it. */
async function benchTarget(spec: TargetSpec, workloads: BenchWorkload[], options: BenchOptions): Promise<TargetResult> {
  const result: TargetResult = { name: spec.name, label: spec.label, status: "ok", workloads: {} };
  let launch: (port: number) => Launch;
  try {
    launch = spec.resolve();
  } catch (error) {
    log(`${spec.label}: unavailable: ${message(error)}`);
    return { ...result, status: "unavailable", reason: message(error) };
  }

  let running: RunningTarget | undefined;
  try {
    const runsMs: number[] = [];
    for (let run = 0; run < options.startupRuns; run++) {
      try {
        running = await startTarget(spec, launch);
      } catch (error) {
        if (run === 0) {
          log(`${spec.label}: unavailable: ${message(error)}`);
          return { ...result, status: "unavailable", reason: message(error) };
        }
        throw error;
      }
      runsMs.push(running.readyMs);
      if (run < options.startupRuns - 1) {
        await running.stop();
        running = undefined;
      }
    }
    if (!running) throw new Error("no running instance");
    result.startup = { runsMs, medianMs: median(runsMs) };
    result.rssIdleBytes = rssBytes(running.pid);
    result.exe = exePath(running.pid);
    log(
      `${spec.label}: ready in ${fmtMs(result.startup.medianMs)} ms (median of ${runsMs.length}), ` +
        `idle RSS ${(result.rssIdleBytes / 2 ** 20).toFixed(1)} MiB, pid ${running.pid} (${result.exe})`,
    );

    let service: string | undefined;
    for (const workload of workloads) {
      if (!supports(spec, workload.service)) continue;
      // The bare server cannot store an object: no ceiling for a measured workload.
      if (spec.services === "ceiling" && isMeasured(workload)) continue;
      // Each service's workloads get a fresh server: state another service left
      // behind (SQS's queued messages, a 1M-item table) would weigh on their
      // figures through GC and memory, and their RSS would not be their own.
      // A measured workload gets one of its own (its peak RSS is the server's
      // peak since start), and leaves it to no other.
      const group = isMeasured(workload) ? `measured ${workload.name}` : workload.service;
      if (service !== undefined && (service !== group || isMeasured(workload)) && spec.services !== "ceiling") {
        await running.stop();
        running = undefined;
        running = await startTarget(spec, launch);
      }
      service = group;
      const outcome: WorkloadResult = {};
      result.workloads[workload.name] = outcome;
      try {
        if (isMeasured(workload)) {
          // The workload may ask for a fresh server mid-way: the one it leaves running is the one read and stopped below.
          const restart = async () => {
            await running?.stop();
            running = undefined;
            running = await startTarget(spec, launch);
            return running;
          };
          Object.assign(outcome, await measuredRun(running, workload, options, restart));
        } else if (spec.services === "ceiling") Object.assign(outcome, await ceilingLoad(running, workload, options));
        else Object.assign(outcome, await emulatorLoad(running, workload, options));
      } catch (error) {
        outcome.error = message(error);
        log(`${spec.label} ${workload.name}: error: ${outcome.error}`);
      }
      // A restart that failed mid-workload leaves no server to read or go on with.
      if (!running) throw new Error(`${spec.label}: no server running after ${workload.name}`);
      if (running.child.hasExited()) throw new Error(`${spec.label} died during ${workload.name}:\n${running.child.output().slice(-2000)}`);
      outcome.rssAfterBytes = rssBytes(running.pid);
    }
    result.rssAfterBytes = rssBytes(running.pid);
  } catch (error) {
    result.status = "failed";
    result.reason = message(error);
    log(`${spec.label}: failed: ${result.reason}`);
  } finally {
    await running?.stop();
  }
  return result;
}

/** A measured workload: its own figures, no load rows. */
async function measuredRun(
  running: RunningTarget, workload: MeasuredWorkload, options: BenchOptions, restart: () => Promise<RunningTarget>,
): Promise<WorkloadResult> {
  const { figures, notes } = await workload.measure({ endpoint: running.endpoint, pid: running.pid, quick: options.quick, sizeMiB: options.transferMiB, restart });
  const shown = workload.extraFigures.filter((f) => figures[f.key] !== undefined).map((f) => `${f.label} ${fmtMs(figures[f.key])}`);
  log(`${running.spec.label} ${workload.name}: ${shown.join("; ")}`);
  for (const note of notes ?? []) log(`${running.spec.label} ${workload.name}: ${note}`);
  return { figures, ...(notes && notes.length > 0 ? { notes } : {}) };
}

/** Warm-up (raw load, then SDK calls until the server's cost settles, so both the server's and the client's code is compiled), SDK run, raw run. */
async function emulatorLoad(running: RunningTarget, workload: Workload, options: BenchOptions): Promise<WorkloadResult> {
  const prepared = await workload.prepare({ endpoint: running.endpoint, concurrency: options.sdkConcurrency });
  try {
    const sdkLoad = { concurrency: options.sdkConcurrency, pid: running.pid };
    const first = await runSdkLoad(prepared, { ...sdkLoad, calls: 1 });
    if (first.ops === 0) throw new Error(`the SDK call failed: ${first.firstError}`);
    const { keepAlive } = await checkRaw(prepared.raw, running.endpoint, workload.rawExpect);
    const rawLoad = rawLoadOptions(running, options, keepAlive);
    // An operation of several dependent requests holds its connection for each of them: fewer connections keep the server as busy.
    const rawRun = (durationSec: number) =>
      prepared.rawOperation
        ? runRawOperationLoad(prepared.rawOperation, { ...rawLoad, connections: Math.min(16, rawLoad.connections), durationSec })
        : runRawLoad(prepared.raw, { ...rawLoad, durationSec });
    await rawRun(options.rawWarmupSeconds);
    await warmUpSdk(running, workload, prepared, sdkLoad, options);

    const sdk = await runSdkLoad(prepared, { ...sdkLoad, calls: options.sdkCalls });
    progress(running, workload, "sdk", sdk);
    const raw = await rawRun(options.rawSeconds);
    progress(running, workload, "raw", raw);
    return { sdk, raw, ...(keepAlive ? {} : { rawReconnectedEachRequest: true }), ...(prepared.figures ? { figures: prepared.figures } : {}) };
  } finally {
    await prepared.close();
  }
}

/** Warm-up rounds stop once a round is no more than this much cheaper than the cheapest before it. */
const SETTLED = 0.1;
const MIN_WARMUP_ROUNDS = 3;
const MAX_WARMUP_ROUNDS = 8;

/**
 * SDK calls in rounds until the server's CPU per call stops falling (a round no
 * cheaper than the best before it: one noisy round does not end the warm-up early). A JIT-compiled server (Node) re-optimizes its request path when the SDK's
 * requests follow the raw warm-up's differently shaped ones; a fixed 600 calls left
 * that compilation (S3 PutObject: 32 TurboFan compilations, 144 ms of CPU) inside
 * the measured run, ~0.05 ms on each of its 3000 calls.
 */
async function warmUpSdk(
  running: RunningTarget,
  workload: Workload,
  prepared: Pick<PreparedWorkload, "call">,
  sdkLoad: { concurrency: number; pid: number },
  options: BenchOptions,
): Promise<void> {
  const rounds: number[] = [];
  while (rounds.length < MAX_WARMUP_ROUNDS) {
    rounds.push((await runSdkLoad(prepared, { ...sdkLoad, calls: options.sdkWarmupCalls })).serverCpuMsPerOp);
    const last = rounds[rounds.length - 1];
    if (rounds.length >= MIN_WARMUP_ROUNDS && last >= Math.min(...rounds.slice(0, -1)) * (1 - SETTLED)) break;
  }
  log(`${running.spec.label} ${workload.name} warm-up: ${rounds.length} rounds of ${options.sdkWarmupCalls} SDK calls, server CPU/op ${rounds.map(fmtMs).join(", ")} ms`);
}

/**
 * The ceiling: the same loads against the bare server, in the same order as an
 * emulator's. Its SDK row (when the workload has canned answers) runs the
 * same client and calls; its raw load gets the fixed default body.
 */
async function ceilingLoad(running: RunningTarget, workload: Workload, options: BenchOptions): Promise<WorkloadResult> {
  const request = workload.ceilingRequest();
  const { keepAlive } = await checkRaw(request, running.endpoint, undefined);
  const rawLoad = rawLoadOptions(running, options, keepAlive);
  await runRawLoad(request, { ...rawLoad, durationSec: options.rawWarmupSeconds });
  const sdk = workload.ceilingSdk ? await ceilingSdkLoad(running, workload, workload.ceilingSdk, options) : undefined;
  const raw = await runRawLoad(request, { ...rawLoad, durationSec: options.rawSeconds });
  progress(running, workload, "raw", raw);
  return { ...(sdk ? { sdk } : {}), raw };
}

/** The SDK row against the bare server: its canned answers set for the row only. */
async function ceilingSdkLoad(running: RunningTarget, workload: Workload, ceiling: CeilingSdk, options: BenchOptions): Promise<LoadResult> {
  await setCannedAnswers(running.endpoint, ceiling.answers);
  const prepared = ceiling.prepare({ endpoint: running.endpoint, concurrency: options.sdkConcurrency });
  try {
    const sdkLoad = { concurrency: options.sdkConcurrency, pid: running.pid };
    const first = await runSdkLoad(prepared, { ...sdkLoad, calls: 1 });
    if (first.ops === 0) throw new Error(`the SDK call failed on the canned answer: ${first.firstError}`);
    await warmUpSdk(running, workload, prepared, sdkLoad, options);
    const sdk = await runSdkLoad(prepared, { ...sdkLoad, calls: options.sdkCalls });
    progress(running, workload, "sdk", sdk);
    return sdk;
  } finally {
    await prepared.close();
    await setCannedAnswers(running.endpoint, []);
  }
}

function rawLoadOptions(running: RunningTarget, options: BenchOptions, keepAlive: boolean) {
  if (!keepAlive) log(`${running.spec.label}: closes the connection after each response; its raw load runs through node:http instead of autocannon`);
  return { endpoint: running.endpoint, connections: options.rawConnections, pid: running.pid, reconnectEachRequest: !keepAlive };
}

function progress(running: RunningTarget, workload: Workload, kind: string, r: LoadResult): void {
  log(
    `${running.spec.label} ${workload.name} ${kind}: ${Math.round(r.opsPerSec)} ops/s, p50 ${fmtMs(r.p50Ms)} ms, ` +
      `p99 ${fmtMs(r.p99Ms)} ms, server CPU/op ${fmtMs(r.serverCpuMsPerOp)} ms${r.errors ? `, ${r.errors} errors` : ""}`,
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      log(`bench: ${error.message}`);
      process.exit(2);
    }
    log(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
