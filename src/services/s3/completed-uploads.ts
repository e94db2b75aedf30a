import type { Sqlite } from "../../storage/database.js";
import type { S3Store } from "./store.js";
import type { S3Input, S3Output } from "./types.js";

// A CompleteMultipartUpload sent again for an upload that completed already (a
// client retrying after a lost response or a timeout) gets, on AWS, 200 and the
// same result, not NoSuchUpload: users who compared both report it (minio/minio
// issue 13318, "succeeds with S3"; adobe/S3Mock issue 2586, a script run against
// S3), and clients rely on it (the SDKs retry a Complete that failed after its
// 200 was sent). How long AWS remembers is not documented; its NoSuchUpload
// message ("...may have been aborted or completed") comes later. minio's
// maintainers saw S3 answer a completed upload id for "a few hours", so a
// completion is remembered for REMEMBERED_MS of the clock, in SQLite beside the
// uploads (it survives a restart), and replayed only for the same bucket, key
// and list of parts. The table is created and emptied with S3's others (tables.ts).

const REMEMBERED_MS = 3 * 3_600_000;

interface Completion {
  bucket: string;
  key: string;
  /** "partNumber:etag" of each part, in order. */
  parts: string[];
  output: S3Output;
}

interface Statements {
  get: { get(uploadId: string): { completed: number; doc: string } | undefined };
  put: { run(uploadId: string, completed: number, doc: string): unknown };
  prune: { run(before: number): unknown };
  /** When those too old were last forgotten (clock ms). */
  pruned: number;
}

/** Forgetting is a write of its own: at most once per PRUNE_EVERY_MS, not per completion. */
const PRUNE_EVERY_MS = 3_600_000;

const statements = new WeakMap<Sqlite, Statements>();

function statementsOf(db: Sqlite): Statements {
  let s = statements.get(db);
  if (!s) {
    s = {
      get: db.prepare<[string], { completed: number; doc: string }>("SELECT completed, doc FROM s3_completed_uploads WHERE upload_id = ?"),
      put: db.prepare("INSERT OR REPLACE INTO s3_completed_uploads (upload_id, completed, doc) VALUES (?, ?, ?)"),
      prune: db.prepare("DELETE FROM s3_completed_uploads WHERE completed < ?"),
      pruned: 0,
    };
    statements.set(db, s);
  }
  return s;
}

/** The request's parts as "partNumber:etag" (quotes optional, as S3 takes them). */
function partsOf(input: S3Input): string[] {
  const parts = (input.MultipartUpload?.Parts ?? []) as { PartNumber?: unknown; ETag?: unknown }[];
  return parts.map((p) => `${Number(p.PartNumber)}:${String(p.ETag ?? "").replace(/"/g, "")}`);
}

/** Remembers a completion's result for a retried Complete; forgets those too old. */
export function rememberCompletion(store: S3Store, uploadId: string, input: S3Input, output: S3Output): void {
  const s = statementsOf(store.db);
  const now = store.clock.now();
  if (now - s.pruned >= PRUNE_EVERY_MS) {
    s.prune.run(now - REMEMBERED_MS);
    s.pruned = now;
  }
  const completion: Completion = { bucket: String(input.Bucket), key: String(input.Key), parts: partsOf(input), output };
  s.put.run(uploadId, now, JSON.stringify(completion));
}

/** The first Complete's result, when this one repeats it within REMEMBERED_MS. */
export function repeatedCompletion(store: S3Store, input: S3Input): S3Output | undefined {
  const row = statementsOf(store.db).get.get(String(input.UploadId ?? ""));
  if (!row || store.clock.now() - row.completed > REMEMBERED_MS) return undefined;
  const completion = JSON.parse(row.doc) as Completion;
  if (completion.bucket !== input.Bucket || completion.key !== String(input.Key)) return undefined;
  const parts = partsOf(input);
  if (parts.length !== completion.parts.length || parts.some((p, i) => p !== completion.parts[i])) return undefined;
  return completion.output;
}
