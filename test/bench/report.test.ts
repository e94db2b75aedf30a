import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { LoadResult } from "../../bench/load.js";
import { evaluateChecks, fmtMs, issueTargetTable, renderReport, sdkTargetFigures } from "../../bench/report.js";
import type { BenchResults, Check, TargetResult, WorkloadInfo, WorkloadResult } from "../../bench/results.js";
import { s3Transfer } from "../../bench/workloads/s3-transfer.js";

// The report's arithmetic and its pass/fail on synthetic results: no server runs.

const MiB = 1024 * 1024;

function load(serverCpuMsPerOp: number): LoadResult {
  return { ops: 3000, seconds: 3, opsPerSec: 1000, p50Ms: 12, p99Ms: 40, errors: 0, serverCpuMsPerOp, clientCpuMsPerOp: 1.2 };
}

function target(name: TargetResult["name"], workloads: Record<string, WorkloadResult>, extra: Partial<TargetResult> = {}): TargetResult {
  return { name, label: name === "bare" ? "bare node:http" : name, status: "ok", startup: { runsMs: [150], medianMs: 150 }, rssIdleBytes: 50 * MiB, workloads, ...extra };
}

const get: WorkloadInfo = { name: "dynamodb-get", title: "DynamoDB GetItem", service: "dynamodb", sdkCpuTargetMs: 0.1 };
const sts: WorkloadInfo = { name: "sts", title: "STS GetCallerIdentity", service: "sts", cpuVsBareTarget: 2 };

function results(targets: TargetResult[], workloads: WorkloadInfo[]): BenchResults {
  return {
    meta: { date: "2026-01-01T00:00:00Z", node: "v20", cpus: "2 x test", clockTicksPerSecond: 100, loadAverageAtStart: 0, options: { startupRuns: 1 }, durationSec: 1 },
    workloads,
    targets,
    checks: evaluateChecks(targets, workloads),
  };
}

const byName = (checks: Check[], start: string) => checks.find((c) => c.name.startsWith(start));

describe("sdkTargetFigures", () => {
  it("puts Terrarium's SDK and raw CPU/op beside the bare SDK row, over bare and the scaled target", () => {
    const f = sdkTargetFigures(
      [target("terrarium", { "dynamodb-get": { sdk: load(0.2), raw: load(0.07) } }), target("bare", { "dynamodb-get": { sdk: load(0.09), raw: load(0.03) } })],
      get,
    )!;
    assert.equal(f.target, 0.1);
    assert.equal(f.sdk, 0.2);
    assert.equal(f.raw, 0.07);
    assert.equal(f.bareSdk, 0.09);
    assert.ok(Math.abs(f.overBare! - 0.11) < 1e-12);
    assert.ok(Math.abs(f.scaledTarget! - 0.15) < 1e-12);
  });

  it("is undefined for a workload without an SDK target", () => {
    assert.equal(sdkTargetFigures([target("terrarium", {})], sts), undefined);
  });

  it("leaves out what did not run, failed, or measured nothing", () => {
    const f = sdkTargetFigures(
      [
        target("terrarium", { "dynamodb-get": { sdk: load(Number.NaN), raw: load(0.07) } }),
        target("bare", { "dynamodb-get": { sdk: load(0.09) } }, { status: "failed" }),
      ],
      get,
    )!;
    assert.deepEqual(f, { target: 0.1, sdk: undefined, raw: 0.07, bareSdk: undefined, overBare: undefined, scaledTarget: undefined });
  });
});

describe("evaluateChecks", () => {
  it("checks start-up and idle RSS, n/a when Terrarium did not run", () => {
    const slow = evaluateChecks([target("terrarium", {}, { startup: { runsMs: [250], medianMs: 250 }, rssIdleBytes: 60 * MiB })], []);
    assert.equal(byName(slow, "ready")?.status, "fail");
    assert.equal(byName(slow, "idle RSS")?.status, "pass");
    const none = evaluateChecks([target("terrarium", {}, { status: "unavailable" })], []);
    assert.deepEqual(none.map((c) => c.status), ["n/a", "n/a"]);
  });

  it("compares raw CPU/op with the bare server's for cpuVsBareTarget", () => {
    const run = (ours: number) =>
      byName(evaluateChecks([target("terrarium", { sts: { raw: load(ours) } }), target("bare", { sts: { raw: load(0.03) } })], [sts]), "STS");
    assert.equal(run(0.06)?.status, "pass");
    assert.equal(run(0.061)?.status, "fail");
    assert.match(run(0.06)!.detail, /0\.060 ms vs bare 0\.030 ms = 2\.00x/);
    assert.equal(byName(evaluateChecks([target("terrarium", { sts: { raw: load(0.06) } })], [sts]), "STS")?.status, "n/a");
  });

  it("passes or fails an SDK target on the target as stated, whatever the scaled one says", () => {
    const run = (ours: number, bare: number) =>
      byName(
        evaluateChecks([target("terrarium", { "dynamodb-get": { sdk: load(ours) } }), target("bare", { "dynamodb-get": { sdk: load(bare) } })], [get]),
        "DynamoDB GetItem SDK server CPU/op <= 0.1 ms",
      )!;
    // Scaled target 0.1 x 0.03/0.06 = 0.05: below the figure, yet the check passes.
    assert.equal(run(0.09, 0.03).status, "pass");
    // Scaled target 0.1 x 0.13/0.06 = 0.217: above the figure, yet the check fails.
    const failed = run(0.2, 0.13);
    assert.equal(failed.status, "fail");
    assert.equal(failed.detail, "0.200 ms (bare 0.130 ms, over bare 0.070 ms, target scaled by bare/0.06 0.217 ms)");
  });

  it("still checks an SDK target without a bare run, and is n/a without Terrarium's SDK row", () => {
    const alone = byName(evaluateChecks([target("terrarium", { "dynamodb-get": { sdk: load(0.08) } })], [get]), "DynamoDB")!;
    assert.equal(alone.status, "pass");
    assert.equal(alone.detail, "0.080 ms (no bare SDK row)");
    const errored = byName(evaluateChecks([target("terrarium", { "dynamodb-get": { error: "boom" } })], [get]), "DynamoDB")!;
    assert.equal(errored.status, "n/a");
  });

  it("checks a workload's own figures that have a target, each way", () => {
    const lambda: WorkloadInfo = {
      name: "lambda",
      title: "Lambda",
      service: "lambda",
      extraFigures: [
        { key: "coldStartMs", label: "cold start, ms", better: "lower", target: 150 },
        { key: "rate", label: "rate", better: "higher", target: 10 },
        { key: "info", label: "no target", better: "lower" },
      ],
    };
    const checks = evaluateChecks([target("terrarium", { lambda: { figures: { coldStartMs: 151, rate: 10 } } })], [lambda]);
    assert.equal(byName(checks, "Lambda cold start, ms <= 150")?.status, "fail");
    assert.equal(byName(checks, "Lambda rate >= 10")?.status, "pass");
    assert.equal(checks.length, 4);
  });
});

describe("renderReport", () => {
  const both = results(
    [
      target("terrarium", { "dynamodb-get": { sdk: load(0.2), raw: load(0.07) }, sts: { sdk: load(0.15), raw: load(0.05) } }),
      target("bare", { "dynamodb-get": { sdk: load(0.09), raw: load(0.03) }, sts: { raw: load(0.03) } }),
    ],
    [sts, get],
  );
  const text = renderReport(both);
  const line = (start: string) => text.split("\n").find((l) => l.startsWith(start)) ?? "";

  it("prints an over-bare row where the bare server ran the SDK row, Terrarium's figure minus the ceiling", () => {
    assert.match(line("DynamoDB GetItem · SDK server CPU/op over bare, ms"), /over bare, ms\s+0\.110\s+—\s*$/);
    assert.equal(line("STS GetCallerIdentity · SDK server CPU/op over bare"), "");
    assert.match(line("DynamoDB GetItem · SDK server CPU/op, ms"), /0\.200\s+0\.090\s+2\.2x worse$/);
  });

  it("prints each issue target beside the SDK, raw, ceiling, over-bare and scaled figures", () => {
    const table = issueTargetTable(both)!;
    assert.match(table.split("\n")[0], /target\s+Terrarium SDK\s+Terrarium raw\s+ceiling: bare SDK\s+over bare\s+target x bare\/0\.06 \(info\)/);
    assert.match(table, /DynamoDB GetItem\s+0\.100\s+0\.200\s+0\.070\s+0\.090\s+0\.110\s+0\.150/);
    assert.doesNotMatch(table, /STS/);
    assert.ok(text.includes(table));
    assert.match(text, /FAIL {2}DynamoDB GetItem SDK server CPU\/op <= 0\.1 ms: 0\.200 ms/);
  });

  it("prints dashes for a ceiling that was not measured, and no issue table without issue targets", () => {
    const alone = results([target("terrarium", { "dynamodb-get": { sdk: load(0.2), raw: load(0.07) } })], [get]);
    assert.match(issueTargetTable(alone)!, /DynamoDB GetItem\s+0\.100\s+0\.200\s+0\.070\s+—\s+—\s+—/);
    assert.equal(issueTargetTable(results([target("terrarium", { sts: { sdk: load(0.1) } })], [sts])), undefined);
  });
});

describe("a measured workload (the S3 transfer)", () => {
  const transfer: WorkloadInfo = { name: "s3-transfer", title: "S3 transfer", service: "s3", measured: true, extraFigures: s3Transfer.extraFigures };
  const figures = (sdkUp: number, rssMB: number): Record<string, number> => ({
    sizeMiB: 1024,
    sdkUploadMBps: sdkUp,
    sdkDownloadMBps: 500,
    sdkUploadServerCpuMsPerMB: 3.2,
    sdkUploadClientCpuMsPerMB: 0.8,
    rawUploadMBps: 360,
    rawDownloadMBps: 900,
    sdkPeakRssGrowthMB: rssMB,
    rawPeakRssGrowthMB: 50,
  });
  const run = results(
    [
      target("terrarium", { "s3-transfer": { figures: figures(350, 60), rssAfterBytes: 80 * MiB } }),
      target("moto", { "s3-transfer": { figures: figures(70, 1500), notes: ["sdk client upload capped (60 s): 400 of 1024 MiB uploaded, figures over those"] } }),
      target("bare", {}),
    ],
    [transfer],
  );
  const text = renderReport(run);
  const line = (label: string) => text.split("\n").find((l) => l.startsWith(`S3 transfer · ${label}`)) ?? "";

  it("checks the SDK client's throughput each way and the peak RSS; the raw client's figures are information", () => {
    const targets = s3Transfer.extraFigures.filter((f) => f.target !== undefined).map((f) => [f.key, f.better, f.target]);
    assert.deepEqual(targets, [
      ["sdkUploadMBps", "higher", 300],
      ["sdkDownloadMBps", "higher", 300],
      ["sdkPeakRssGrowthMB", "lower", 100],
    ]);
    const names = run.checks.map((c) => c.name).filter((n) => n.startsWith("S3 transfer"));
    assert.deepEqual(names, [
      "S3 transfer sdk client upload, MB/s >= 300",
      "S3 transfer sdk client download, MB/s >= 300",
      "S3 transfer sdk client, server peak RSS over ready, MB (VmHWM) <= 100",
    ]);
    assert.equal(byName(run.checks, "S3 transfer sdk client upload")?.status, "pass");
    assert.equal(byName(evaluateChecks([target("terrarium", { "s3-transfer": { figures: figures(299, 60) } })], [transfer]), "S3 transfer sdk client upload")?.status, "fail");
    assert.equal(byName(evaluateChecks([target("terrarium", { "s3-transfer": { figures: figures(350, 101) } })], [transfer]), "S3 transfer sdk client, server peak")?.status, "fail");
    assert.equal(byName(evaluateChecks([target("terrarium", { "s3-transfer": { error: "boom" } })], [transfer]), "S3 transfer sdk client upload")?.status, "n/a");
  });

  it("prints its own figures and the RSS after it, no load rows, a ratio only where better or worse means something", () => {
    assert.match(line("sdk client upload, MB/s"), /350\s+70\.0\s+—\s+5\.0x better$/);
    assert.match(line("sdk client upload, client process CPU per MB, ms"), /0\.800\s+0\.800\s+—$/);
    assert.match(line("sdk client, server peak RSS over ready"), /60\.0\s+1500\s+—\s+25x better$/);
    assert.match(line("server RSS after, MiB"), /80\.0\s+—\s+—$/);
    // Not measured: a dash in every column, and no ratio.
    assert.match(line("raw client download, server CPU per MB, ms"), /ms\s+—\s+—\s+—$/);
    assert.doesNotMatch(text, /S3 transfer · SDK ops\/s|S3 transfer · raw ops\/s/);
  });

  it("prints the workload's notes (a capped run) and an error in each of its rows", () => {
    assert.match(text, /moto s3-transfer: sdk client upload capped \(60 s\): 400 of 1024 MiB uploaded/);
    const failed = renderReport(results([target("terrarium", { "s3-transfer": { error: "boom" } })], [transfer]));
    assert.match(failed.split("\n").find((l) => l.startsWith("S3 transfer · sdk client upload, MB/s")) ?? "", /error$/);
    assert.match(failed, /terrarium s3-transfer: boom/);
  });
});

describe("fmtMs", () => {
  it("keeps about three significant figures", () => {
    assert.equal(fmtMs(123.4), "123");
    assert.equal(fmtMs(12.34), "12.3");
    assert.equal(fmtMs(1.234), "1.23");
    assert.equal(fmtMs(0.1234), "0.123");
    assert.equal(fmtMs(Number.NaN), "—");
    assert.equal(fmtMs(Number.POSITIVE_INFINITY), "—");
  });
});
