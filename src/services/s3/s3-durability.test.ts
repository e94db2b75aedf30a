import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { clientConfig } from "../../../test/helpers.js";
import { spawnServer, waitForExit, type ServerProcess } from "../../../test/process.js";

// "Nothing lost" for object bytes: with --data-dir an acknowledged PutObject
// survives kill -9, whether its bytes are a row of the database (small ones) or
// a file (large ones), and the bytes it replaced or deleted stay gone.

const dataDir = mkdtempSync(join(tmpdir(), "terrarium-s3-crash-"));
const started: ServerProcess[] = [];
after(() => {
  for (const s of started) s.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ server: ServerProcess; s3: S3Client }> {
  const server = await spawnServer(["--data-dir", dataDir]);
  started.push(server);
  return { server, s3: new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true }) };
}

const Bucket = "crash-bucket";
const small = (i: number) => `small-${i}-`.padEnd(1024, "s");
const large = "L".repeat(200 * 1024);

test("acknowledged puts survive kill -9 and a restart, small and large", async () => {
  const first = await start();
  await first.s3.send(new CreateBucketCommand({ Bucket }));
  for (let i = 0; i < 20; i++) await first.s3.send(new PutObjectCommand({ Bucket, Key: `k${i}`, Body: small(i) }));
  await first.s3.send(new PutObjectCommand({ Bucket, Key: "large", Body: large }));
  // Replaced and deleted after they were read once (so the current record was cached).
  await (await first.s3.send(new GetObjectCommand({ Bucket, Key: "k3" }))).Body!.transformToString();
  await first.s3.send(new PutObjectCommand({ Bucket, Key: "k3", Body: "replaced" }));
  await first.s3.send(new PutObjectCommand({ Bucket, Key: "k4", Body: large }));
  await first.s3.send(new PutObjectCommand({ Bucket, Key: "large", Body: "now small" }));
  await first.s3.send(new DeleteObjectCommand({ Bucket, Key: "k5" }));
  first.server.child.kill("SIGKILL");
  assert.equal((await waitForExit(first.server.child)).signal, "SIGKILL");
  first.s3.destroy();

  const second = await start();
  const read = async (Key: string) => (await second.s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();
  for (let i = 0; i < 20; i++) {
    if (i === 3 || i === 4 || i === 5) continue;
    assert.equal(await read(`k${i}`), small(i), `k${i}`);
  }
  assert.equal(await read("k3"), "replaced");
  assert.equal(await read("k4"), large);
  assert.equal(await read("large"), "now small");
  await assert.rejects(read("k5"), { name: "NoSuchKey" });
  const listed = await second.s3.send(new ListObjectsV2Command({ Bucket }));
  assert.equal(listed.KeyCount, 20);
  second.s3.destroy();
  second.server.child.kill("SIGTERM");
  assert.equal((await waitForExit(second.server.child)).code, 0, second.server.output());
});
