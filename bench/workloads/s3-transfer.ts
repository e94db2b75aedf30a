import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { installCleanup, killAllNow } from "../children.js";
import { rssBytes } from "../measure.js";
import { startTarget, TARGETS, type TargetName } from "../targets.js";

// One large multipart upload and one download of the same object, against each
// target in turn: throughput each way and the server's peak RSS over its RSS when
// ready (VmHWM). Separate from the per-request workloads, which run thousands of
// calls: this is one call of a size the bench table cannot hold. Two clients: the
// SDK (what users see), and raw node:http requests with unsigned payloads and no
// checksums (what the server alone costs: the SDK's own hashing and stream
// plumbing take a large share of the machine's two cores).
//
//   node --import tsx bench/workloads/s3-transfer.ts [--quick] [--size-mib N] [--targets terrarium,moto] [--clients sdk,raw]
//
// Default 1 GiB (--quick: 64 MiB), 16 MiB parts, 4 in flight. Needs dist/ (npm run build).

const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
const sizeMiB = Number(flag("size-mib") ?? (quick ? 64 : 1024));
const targets = (flag("targets") ?? "terrarium,moto").split(",") as TargetName[];
const clients = (flag("clients") ?? "sdk,raw").split(",") as Client[];
type Client = "sdk" | "raw";
const PART = 16 * MiB;
const IN_FLIGHT = 4;

function peakRss(pid: number): number {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : 0;
}

/** `size` bytes of a fixed pattern, 1 MiB at a time. */
function body(size: number): Readable {
  const block = Buffer.alloc(MiB, "t");
  return Readable.from(
    (function* () {
      for (let left = size; left > 0; left -= MiB) yield left >= MiB ? block : block.subarray(0, left);
    })(),
  );
}

/** The raw client: one request, `size` bytes of the pattern as its body (PUT) or counted (GET). */
function raw(agent: Agent, endpoint: string, method: "PUT" | "GET", path: string, size = 0): Promise<{ status: number; etag?: string; received: number }> {
  const url = new URL(path, endpoint);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = method === "PUT" ? { "content-length": String(size), "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } : {};
    const req = request(url, { method, agent, headers }, (res) => {
      let received = 0;
      res.on("data", (chunk: Buffer) => (received += chunk.length));
      res.on("end", () => resolve({ status: res.statusCode!, etag: res.headers.etag, received }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (method === "GET") return void req.end();
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

async function run(name: TargetName, client: Client): Promise<Record<string, number | string>> {
  const spec = TARGETS[name];
  const target = await startTarget(spec, spec.resolve());
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const s3 = new S3Client({
      endpoint: target.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      forcePathStyle: true,
      maxAttempts: 1,
      requestHandler: { httpAgent: agent },
    });
    const Bucket = "transfer-bench";
    const Key = "large-object";
    await s3.send(new CreateBucketCommand({ Bucket }));
    const readyRss = rssBytes(target.pid);
    const size = sizeMiB * MiB;

    let started = performance.now();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const count = Math.ceil(size / PART);
    const Parts: { PartNumber: number; ETag?: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < count) {
          const n = next++;
          const length = Math.min(PART, size - n * PART);
          if (client === "raw") {
            const out = await raw(agent, target.endpoint, "PUT", `/${Bucket}/${Key}?partNumber=${n + 1}&uploadId=${encodeURIComponent(UploadId!)}`, length);
            if (out.status !== 200) throw new Error(`UploadPart answered ${out.status}`);
            Parts[n] = { PartNumber: n + 1, ETag: out.etag };
          } else {
            const out = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: n + 1, Body: body(length), ContentLength: length }));
            Parts[n] = { PartNumber: n + 1, ETag: out.ETag };
          }
        }
      }),
    );
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }));
    const uploadSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    let received = 0;
    if (client === "raw") received = (await raw(agent, target.endpoint, "GET", `/${Bucket}/${Key}`)).received;
    else {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
      for await (const chunk of got.Body as Readable) received += (chunk as Buffer).length;
    }
    const downloadSeconds = (performance.now() - started) / 1000;
    if (received !== size) throw new Error(`downloaded ${received} of ${size} bytes`);
    s3.destroy();
    agent.destroy();
    return {
      target: spec.label,
      client,
      "size MiB": sizeMiB,
      "upload MB/s": Math.round(size / 1e6 / uploadSeconds),
      "download MB/s": Math.round(size / 1e6 / downloadSeconds),
      "RSS ready MiB": Math.round(readyRss / MiB),
      "peak RSS growth MiB": Math.round((peakRss(target.pid) - readyRss) / MiB),
    };
  } finally {
    await target.stop();
  }
}

installCleanup();
const rows: Record<string, number | string>[] = [];
try {
  for (const name of targets) {
    for (const client of clients) {
      try {
        rows.push(await run(name, client));
      } catch (error) {
        rows.push({ target: name, client, error: (error as Error).message.split("\n")[0] });
      }
    }
  }
} finally {
  killAllNow();
}
console.table(rows);
