import autocannon, { type Result as AutocannonResult } from "autocannon";
import { request } from "node:http";
import { cpuMs, LatencyRecorder } from "./measure.js";
import type { PreparedWorkload, RawRequest } from "./workloads/types.js";

// The two ways the bench loads a server: the real SDK client (what users run;
// its own CPU cost caps the rate on a small machine) and a raw HTTP load
// generator (autocannon) replaying one request, which pushes the server
// harder. Either way the server's own CPU time per operation is read from /proc.

export interface LoadResult {
  /** Operations answered successfully. */
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** The first error seen, for the report. */
  firstError?: string;
  /** Server CPU time (user + system, all threads) per successful operation. */
  serverCpuMsPerOp: number;
  /** The bench process's own CPU per operation (the client side). */
  clientCpuMsPerOp: number;
}

export interface SdkLoadOptions {
  calls: number;
  concurrency: number;
  pid: number;
}

/** `calls` SDK calls, `concurrency` in flight at a time. */
export async function runSdkLoad(workload: PreparedWorkload, options: SdkLoadOptions): Promise<LoadResult> {
  const latencies = new LatencyRecorder();
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < options.calls) {
      next++;
      const t0 = performance.now();
      try {
        await workload.call();
        latencies.record(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= describe(error);
      }
    }
  };
  const cpu0 = cpuMs(options.pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const serverCpu = cpuMs(options.pid) - cpu0;
  return summarize(latencies, seconds, errors, firstError, serverCpu, (client.user + client.system) / 1000);
}

export interface RawLoadOptions {
  endpoint: string;
  durationSec: number;
  connections: number;
  pid: number;
}

/** Replay one raw request for `durationSec` over `connections` keep-alive connections. */
export async function runRawLoad(raw: RawRequest, options: RawLoadOptions): Promise<LoadResult> {
  // autocannon's histogram keeps whole milliseconds; sub-millisecond servers
  // need finer latencies, so record each 2xx response's time ourselves.
  const latencies = new LatencyRecorder();
  const cpu0 = cpuMs(options.pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.endpoint + raw.path,
        method: raw.method,
        headers: raw.headers,
        body: raw.body,
        connections: options.connections,
        duration: options.durationSec,
        timeout: 10,
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.record(responseTime);
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const serverCpu = cpuMs(options.pid) - cpu0;
  const errors = result.errors + result.non2xx;
  const firstError = errors > 0 ? `${result.non2xx} non-2xx (${statusSummary(result)}), ${result.errors} socket errors` : undefined;
  return summarize(latencies, seconds, errors, firstError, serverCpu, (client.user + client.system) / 1000);
}

/** Send the raw request once and check the answer, so a run never times an error page. */
export function checkRaw(raw: RawRequest, endpoint: string, expect: RegExp | undefined): Promise<void> {
  const url = new URL(raw.path, endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: raw.method, headers: raw.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300 || (expect && !expect.test(body))) {
          reject(new Error(`raw request answered ${status}: ${body.slice(0, 300).replace(/\s+/g, " ")}`));
        } else resolve();
      });
    });
    req.on("error", reject);
    req.end(raw.body);
  });
}

function summarize(
  latencies: LatencyRecorder,
  seconds: number,
  errors: number,
  firstError: string | undefined,
  serverCpuMs: number,
  clientCpuMs: number,
): LoadResult {
  const ops = latencies.count;
  const { p50, p99 } = latencies.summary();
  return {
    ops,
    seconds,
    opsPerSec: ops / seconds,
    p50Ms: p50,
    p99Ms: p99,
    errors,
    firstError,
    serverCpuMsPerOp: ops > 0 ? serverCpuMs / ops : Number.NaN,
    clientCpuMsPerOp: ops > 0 ? clientCpuMs / ops : Number.NaN,
  };
}

function statusSummary(result: AutocannonResult): string {
  return Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code}×${count}`)
    .join(", ");
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
