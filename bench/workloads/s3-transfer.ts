import { join } from "node:path";
import { spawnChild } from "../children.js";
import { ROOT } from "../targets.js";
import type { Client, ClientJob, ClientResult, Leg, TransferCaps } from "./s3-transfer-client.js";
import type { ExtraFigure, MeasureContext, MeasuredWorkload } from "./types.js";

// Issue 5's transfer figure: one large multipart upload (16 MiB parts, 4 in
// flight) and one download of the same object: the throughput each way, the
// server's CPU per MB each way, and its peak RSS over its RSS when ready (VmHWM,
// so a peak between two readings is not missed), after a 24 MiB warm-up transfer.
//
// Two clients, one after the other, each on a server of its own (started fresh)
// and in a process of its own (s3-transfer-client.ts, which does the transfers):
// - the SDK (@aws-sdk/client-s3 with its defaults: what users run). Over http://
//   its UploadPart of a stream body is Content-Encoding aws-chunked (1 MiB chunks,
//   x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER, a CRC32 trailer) in
//   HTTP chunked transfer encoding, after Expect: 100-continue;
// - raw node:http requests with a Content-Length, UNSIGNED-PAYLOAD and no
//   checksum: what the server sustains without the SDK's framing and CRC32.
// PASS/FAIL ("at least 300 MB/s each way") is on the SDK's figures: they are
// what users get, and they measure the server, not the client: the SDK spends
// about 0.75 ms of its own CPU per MB uploading (CRC32 and socket writes) and
// pushes ~780 MB/s into a server that discards the body, on this machine. The
// raw client's figures are printed beside them; each leg's server and client
// CPU per MB say which side a figure is bound by.
//
// A slow server, or one that holds the object in memory, is capped: no new part
// starts after CAPS.seconds of upload or once the server's RSS has grown by
// CAPS.rssGrowth, the object is completed with the parts uploaded so far, and a
// download is cut after CAPS.seconds; figures are then over the bytes moved, and
// a note says so. moto keeps every part in memory and needs about four times the
// object again to complete it (peak RSS growth 5.3 GB at 1 GiB, measured): the
// RSS cap stops it at a few hundred MiB, so the bench does not take gigabytes
// from a shared machine.

const MiB = 1024 * 1024;

export type { TransferCaps } from "./s3-transfer-client.js";

export const CAPS: TransferCaps = { seconds: 60, rssGrowth: 256 * MiB };
export const QUICK_CAPS: TransferCaps = { seconds: 20, rssGrowth: 256 * MiB };

/** The client process, with a heap V8 leaves alone while bodies stream through (s3-transfer-client.ts says why). */
const CLIENT_ARGS = ["--initial-old-space-size=64", "--import", "tsx", join(ROOT, "bench", "workloads", "s3-transfer-client.ts")];

/** The figures of one client; the checked one's have targets (issue 5: 300 MB/s each way, RSS growth under 100 MB). */
const figuresOf = (client: Client, target?: number) =>
  [
    { key: `${client}UploadMBps`, label: `${client} client upload, MB/s`, better: "higher", target },
    { key: `${client}DownloadMBps`, label: `${client} client download, MB/s`, better: "higher", target },
    { key: `${client}UploadServerCpuMsPerMB`, label: `${client} client upload, server CPU per MB, ms`, better: "lower" },
    { key: `${client}DownloadServerCpuMsPerMB`, label: `${client} client download, server CPU per MB, ms`, better: "lower" },
    { key: `${client}UploadClientCpuMsPerMB`, label: `${client} client upload, client process CPU per MB, ms`, better: "none" },
    { key: `${client}DownloadClientCpuMsPerMB`, label: `${client} client download, client process CPU per MB, ms`, better: "none" },
    // Issue 5: "server RSS growing by less than 100 MB".
    { key: `${client}PeakRssGrowthMB`, label: `${client} client, server peak RSS over ready, MB (VmHWM)`, better: "lower", target: target === undefined ? undefined : 100 },
  ] as const satisfies readonly ExtraFigure[];

export const s3Transfer: MeasuredWorkload = {
  name: "s3-transfer",
  title: "S3 multipart transfer",
  service: "s3",
  extraFigures: [
    { key: "sizeMiB", label: "object size, MiB (1 GiB; --quick 64)", better: "none" },
    ...figuresOf("sdk", 300),
    ...figuresOf("raw"),
  ],
  measure: (ctx) => measureTransfer(ctx, ctx.quick ? QUICK_CAPS : CAPS),
};

/** Each client's transfer on a server of its own; figures keyed as s3Transfer.extraFigures. */
export async function measureTransfer(ctx: MeasureContext, caps: TransferCaps): Promise<{ figures: Record<string, number>; notes: string[] }> {
  const notes: string[] = [];
  const figures: Record<string, number> = { sizeMiB: ctx.sizeMiB };
  let server: Pick<MeasureContext, "endpoint" | "pid"> = ctx;
  for (const [i, client] of (["sdk", "raw"] as const).entries()) {
    // A fresh server for the second client: what the first left (moto keeps the memory
    // it took; a store of files) must not weigh on its figures, its peak RSS, or its cap.
    if (i > 0) server = await ctx.restart();
    const job: ClientJob = { endpoint: server.endpoint, pid: server.pid, client, size: ctx.sizeMiB * MiB, caps };
    const { upload, download, capped, peakRssGrowth } = await runClientProcess(job);
    if (capped) notes.push(`${client} client upload capped (${capped}): ${mib(upload.bytes)} of ${ctx.sizeMiB} MiB uploaded, figures over those`);
    if (download.bytes < upload.bytes) notes.push(`${client} client download capped (${caps.seconds} s): ${mib(download.bytes)} of ${mib(upload.bytes)} MiB, figures over those`);
    Object.assign(figures, legFigures(client, "Upload", upload), legFigures(client, "Download", download));
    figures[`${client}PeakRssGrowthMB`] = peakRssGrowth / 1e6;
  }
  return { figures, notes };
}

/** Runs s3-transfer-client.ts for one client (killed with the bench's other children) and reads its result line. */
async function runClientProcess(job: ClientJob): Promise<ClientResult> {
  const child = spawnChild(process.execPath, [...CLIENT_ARGS, JSON.stringify(job)], ROOT);
  await child.exited;
  const output = child.output();
  const result = /^RESULT (.*)$/m.exec(output);
  if (child.process.exitCode === 0 && result) return JSON.parse(result[1]) as ClientResult;
  const error = /^ERROR (.*)$/m.exec(output);
  throw new Error(`${job.client} client: ${error ? error[1] : `exited with code ${child.process.exitCode}: ${output.trim().split("\n").slice(-3).join(" / ")}`}`);
}

function legFigures(client: Client, direction: "Upload" | "Download", leg: Leg): Record<string, number> {
  const mb = leg.bytes / 1e6;
  return {
    [`${client}${direction}MBps`]: mb / leg.seconds,
    [`${client}${direction}ServerCpuMsPerMB`]: leg.serverCpuMs / mb,
    [`${client}${direction}ClientCpuMsPerMB`]: leg.clientCpuMs / mb,
  };
}

const mib = (bytes: number) => Math.round(bytes / MiB);
