import { Agent, request } from "node:http";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { cpuMs, peakRssBytes, rssBytes } from "../measure.js";
import { sdkConfig, sigV4Headers } from "./aws-request.js";

// The S3 transfer's client (s3-transfer.ts): one client's warm-up, upload and
// download against one server, in a process of its own that the workload starts
// with --initial-old-space-size=64, so the client's CPU is its own and not
// inflated by V8: in a process whose heap is a few tens of MB, V8 starts a major
// GC every ~20 MB of body passing through (measured in the bench process: 106
// Mark-Compacts over the two 1 GiB legs, and the SDK's download cost 2.0 ms of
// client CPU per MB instead of 0.95, on the same two cores as the server).
//
//   node --import tsx bench/workloads/s3-transfer-client.ts '<ClientJob as JSON>'
// prints "RESULT <ClientResult as JSON>", or "ERROR <message>" and exits 1.

const MiB = 1024 * 1024;
const PART = 16 * MiB;
const IN_FLIGHT = 4;
const BUCKET = "bench-transfer";
/** The warm-up object: two parts, the second the last. */
const WARM_UP = 24 * MiB;

export type Client = "sdk" | "raw";

export interface TransferCaps {
  /** Per direction. */
  seconds: number;
  /** Server RSS growth since the upload began, bytes. */
  rssGrowth: number;
}

export interface ClientJob {
  endpoint: string;
  /** The server's pid, for /proc readings. */
  pid: number;
  client: Client;
  /** Object size, bytes. */
  size: number;
  caps: TransferCaps;
}

/** One direction of one client's transfer. */
export interface Leg {
  bytes: number;
  seconds: number;
  serverCpuMs: number;
  clientCpuMs: number;
}

export interface ClientResult {
  upload: Leg;
  download: Leg;
  /** Why the upload stopped early, if it did. */
  capped?: string;
  /** The server's peak RSS (VmHWM) over its RSS after the warm-up, bytes. */
  peakRssGrowth: number;
}

type Server = Pick<ClientJob, "endpoint" | "pid">;

/** CreateBucket, an untimed warm-up transfer (deleted again), then the timed upload and download. */
export async function runClient(job: ClientJob): Promise<ClientResult> {
  const { client, caps } = job;
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const s3 = new S3Client({ ...sdkConfig({ endpoint: job.endpoint, concurrency: IN_FLIGHT }), forcePathStyle: true, requestHandler: { httpAgent: agent } });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // So the figures are not the first MBs' cold code (on either side).
    const warm = await uploadObject(s3, agent, job, client, "warm-up", Math.min(WARM_UP, job.size), caps);
    await downloadObject(s3, agent, job, client, "warm-up", warm.upload.bytes, caps);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "warm-up" }));
    const readyRss = rssBytes(job.pid);
    const Key = `${client}-object`;
    const { upload, capped } = await uploadObject(s3, agent, job, client, Key, job.size, caps);
    const download = await downloadObject(s3, agent, job, client, Key, upload.bytes, caps);
    return { upload, download, ...(capped ? { capped } : {}), peakRssGrowth: peakRssBytes(job.pid) - readyRss };
  } finally {
    s3.destroy();
    agent.destroy();
  }
}

/** Times `run` and the CPU both processes spend on it. */
async function timed(pid: number, run: () => Promise<number>): Promise<Leg> {
  const server0 = cpuMs(pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await run();
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  return { bytes, seconds, serverCpuMs: cpuMs(pid) - server0, clientCpuMs: (client.user + client.system) / 1000 };
}

/** CreateMultipartUpload, the parts (IN_FLIGHT at a time, until done or capped), CompleteMultipartUpload. */
async function uploadObject(
  s3: S3Client, agent: Agent, server: Server, client: Client, Key: string, size: number, caps: TransferCaps,
): Promise<{ upload: Leg; capped?: string }> {
  const startRss = rssBytes(server.pid);
  const count = Math.ceil(size / PART);
  let capped: string | undefined;
  const upload = await timed(server.pid, async () => {
    const began = performance.now();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
    const Parts: { PartNumber: number; ETag?: string }[] = [];
    let next = 0;
    let bytes = 0;
    const worker = async () => {
      while (next < count && !capped) {
        // At least one part, so there is an object to download.
        if (next > 0 && performance.now() - began > caps.seconds * 1000) capped = `${caps.seconds} s`;
        else if (next > 0 && rssBytes(server.pid) - startRss > caps.rssGrowth) capped = `server RSS grew by more than ${mib(caps.rssGrowth)} MiB`;
        if (capped) break;
        const n = next++;
        const length = Math.min(PART, size - n * PART);
        const path = `/${BUCKET}/${Key}?partNumber=${n + 1}&uploadId=${encodeURIComponent(UploadId!)}`;
        const ETag = client === "raw"
          ? (await rawPut(agent, server.endpoint, path, length))
          : (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: n + 1, Body: pattern(length), ContentLength: length }))).ETag;
        Parts.push({ PartNumber: n + 1, ETag });
        bytes += length;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    Parts.sort((a, b) => a.PartNumber - b.PartNumber);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId, MultipartUpload: { Parts } }));
    return bytes;
  });
  return { upload, ...(capped ? { capped } : {}) };
}

/** GetObject of the whole object, read to the end (or cut at caps.seconds); throws on a short body. */
async function downloadObject(s3: S3Client, agent: Agent, server: Server, client: Client, Key: string, size: number, caps: TransferCaps): Promise<Leg> {
  return timed(server.pid, async () => {
    const deadline = performance.now() + caps.seconds * 1000;
    const stream = client === "raw" ? await rawGet(agent, server.endpoint, `/${BUCKET}/${Key}`) : ((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body as Readable);
    let received = 0;
    for await (const chunk of stream) {
      received += (chunk as Buffer).length;
      if (performance.now() > deadline) {
        stream.destroy();
        return received;
      }
    }
    if (received !== size) throw new Error(`${client} client: downloaded ${received} of ${size} bytes`);
    return received;
  });
}

/** `size` bytes of a fixed pattern, 1 MiB at a time. */
function pattern(size: number): Readable {
  const block = Buffer.alloc(MiB, "t");
  return Readable.from(
    (function* () {
      for (let left = size; left > 0; left -= MiB) yield left >= MiB ? block : block.subarray(0, left);
    })(),
  );
}

/** UploadPart as one raw request: `size` bytes of the pattern, UNSIGNED-PAYLOAD, no checksum. Resolves to the ETag. */
function rawPut(agent: Agent, endpoint: string, path: string, size: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers = { ...sigV4Headers("s3"), "content-length": String(size), "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
    const req = request(new URL(path, endpoint), { method: "PUT", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 && res.headers.etag ? resolve(res.headers.etag) : reject(new Error(`raw UploadPart answered HTTP ${res.statusCode}`))));
      res.on("error", reject);
    });
    req.on("error", reject);
    const block = Buffer.alloc(MiB, "t");
    let left = size;
    const write = () => {
      while (left > 0) {
        const n = Math.min(MiB, left);
        left -= n;
        if (!req.write(n === MiB ? block : block.subarray(0, n))) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

/** GetObject as one raw request: the response stream, once the status is 200. */
function rawGet(agent: Agent, endpoint: string, path: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, endpoint), { method: "GET", agent, headers: sigV4Headers("s3") }, (res) => {
      if (res.statusCode === 200) return resolve(res);
      res.resume();
      reject(new Error(`raw GetObject answered HTTP ${res.statusCode}`));
    });
    req.on("error", reject);
    req.end();
  });
}

const mib = (bytes: number) => Math.round(bytes / MiB);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  runClient(JSON.parse(process.argv[2]) as ClientJob).then(
    (result) => process.stdout.write(`RESULT ${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stdout.write(`ERROR ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}\n`);
      process.exitCode = 1;
    },
  );
}
