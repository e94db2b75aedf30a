import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import type { RawRequest, Workload } from "./types.js";

// S3 PutObject and GetObject of a 1 KiB and a 1 MiB object, path style: the data
// plane's per-request cost (routing, REST-XML headers, MD5 and CRC32, blob store).
// The 1 GiB multipart transfer is its own script: s3-transfer.ts.

const BUCKET = "bench-bucket";
const BODY = "x".repeat(1024);
const MIB_BODY = "y".repeat(1024 * 1024);

const putRaw: RawRequest = {
  method: "PUT",
  path: `/${BUCKET}/small-object`,
  headers: { "content-type": "application/octet-stream", ...sigV4Headers("s3") },
  body: BODY,
};

const getRaw: RawRequest = { method: "GET", path: `/${BUCKET}/small-object`, headers: { ...sigV4Headers("s3") } };

function client(ctx: Parameters<Workload["prepare"]>[0]): S3Client {
  return new S3Client({ ...sdkConfig(ctx), forcePathStyle: true });
}

export const s3Put: Workload = {
  name: "s3-put",
  title: "S3 PutObject 1 KiB",
  service: "s3",
  rawExpect: /^$/,
  async prepare(ctx) {
    const s3 = client(ctx);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    return {
      call: () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "small-object", Body: BODY })),
      raw: putRaw,
      close: () => s3.destroy(),
    };
  },
  ceilingRequest: () => putRaw,
};

export const s3Get: Workload = {
  name: "s3-get",
  title: "S3 GetObject 1 KiB",
  service: "s3",
  rawExpect: /^x{1024}$/,
  async prepare(ctx) {
    const s3 = client(ctx);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "small-object", Body: BODY }));
    return {
      call: async () => {
        const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "small-object" }));
        return out.Body!.transformToString();
      },
      raw: getRaw,
      close: () => s3.destroy(),
    };
  },
  ceilingRequest: () => ({ ...getRaw }),
};

export const s3Put1M: Workload = {
  name: "s3-put-1m",
  title: "S3 PutObject 1 MiB",
  service: "s3",
  rawExpect: /^$/,
  async prepare(ctx) {
    const s3 = client(ctx);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    const raw: RawRequest = { ...putRaw, path: `/${BUCKET}/mib-object`, body: MIB_BODY };
    return {
      call: () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "mib-object", Body: MIB_BODY })),
      raw,
      close: () => s3.destroy(),
    };
  },
  ceilingRequest: () => ({ ...putRaw, path: `/${BUCKET}/mib-object`, body: MIB_BODY }),
};

export const s3Get1M: Workload = {
  name: "s3-get-1m",
  title: "S3 GetObject 1 MiB",
  service: "s3",
  rawExpect: /^y{1048576}$/,
  async prepare(ctx) {
    const s3 = client(ctx);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "mib-object", Body: MIB_BODY }));
    return {
      call: async () => {
        const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "mib-object" }));
        return out.Body!.transformToByteArray();
      },
      raw: { ...getRaw, path: `/${BUCKET}/mib-object` },
      close: () => s3.destroy(),
    };
  },
  ceilingRequest: () => ({ ...getRaw, path: `/${BUCKET}/mib-object` }),
};
