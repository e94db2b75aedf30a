import { randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { Clock } from "../../platform/clock.js";
import type { BlobStore } from "../../storage/blobs.js";
import type { Sqlite } from "../../storage/database.js";
import type { Logger } from "../../platform/logger.js";
import type { Invoke, StoreScope } from "../service.js";
import { noSuchBucket } from "./errors.js";
import { sweepLifecycle } from "./lifecycle.js";
import type { BucketRecord, ObjectRecord, UploadRecord } from "./records.js";

// S3's state. Bucket names are one namespace across accounts and regions, so the
// tables are shared by every account's store (the store is per account: ListBuckets
// answers an account's buckets of every region). Object versions are rows keyed by
// (bucket, key, seq); `latest` marks the current one so listings read an index in
// key order. SQLite compares TEXT as bytes, which is S3's UTF-8 binary key order.

const BLOB_PREFIX = "s3/";

export function createTables(db: Sqlite): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS s3_buckets (name TEXT PRIMARY KEY, account TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS s3_objects (
      bucket TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, version_id TEXT NOT NULL,
      latest INTEGER NOT NULL, marker INTEGER NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (bucket, key, seq)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS s3_objects_current ON s3_objects (bucket, latest, key);
    CREATE TABLE IF NOT EXISTS s3_uploads (upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS s3_uploads_key ON s3_uploads (bucket, key, upload_id);`);
}

/** Forgets every bucket, and with the blob store, the objects' and parts' bytes too. */
export function resetTables(db: Sqlite, blobs?: BlobStore): void {
  createTables(db);
  bucketCaches.delete(db);
  db.exec("DELETE FROM s3_buckets; DELETE FROM s3_objects; DELETE FROM s3_uploads;");
  blobs?.deletePrefix(BLOB_PREFIX);
}

// Parsed bucket records by name, per database: every request reads its bucket,
// and parsing its JSON each time was a measurable share of a PutObject. Shared by
// the stores of every account (the table is), so a write through one store is seen
// by all; saveBucket and deleteBucket keep it current. Handlers mutate a record
// only right before saving it (validation first), so the cached object never holds
// a change that was not saved.
const bucketCaches = new WeakMap<Sqlite, Map<string, BucketRecord>>();

function bucketCacheOf(db: Sqlite): Map<string, BucketRecord> {
  let cache = bucketCaches.get(db);
  if (!cache) bucketCaches.set(db, (cache = new Map()));
  return cache;
}

interface VersionRow {
  seq: number;
  doc: string;
  latest: number;
}

export class S3Store {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  readonly blobs: BlobStore;
  readonly db: Sqlite;
  readonly invoke: Invoke;
  readonly logger: Logger;
  /** For the secrets of issued keys (POST Object policies are signed with them). */
  readonly accessKeys: StoreScope["accessKeys"];
  private readonly q;
  private readonly bucketCache: Map<string, BucketRecord>;
  private readonly replaceNullVersion: (bucket: string, record: ObjectRecord, seq: number, doc: string) => string[];
  private readonly removeVersion: (bucket: string, key: string, row: VersionRow) => void;
  private sequence = 0;
  private seq = 0;

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.blobs = scope.blobs;
    this.db = scope.db;
    this.invoke = scope.invoke;
    this.logger = scope.logger;
    this.accessKeys = scope.accessKeys;
    createTables(scope.db);
    const db = scope.db;
    this.q = {
      bucket: db.prepare<[string], { doc: string }>("SELECT doc FROM s3_buckets WHERE name = ?"),
      buckets: db.prepare<[string], { doc: string }>("SELECT doc FROM s3_buckets WHERE account = ? ORDER BY name"),
      putBucket: db.prepare("INSERT INTO s3_buckets (name, account, doc) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc"),
      deleteBucket: db.prepare("DELETE FROM s3_buckets WHERE name = ?"),
      anyObject: db.prepare<[string], { n: number }>("SELECT 1 AS n FROM s3_objects WHERE bucket = ? LIMIT 1"),
      anyUpload: db.prepare<[string], { n: number }>("SELECT 1 AS n FROM s3_uploads WHERE bucket = ? LIMIT 1"),
      current: db.prepare<[string, string], VersionRow>(
        "SELECT seq, doc, latest FROM s3_objects WHERE bucket = ? AND key = ? AND latest = 1"),
      version: db.prepare<[string, string, string], VersionRow>(
        "SELECT seq, doc, latest FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?"),
      versionsOfKey: db.prepare<[string, string], VersionRow>(
        "SELECT seq, doc, latest FROM s3_objects WHERE bucket = ? AND key = ? ORDER BY seq DESC"),
      insert: db.prepare("INSERT INTO s3_objects (bucket, key, seq, version_id, latest, marker, doc) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      update: db.prepare("UPDATE s3_objects SET doc = ? WHERE bucket = ? AND key = ? AND seq = ?"),
      // A key of a never-versioned bucket has one row, its null version: replacing
      // it is one statement (no transaction, no separate delete and insert).
      // The row keeps its seq: the only version of its key, nothing orders it against
      // another, and the row is then rewritten in place (no index entry moves).
      replaceOnly: db.prepare("UPDATE s3_objects SET marker = ?, doc = ? WHERE bucket = ? AND key = ? AND seq = ?"),
      nullVersion: db.prepare<[string, string], { seq: number; blob: string | null; segments: number }>(
        "SELECT seq, doc ->> '$.blob' AS blob, doc -> '$.segments' IS NOT NULL AS segments FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = 'null'"),
      unsetLatest: db.prepare("UPDATE s3_objects SET latest = 0 WHERE bucket = ? AND key = ? AND latest = 1"),
      setLatest: db.prepare("UPDATE s3_objects SET latest = 1 WHERE bucket = ? AND key = ? AND seq = ?"),
      remove: db.prepare("DELETE FROM s3_objects WHERE bucket = ? AND key = ? AND seq = ?"),
      newestSeq: db.prepare<[string, string], { seq: number }>(
        "SELECT seq FROM s3_objects WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1"),
      maxSeq: db.prepare<[], { seq: number | null }>("SELECT MAX(seq) AS seq FROM s3_objects"),
      listCurrent: db.prepare<[string, string], { doc: string }>(
        "SELECT doc FROM s3_objects WHERE bucket = ? AND latest = 1 AND marker = 0 AND key >= ? ORDER BY key"),
      listVersions: db.prepare<[string, string], { doc: string; latest: number }>(
        "SELECT doc, latest FROM s3_objects WHERE bucket = ? AND key >= ? ORDER BY key, seq DESC"),
      upload: db.prepare<[string], { doc: string }>("SELECT doc FROM s3_uploads WHERE upload_id = ?"),
      uploads: db.prepare<[string], { doc: string }>("SELECT doc FROM s3_uploads WHERE bucket = ? ORDER BY key, upload_id"),
      putUpload: db.prepare("INSERT INTO s3_uploads (upload_id, bucket, key, doc) VALUES (?, ?, ?, ?) ON CONFLICT (upload_id) DO UPDATE SET doc = excluded.doc"),
      deleteUpload: db.prepare("DELETE FROM s3_uploads WHERE upload_id = ?"),
    };
    this.seq = this.q.maxSeq.get()?.seq ?? 0;
    this.bucketCache = bucketCacheOf(db);
    // Prepared once: db.transaction() builds its wrapper anew on every call.
    this.removeVersion = db.transaction((bucket: string, key: string, row: VersionRow) => {
      this.q.remove.run(bucket, key, row.seq);
      if (row.latest === 1) {
        const next = this.q.newestSeq.get(bucket, key);
        if (next) this.q.setLatest.run(bucket, key, next.seq);
      }
    });
    this.replaceNullVersion = db.transaction((bucket: string, record: ObjectRecord, seq: number, doc: string): string[] => {
      const q = this.q;
      let replaced: string[] = [];
      if (record.versionId === "null") {
        const old = q.version.get(bucket, record.key, "null");
        if (old) {
          replaced = blobsOf(JSON.parse(old.doc) as ObjectRecord);
          q.remove.run(bucket, record.key, old.seq);
        }
      }
      q.unsetLatest.run(bucket, record.key);
      q.insert.run(bucket, record.key, seq, record.versionId, 1, record.deleteMarker ? 1 : 0, doc);
      return replaced;
    });
    scheduleLifecycle(this);
  }

  // ------------------------------------------------------------ buckets

  /** Any account's bucket of that name. */
  findBucket(name: string): BucketRecord | undefined {
    const cached = this.bucketCache.get(name);
    if (cached) return cached;
    const row = this.q.bucket.get(name);
    if (!row) return undefined;
    const bucket = JSON.parse(row.doc) as BucketRecord;
    this.bucketCache.set(name, bucket);
    return bucket;
  }

  /** The bucket, which must exist (buckets of other accounts are reachable: no IAM yet). */
  requireBucket(name: string): BucketRecord {
    const bucket = this.findBucket(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  bucketsOfAccount(): BucketRecord[] {
    return this.q.buckets.all(this.account).map((r) => JSON.parse(r.doc) as BucketRecord);
  }

  saveBucket(bucket: BucketRecord): void {
    this.q.putBucket.run(bucket.name, bucket.account, JSON.stringify(bucket));
    this.bucketCache.set(bucket.name, bucket);
  }

  deleteBucket(name: string): void {
    this.q.deleteBucket.run(name);
    this.bucketCache.delete(name);
  }

  bucketIsEmpty(name: string): boolean {
    return this.q.anyObject.get(name) === undefined;
  }

  // ------------------------------------------------------------ objects

  /** The key's current version (possibly a delete marker). */
  current(bucket: string, key: string): ObjectRecord | undefined {
    const row = this.q.current.get(bucket, key);
    return row ? (JSON.parse(row.doc) as ObjectRecord) : undefined;
  }

  version(bucket: string, key: string, versionId: string): { record: ObjectRecord; latest: boolean } | undefined {
    const row = this.q.version.get(bucket, key, versionId);
    return row ? { record: JSON.parse(row.doc) as ObjectRecord, latest: row.latest === 1 } : undefined;
  }

  /**
   * Adds a new current version. With versioning off or suspended, it replaces the
   * key's null version (whose bytes go); with it on, older versions stay.
   */
  putVersion(bucket: BucketRecord, record: ObjectRecord): void {
    const doc = JSON.stringify(record);
    let replaced: string[];
    if (!bucket.versioning && record.versionId === "null") {
      const old = this.q.nullVersion.get(bucket.name, record.key);
      if (old) {
        // The blob comes out of the row in SQL; a multipart object's list of segments needs its record.
        replaced = old.segments ? blobsOf(JSON.parse(this.q.version.get(bucket.name, record.key, "null")!.doc) as ObjectRecord) : old.blob ? [old.blob] : [];
        this.q.replaceOnly.run(record.deleteMarker ? 1 : 0, doc, bucket.name, record.key, old.seq);
      } else {
        this.q.insert.run(bucket.name, record.key, ++this.seq, "null", 1, record.deleteMarker ? 1 : 0, doc);
        replaced = [];
      }
    } else {
      replaced = this.replaceNullVersion(bucket.name, record, ++this.seq, doc);
    }
    if (replaced.length === 0) return;
    const kept = new Set(blobsOf(record));
    for (const blob of replaced) if (!kept.has(blob)) this.blobs.delete(blob);
  }

  /** Rewrites a version's record in place (tags). */
  updateVersion(bucket: string, record: ObjectRecord): void {
    const row = this.q.version.get(bucket, record.key, record.versionId);
    if (row) this.q.update.run(JSON.stringify(record), bucket, record.key, row.seq);
  }

  /** Removes one version for good; the next newest becomes current. */
  deleteVersion(bucket: string, key: string, versionId: string): ObjectRecord | undefined {
    const row = this.q.version.get(bucket, key, versionId);
    if (!row) return undefined;
    const record = JSON.parse(row.doc) as ObjectRecord;
    this.removeVersion(bucket, key, row);
    for (const blob of blobsOf(record)) this.blobs.delete(blob);
    return record;
  }

  /** The current, non-deleted objects with keys from `from` on, in key order (lazily). */
  *currentObjects(bucket: string, from: string): Generator<ObjectRecord> {
    for (const row of this.q.listCurrent.iterate(bucket, from)) yield JSON.parse(row.doc) as ObjectRecord;
  }

  /** Every version (newest first per key) from `from` on, with whether it is current. */
  *allVersions(bucket: string, from: string): Generator<{ record: ObjectRecord; latest: boolean }> {
    for (const row of this.q.listVersions.iterate(bucket, from)) {
      yield { record: JSON.parse(row.doc) as ObjectRecord, latest: row.latest === 1 };
    }
  }

  /** An event's s3.object.sequencer: hex that grows with every event. */
  nextSequencer(): string {
    return (this.clock.now() * 1000 + (++this.sequence % 1000)).toString(16).toUpperCase().padStart(16, "0");
  }

  newVersionId(): string {
    // AWS's version ids are 32 URL-safe characters.
    return randomBytes(24).toString("base64").replace(/\+/g, ".").replace(/\//g, "_");
  }

  // ------------------------------------------------------------ bytes

  newBlobKey(): string {
    return BLOB_PREFIX + randomUUID();
  }

  putBytes(bytes: Buffer): string {
    const key = this.newBlobKey();
    this.blobs.put(key, bytes);
    return key;
  }

  /** All of a small object's bytes (a part's, or a record's). */
  bytesOf(record: { blob?: string; segments?: string[] }): Buffer {
    if (record.segments) return Buffer.concat(record.segments.map((blob) => this.blobs.get(blob) ?? Buffer.alloc(0)));
    return (record.blob ? this.blobs.get(record.blob) : undefined) ?? Buffer.alloc(0);
  }

  /**
   * The bytes `start`..`end` (inclusive) of an object: a Buffer when small, else a
   * stream read from the blob files, so a large object never sits in memory.
   */
  readBytes(record: ObjectRecord, start: number, end: number): Buffer | Readable {
    if (end < start) return Buffer.alloc(0);
    if (end - start < SMALL_READ) {
      const bytes = this.bytesOf(record);
      return start === 0 && end === bytes.length - 1 ? bytes : bytes.subarray(start, end + 1);
    }
    if (!record.segments) return this.blobs.createReadStream(record.blob!, { start, end }) ?? Buffer.alloc(0);
    const pieces: { blob: string; start: number; end: number }[] = [];
    let offset = 0;
    record.segments.forEach((blob, i) => {
      const size = record.parts![i].size;
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + size - 1);
      if (from <= to) pieces.push({ blob, start: from - offset, end: to - offset });
      offset += size;
    });
    const blobs = this.blobs;
    return Readable.from(
      (async function* () {
        for (const piece of pieces) {
          const stream = blobs.createReadStream(piece.blob, piece);
          if (stream) yield* stream;
        }
      })(),
      { objectMode: false, highWaterMark: 1024 * 1024 },
    );
  }

  /** New blobs with a record's bytes (hard links: blobs never change), for a copy. */
  copyBytes(record: ObjectRecord): Pick<ObjectRecord, "blob" | "segments"> {
    const copy = (blob: string) => {
      const to = this.newBlobKey();
      this.blobs.copy(blob, to);
      return to;
    };
    if (record.segments) return { segments: record.segments.map(copy) };
    return { blob: record.blob ? copy(record.blob) : undefined };
  }

  // ------------------------------------------------------------ multipart uploads

  upload(uploadId: string): UploadRecord | undefined {
    const row = this.q.upload.get(uploadId);
    return row ? (JSON.parse(row.doc) as UploadRecord) : undefined;
  }

  uploadsOf(bucket: string): UploadRecord[] {
    return this.q.uploads.all(bucket).map((r) => JSON.parse(r.doc) as UploadRecord);
  }

  saveUpload(upload: UploadRecord): void {
    this.q.putUpload.run(upload.uploadId, upload.bucket, upload.key, JSON.stringify(upload));
  }

  deleteUpload(upload: UploadRecord, keepBlobs: string[] = []): void {
    this.q.deleteUpload.run(upload.uploadId);
    const keep = new Set(keepBlobs);
    for (const part of Object.values(upload.parts)) if (!keep.has(part.blob)) this.blobs.delete(part.blob);
  }

  hasUploads(bucket: string): boolean {
    return this.q.anyUpload.get(bucket) !== undefined;
  }
}

export const BLOBS = BLOB_PREFIX;

/** How often lifecycle rules are applied, in the clock's time (S3 runs them about daily). */
const LIFECYCLE_SWEEP_MS = 3_600_000;

// One sweep timer per server (per clock), over its latest store of each account:
// a reset replaces the stores, not the timer.
const sweepers = new WeakMap<Clock, Map<string, S3Store>>();

function scheduleLifecycle(store: S3Store): void {
  const clock = store.clock;
  let stores = sweepers.get(clock);
  if (!stores) {
    const all = (stores = new Map());
    sweepers.set(clock, all);
    const tick = () => {
      for (const s of all.values()) {
        try {
          sweepLifecycle(s);
        } catch (error) {
          s.logger.error("S3 lifecycle sweep failed", error);
        }
      }
      clock.after(LIFECYCLE_SWEEP_MS, tick);
    };
    clock.after(LIFECYCLE_SWEEP_MS, tick);
  }
  stores.set(store.account, store);
}

/** Reads shorter than this are answered from memory, longer ones streamed. */
const SMALL_READ = 64 * 1024;

/** The blobs that hold a record's bytes. */
export function blobsOf(record: { blob?: string; segments?: string[] }): string[] {
  return record.segments ?? (record.blob ? [record.blob] : []);
}
