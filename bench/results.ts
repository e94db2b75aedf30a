import type { LoadResult } from "./load.js";
import type { TargetName } from "./targets.js";
import type { ExtraFigure } from "./workloads/types.js";

// The shape of one bench run, as printed and as written to bench/results/latest.json.

export interface WorkloadResult {
  sdk?: LoadResult;
  raw?: LoadResult;
  /** The server closed the connection after every response, so the raw load opened one per request. */
  rawReconnectedEachRequest?: boolean;
  /** The workload's own figures (Workload.extraFigures), by key. */
  figures?: Record<string, number>;
  /** What the workload says about its figures (a capped transfer), printed under Notes. */
  notes?: string[];
  /** The server's RSS once this workload (and every one before it) has run. */
  rssAfterBytes?: number;
  /** Why this workload has no figures on this target. */
  error?: string;
}

export interface TargetResult {
  name: TargetName;
  label: string;
  status: "ok" | "unavailable" | "failed";
  reason?: string;
  /** The serving process's executable. */
  exe?: string;
  startup?: { runsMs: number[]; medianMs: number };
  rssIdleBytes?: number;
  rssAfterBytes?: number;
  workloads: Record<string, WorkloadResult>;
}

export interface WorkloadInfo {
  name: string;
  title: string;
  service: string;
  /** Measured in one go by the workload itself (MeasuredWorkload): only its own figures, no load rows. */
  measured?: boolean;
  cpuVsBareTarget?: number;
  /** Design target for server CPU per operation on the SDK row, ms (Workload.sdkCpuTargetMs). */
  sdkCpuTargetMs?: number;
  extraFigures?: readonly ExtraFigure[];
}

export interface Check {
  name: string;
  status: "pass" | "fail" | "n/a";
  detail: string;
}

export interface BenchResults {
  meta: {
    date: string;
    node: string;
    cpus: string;
    clockTicksPerSecond: number;
    /** 1-minute load average when the bench began: above ~0.5, others share the CPU. */
    loadAverageAtStart: number;
    options: Record<string, unknown>;
    durationSec: number;
  };
  workloads: WorkloadInfo[];
  targets: TargetResult[];
  checks: Check[];
}
