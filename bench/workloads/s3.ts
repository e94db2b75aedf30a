import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import { objectChecksumHeaders, s3Headers } from "./canned.js";
import type { CeilingSdk, RawRequest, Workload, WorkloadContext } from "./types.js";

// S3 PutObject and GetObject of a 1 KiB and a 1 MiB object, path style: the data
// plane's per-request cost (routing, REST-XML headers, MD5 and CRC32, blob store).
// The 1 GiB multipart transfer is a measured workload of its own: s3-transfer.ts. The bare
// server's SDK rows answer with the headers a real bucket sends (ETag, CRC32).

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

function client(ctx: WorkloadContext): S3Client {
  return new S3Client({ ...sdkConfig(ctx), forcePathStyle: true });
}

const putCall = (s3: S3Client, Key: string, Body: string) => () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
/** GetObject, the body read whole (as text, or as bytes for the large object). */
const getCall = (s3: S3Client, Key: string, read: "text" | "bytes") => async () => {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
  return read === "text" ? out.Body!.transformToString() : out.Body!.transformToByteArray();
};

/** The bare server's PutObject row: an empty 200 with the object's ETag and checksum. */
function putCeiling(Key: string, body: string): CeilingSdk {
  return {
    answers: [{ status: 200, headers: { ...s3Headers(), ...objectChecksumHeaders(body), "content-type": "application/xml" }, body: "" }],
    prepare(ctx) {
      const s3 = client(ctx);
      return { call: putCall(s3, Key, body), close: () => s3.destroy() };
    },
  };
}

/** The bare server's GetObject row: the object with the headers GetObject sends (the SDK checks the CRC32). */
function getCeiling(Key: string, body: string, read: "text" | "bytes"): CeilingSdk {
  const headers = {
    ...s3Headers(),
    "accept-ranges": "bytes",
    "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT",
    ...objectChecksumHeaders(body),
    "content-type": "application/octet-stream",
  };
  return {
    answers: [{ status: 200, headers, body }],
    prepare(ctx) {
      const s3 = client(ctx);
      return { call: getCall(s3, Key, read), close: () => s3.destroy() };
    },
  };
}

export const s3Put: Workload = {
  name: "s3-put",
  title: "S3 PutObject 1 KiB",
  service: "s3",
  rawExpect: /^$/,
  sdkCpuTargetMs: 0.15,
  async prepare(ctx) {
    const s3 = client(ctx);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    return { call: putCall(s3, "small-object", BODY), raw: putRaw, close: () => s3.destroy() };
  },
  ceilingRequest: () => putRaw,
  ceilingSdk: putCeiling("small-object", BODY),
};

export const s3Get: Workload = {
  name: "s3-get",
  title: "S3 GetObject 1 KiB",
  service: "s3",
  rawExpect: /^x{1024}$/,
  sdkCpuTargetMs: 0.15,
  async prepare(ctx) {
    const s3 = client(ctx);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "small-object", Body: BODY }));
    return { call: getCall(s3, "small-object", "text"), raw: getRaw, close: () => s3.destroy() };
  },
  ceilingRequest: () => ({ ...getRaw }),
  ceilingSdk: getCeiling("small-object", BODY, "text"),
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
    return { call: putCall(s3, "mib-object", MIB_BODY), raw, close: () => s3.destroy() };
  },
  ceilingRequest: () => ({ ...putRaw, path: `/${BUCKET}/mib-object`, body: MIB_BODY }),
  ceilingSdk: putCeiling("mib-object", MIB_BODY),
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
    return { call: getCall(s3, "mib-object", "bytes"), raw: { ...getRaw, path: `/${BUCKET}/mib-object` }, close: () => s3.destroy() };
  },
  ceilingRequest: () => ({ ...getRaw, path: `/${BUCKET}/mib-object` }),
  ceilingSdk: getCeiling("mib-object", MIB_BODY, "bytes"),
};
