import autocannon, { type Result as AutocannonResult } from "autocannon";
import { Agent, request } from "node:http";
import { cpuMs, LatencyRecorder } from "./measure.js";
import type { PreparedWorkload, RawClient, RawRequest } from "./workloads/types.js";

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
export async function runSdkLoad(workload: Pick<PreparedWorkload, "call">, options: SdkLoadOptions): Promise<LoadResult> {
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
  /** The server closes the connection after each response (moto's werkzeug does). */
  reconnectEachRequest?: boolean;
}

/** Replay one raw request for `durationSec` over `connections` concurrent connections. */
export async function runRawLoad(raw: RawRequest, options: RawLoadOptions): Promise<LoadResult> {
  const latencies = new LatencyRecorder();
  const cpu0 = cpuMs(options.pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const { errors, firstError } = options.reconnectEachRequest
    ? await nodeHttpLoad(raw, options, latencies)
    : await autocannonLoad(raw, options, latencies);
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const serverCpu = cpuMs(options.pid) - cpu0;
  return summarize(latencies, seconds, errors, firstError, serverCpu, (client.user + client.system) / 1000);
}

/** A client for raw requests on `sockets` kept-alive connections (node:http). */
export function rawClient(endpoint: string, sockets = 1): RawClient & { close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return {
    send: (raw) =>
      new Promise((resolve, reject) => {
        const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
        const headers = { ...raw.headers, ...(body ? { "content-length": String(body.length) } : {}) };
        const req = request(new URL(raw.path, endpoint), { method: raw.method, headers, agent, timeout: 10_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

/**
 * A workload's rawOperation (several dependent requests) in a loop on each of
 * `connections` connections for `durationSec`; each completed operation is one op.
 */
export async function runRawOperationLoad(operation: (client: RawClient) => Promise<void>, options: RawLoadOptions): Promise<LoadResult> {
  const latencies = new LatencyRecorder();
  const failures: Failures = { errors: 0 };
  const clients = Array.from({ length: options.connections }, () => rawClient(options.endpoint));
  const cpu0 = cpuMs(options.pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + options.durationSec * 1000;
  const worker = async (client: RawClient) => {
    while (performance.now() < deadline) {
      const start = performance.now();
      try {
        await operation(client);
        latencies.record(performance.now() - start);
      } catch (error) {
        failures.errors++;
        failures.firstError ??= describe(error);
      }
    }
  };
  await Promise.all(clients.map(worker));
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const serverCpu = cpuMs(options.pid) - cpu0;
  for (const c of clients) c.close();
  return summarize(latencies, seconds, failures.errors, failures.firstError, serverCpu, (client.user + client.system) / 1000);
}

interface Failures {
  errors: number;
  firstError?: string;
}

async function autocannonLoad(raw: RawRequest, options: RawLoadOptions, latencies: LatencyRecorder): Promise<Failures> {
  // autocannon's histogram keeps whole milliseconds; sub-millisecond servers
  // need finer latencies, so record each 2xx response's time ourselves.
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
  const errors = result.errors + result.non2xx;
  return {
    errors,
    firstError: errors > 0 ? `${result.non2xx} non-2xx (${statusSummary(result)}), ${result.errors} socket errors` : undefined,
  };
}

/**
 * The same load through node:http, whose agent copes with a server that
 * closes every connection (autocannon writes the next request into the
 * closing socket and stalls). Costs the client more CPU per request, which
 * only matters for servers far faster than the ones that close connections.
 */
async function nodeHttpLoad(raw: RawRequest, options: RawLoadOptions, latencies: LatencyRecorder): Promise<Failures> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(raw.path, options.endpoint);
  const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
  const headers = { ...raw.headers, ...(body ? { "content-length": String(body.length) } : {}) };
  const failures: Failures = { errors: 0 };
  const deadline = performance.now() + options.durationSec * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(url, { method: raw.method, headers, agent, timeout: 10_000 }, (res) => {
        res.on("data", () => {});
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) latencies.record(performance.now() - t0);
          else {
            failures.errors++;
            failures.firstError ??= `HTTP ${status}`;
          }
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (error) => {
        failures.errors++;
        failures.firstError ??= error.message;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (performance.now() < deadline) await once();
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  agent.destroy();
  return failures;
}

/**
 * Send the raw request once and check the answer, so a run never times an
 * error page. Tells whether the server keeps the connection open.
 */
export function checkRaw(raw: RawRequest, endpoint: string, expect: RegExp | undefined): Promise<{ keepAlive: boolean }> {
  const url = new URL(raw.path, endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: raw.method, headers: { connection: "keep-alive", ...raw.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300 || (expect && !expect.test(body))) {
          reject(new Error(`raw request answered ${status}: ${body.slice(0, 300).replace(/\s+/g, " ")}`));
        } else {
          const connection = res.headers.connection?.toLowerCase();
          resolve({ keepAlive: connection !== "close" && (res.httpVersion === "1.1" || connection === "keep-alive") });
        }
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
