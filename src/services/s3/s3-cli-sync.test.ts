import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, test } from "node:test";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { awsCli, clientConfig, useTestServer } from "../../../test/helpers.js";

// `aws s3 sync` both ways: it lists, compares sizes and times, uploads, downloads
// and deletes through ListObjectsV2, PutObject, GetObject and DeleteObject(s).

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const root = mkdtempSync(join(tmpdir(), "terrarium-sync-"));
after(() => rmSync(root, { recursive: true, force: true }));

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

async function keys(Bucket: string, Prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket, Prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

test("aws s3 sync uploads a tree, then only the changes (with --delete), and downloads it back", async () => {
  const Bucket = "sync-bucket";
  await s3.send(new CreateBucketCommand({ Bucket }));
  const src = join(root, "src");
  mkdirSync(join(src, "nested/deeper"), { recursive: true });
  writeFileSync(join(src, "index.html"), "<h1>hi</h1>");
  writeFileSync(join(src, "nested/a file.txt"), "spaces and all");
  writeFileSync(join(src, "nested/deeper/data+1.json"), '{"n":1}');
  writeFileSync(join(src, "stale.txt"), "to be removed");

  const first = await awsCli(server.endpoint, ["s3", "sync", src, `s3://${Bucket}/site/`]);
  assert.equal((String(first).match(/^upload:/gm) ?? []).length, 4);
  assert.deepEqual(await keys(Bucket, "site/"), ["site/index.html", "site/nested/a file.txt", "site/nested/deeper/data+1.json", "site/stale.txt"]);
  const html = await s3.send(new GetObjectCommand({ Bucket, Key: "site/index.html" }));
  assert.equal(html.ContentType, "text/html");

  // Nothing changed: nothing to do.
  assert.equal(await awsCli(server.endpoint, ["s3", "sync", src, `s3://${Bucket}/site/`]), "");

  writeFileSync(join(src, "index.html"), "<h1>hello again</h1>");
  writeFileSync(join(src, "new.txt"), "new");
  rmSync(join(src, "stale.txt"));
  const second = String(await awsCli(server.endpoint, ["s3", "sync", src, `s3://${Bucket}/site/`, "--delete"]));
  assert.match(second, /upload: .*index\.html/);
  assert.match(second, /upload: .*new\.txt/);
  assert.match(second, /delete: s3:\/\/sync-bucket\/site\/stale\.txt/);
  assert.doesNotMatch(second, /a file\.txt/);
  assert.deepEqual(await keys(Bucket, "site/"), ["site/index.html", "site/nested/a file.txt", "site/nested/deeper/data+1.json", "site/new.txt"]);

  const dst = join(root, "dst");
  await awsCli(server.endpoint, ["s3", "sync", `s3://${Bucket}/site/`, dst]);
  assert.deepEqual(files(dst), files(src));
});
