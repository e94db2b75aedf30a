import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { rawClient } from "../load.js";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import { s3Headers } from "./canned.js";
import type { RawRequest, Workload, WorkloadContext } from "./types.js";

// Issue 5's listing figure: ListObjectsV2 with Delimiter "/" over a bucket of
// 100k keys in 1,000 "folders" of 100 keys, so one page names all 1,000 common
// prefixes and the server must walk (or skip) every folder. The keys are loaded
// once per server by raw PUTs, many in flight; a server that cannot load them
// within LOAD_BUDGET_MS reports an error for the row instead of stalling the bench.
// The bare server's SDK row answers the same page: 1,000 common prefixes.

const BUCKET = "bench-list";
const FOLDERS = 1000;
const PER_FOLDER = 100;
const LOAD_CONCURRENCY = 32;
const LOAD_BUDGET_MS = 120_000;

const keyOf = (n: number) => `d${String(Math.floor(n / PER_FOLDER)).padStart(4, "0")}/k${String(n % PER_FOLDER).padStart(3, "0")}`;

const listRaw: RawRequest = { method: "GET", path: `/${BUCKET}?list-type=2&delimiter=%2F`, headers: { ...sigV4Headers("s3") } };

/** One ListObjectsV2 call; throws unless the page names every folder. */
const listCall = (s3: S3Client) => async () => {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: "/" }));
  if (out.CommonPrefixes?.length !== FOLDERS) throw new Error(`expected ${FOLDERS} common prefixes, got ${out.CommonPrefixes?.length}`);
};

const listPage =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
  `<Name>${BUCKET}</Name><Prefix></Prefix><Delimiter>/</Delimiter><MaxKeys>1000</MaxKeys>` +
  Array.from({ length: FOLDERS }, (_, f) => `<CommonPrefixes><Prefix>${keyOf(f * PER_FOLDER).split("/")[0]}/</Prefix></CommonPrefixes>`).join("") +
  `<KeyCount>${FOLDERS}</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>`;

async function load(ctx: WorkloadContext): Promise<void> {
  const total = FOLDERS * PER_FOLDER;
  const client = rawClient(ctx.endpoint, LOAD_CONCURRENCY);
  const began = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total) {
      const n = next++;
      // Give up once the rate so far says the budget will not do.
      const elapsed = performance.now() - began;
      if (elapsed > LOAD_BUDGET_MS || (elapsed > LOAD_BUDGET_MS / 10 && (done / elapsed) * LOAD_BUDGET_MS < total)) {
        throw new Error(`too slow to load: ${done} of ${total} keys in ${(elapsed / 1000).toFixed(0)} s (budget ${LOAD_BUDGET_MS / 1000} s)`);
      }
      const res = await client.send({ method: "PUT", path: `/${BUCKET}/${keyOf(n)}`, headers: { "content-type": "text/plain", ...sigV4Headers("s3") }, body: "x" });
      if (res.status !== 200) throw new Error(`PutObject answered ${res.status}: ${res.body.slice(0, 200)}`);
      done++;
    }
  };
  try {
    await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
  } finally {
    client.close();
  }
  process.stderr.write(`  ${BUCKET}: ${total} keys loaded in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}

export const s3List: Workload = {
  name: "s3-list",
  title: "S3 ListObjectsV2 delimiter, 100k keys",
  service: "s3",
  rawExpect: /<KeyCount>1000<\/KeyCount>/,
  async prepare(ctx) {
    const s3 = new S3Client({ ...sdkConfig(ctx), forcePathStyle: true });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await load(ctx);
    } catch (error) {
      s3.destroy();
      throw error;
    }
    return { call: listCall(s3), raw: listRaw, close: () => s3.destroy() };
  },
  ceilingRequest: () => listRaw,
  ceilingSdk: {
    answers: [{ status: 200, headers: { ...s3Headers(), "content-type": "application/xml" }, body: listPage }],
    prepare(ctx) {
      const s3 = new S3Client({ ...sdkConfig(ctx), forcePathStyle: true });
      return { call: listCall(s3), close: () => s3.destroy() };
    },
  },
};
