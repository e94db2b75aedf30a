import { randomBytes } from "node:crypto";
import { uuid } from "../../platform/ids.js";
import { Readable } from "node:stream";
import type { Clock } from "../../platform/clock.js";
import type { BlobStore } from "../../storage/blobs.js";
import type { Sqlite } from "../../storage/database.js";
import type { Collection, DocumentStore } from "../../storage/documents.js";
import type { Logger } from "../../platform/logger.js";
import type { Invoke, StoreScope } from "../service.js";
import { TableBlobStore } from "./blob-table.js";
import { BLOB_PREFIX, createTables } from "./tables.js";
import { bucketCacheOf, currentVersionsOf, versionSequenceOf, type CurrentVersions } from "./row-caches.js";
import { noSuchBucket } from "./errors.js";
import { recordJson } from "./record-json.js";
import { scheduleLifecycle } from "./lifecycle.js";
import type { BucketRecord, ObjectRecord, UploadRecord } from "./records.js";

// S3's state, per account (ListBuckets answers an account's buckets of every
// region), over tables every account shares (tables.ts): bucket names are one
// namespace across accounts and regions.

interface WrittenVersion {
  seq: number;
  blobs: string[];
  replaced: string[];
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
  private readonly currentRows: CurrentVersions;
  private readonly replaceNullVersion: (bucket: string, record: ObjectRecord, seq: number, doc: string) => string[];
  private readonly removeVersion: (bucket: string, key: string, row: VersionRow) => void;
  /** With a data dir: small bytes are rows (blob-table.ts), written with the version in one transaction. */
  private readonly blobTable: TableBlobStore | undefined;
  private readonly writeVersionAtOnce: (bucket: BucketRecord, record: ObjectRecord, doc: string, bytes: Buffer | undefined) => WrittenVersion;
  private sequence = 0;
  private readonly seq: { value: number };
  private readonly documents: DocumentStore;
  private readonly collections = new Map<string, Collection<unknown>>();

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.blobTable = scope.config.dataDir === undefined ? undefined : new TableBlobStore(scope.db, scope.blobs);
    this.blobs = this.blobTable ?? scope.blobs;
    this.db = scope.db;
    this.invoke = scope.invoke;
    this.logger = scope.logger;
    this.accessKeys = scope.accessKeys;
    this.documents = scope.documents;
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
    this.seq = versionSequenceOf(db, () => this.q.maxSeq.get()?.seq ?? 0);
    this.bucketCache = bucketCacheOf(db);
    this.currentRows = currentVersionsOf(db);
    // Prepared once: db.transaction() builds its wrapper anew on every call.
    this.removeVersion = db.transaction((bucket: string, key: string, row: VersionRow) => {
      this.q.remove.run(bucket, key, row.seq);
      if (row.latest === 1) {
        const next = this.q.newestSeq.get(bucket, key);
        if (next) this.q.setLatest.run(bucket, key, next.seq);
      }
    });
    // One commit for the bytes, the row and the rows of the bytes it replaces
    // (the WAL's commits, not the statements, are what a write costs).
    this.writeVersionAtOnce = db.transaction((bucket: BucketRecord, record: ObjectRecord, doc: string, bytes: Buffer | undefined) => {
      if (bytes) this.blobs.put(record.blob!, bytes);
      const written = this.writeVersion(bucket, record, doc);
      // What is left to delete after the commit: bytes that are files.
      written.replaced = written.replaced.filter((blob) => !this.blobTable!.deleteRow(blob));
      return written;
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
    const cached = this.currentRows.get(bucket, key);
    if (cached) return JSON.parse(cached.doc) as ObjectRecord;
    const row = this.q.current.get(bucket, key);
    if (!row) return undefined;
    const record = JSON.parse(row.doc) as ObjectRecord;
    this.currentRows.set(bucket, key, { seq: row.seq, versionId: record.versionId, doc: row.doc, blobs: [...blobsOf(record)] });
    return record;
  }

  version(bucket: string, key: string, versionId: string): { record: ObjectRecord; latest: boolean } | undefined {
    const cached = this.currentRows.get(bucket, key);
    if (cached?.versionId === versionId) return { record: JSON.parse(cached.doc) as ObjectRecord, latest: true };
    const row = this.q.version.get(bucket, key, versionId);
    return row ? { record: JSON.parse(row.doc) as ObjectRecord, latest: row.latest === 1 } : undefined;
  }

  /**
   * Adds a new current version. With versioning off or suspended, it replaces the
   * key's null version (whose bytes go); with it on, older versions stay.
   * `bytes`: the version's bytes, held by the caller so far, stored under its blob.
   */
  putVersion(bucket: BucketRecord, record: ObjectRecord, bytes?: Buffer): void {
    const doc = recordJson(record);
    let written: WrittenVersion;
    if (this.blobTable) {
      written = this.writeVersionAtOnce(bucket, record, doc, bytes);
    } else {
      if (bytes) this.blobs.put(record.blob!, bytes);
      written = this.writeVersion(bucket, record, doc);
      for (const blob of written.replaced) this.blobs.delete(blob);
    }
    // Only once committed: a rolled back write leaves the cache as it was.
    this.currentRows.set(bucket.name, record.key, { seq: written.seq, versionId: record.versionId, doc, blobs: written.blobs });
    // The replaced bytes that were files (rows went in the transaction).
    if (this.blobTable) for (const blob of written.replaced) this.blobTable.deleteFile(blob);
  }

  /** Writes the version's row; answers its seq, its blobs and the blobs of the bytes it replaced. */
  private writeVersion(bucket: BucketRecord, record: ObjectRecord, doc: string): WrittenVersion {
    const blobs = [...blobsOf(record)];
    let replaced: string[];
    let seq: number;
    if (!bucket.versioning && record.versionId === "null") {
      // A never-versioned bucket's key has one row, its null version, which is current.
      const cached = this.currentRows.get(bucket.name, record.key);
      const old = cached?.versionId === "null" ? { seq: cached.seq, blobs: cached.blobs } : this.nullVersionOf(bucket.name, record.key);
      if (old) {
        seq = old.seq;
        replaced = old.blobs;
        this.q.replaceOnly.run(record.deleteMarker ? 1 : 0, doc, bucket.name, record.key, seq);
      } else {
        seq = ++this.seq.value;
        this.q.insert.run(bucket.name, record.key, seq, "null", 1, record.deleteMarker ? 1 : 0, doc);
        replaced = [];
      }
    } else {
      seq = ++this.seq.value;
      replaced = this.replaceNullVersion(bucket.name, record, seq, doc);
    }
    if (replaced.length > 0) {
      const kept = new Set(blobs);
      replaced = replaced.filter((blob) => !kept.has(blob));
    }
    return { seq, blobs, replaced };
  }

  /** The key's null version row: its seq and the blobs of its bytes. */
  private nullVersionOf(bucket: string, key: string): { seq: number; blobs: string[] } | undefined {
    const old = this.q.nullVersion.get(bucket, key);
    if (!old) return undefined;
    // The blob comes out of the row in SQL; a multipart object's list of segments needs its record.
    const blobs = old.segments ? blobsOf(JSON.parse(this.q.version.get(bucket, key, "null")!.doc) as ObjectRecord) : old.blob ? [old.blob] : [];
    return { seq: old.seq, blobs };
  }

  /** Rewrites a version's record in place (tags). */
  updateVersion(bucket: string, record: ObjectRecord): void {
    const cached = this.currentRows.get(bucket, record.key);
    const seq = cached?.versionId === record.versionId ? cached.seq : this.q.version.get(bucket, record.key, record.versionId)?.seq;
    if (seq === undefined) return;
    const doc = recordJson(record);
    this.q.update.run(doc, bucket, record.key, seq);
    if (cached?.seq === seq) this.currentRows.set(bucket, record.key, { seq, versionId: record.versionId, doc, blobs: [...blobsOf(record)] });
  }

  /** Removes one version for good; the next newest becomes current. */
  deleteVersion(bucket: string, key: string, versionId: string): ObjectRecord | undefined {
    const row = this.q.version.get(bucket, key, versionId);
    if (!row) return undefined;
    const record = JSON.parse(row.doc) as ObjectRecord;
    this.removeVersion(bucket, key, row);
    // The next newest (if any) became current: read again on the next request.
    this.currentRows.delete(bucket, key);
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

  /**
   * The store's documents of `kind` (region "global": S3's stores are per account).
   * S3 keeps its state in its own tables, but when a server with a data dir starts,
   * the host reopens only the stores of scopes that have documents: what must be
   * re-armed on the clock after a restart (restores in progress, lifecycle sweeps)
   * is kept here too.
   */
  collection<T>(kind: string): Collection<T> {
    let collection = this.collections.get(kind);
    if (!collection) this.collections.set(kind, (collection = this.documents.collection<unknown>("s3", this.account, "global", kind)));
    return collection as Collection<T>;
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
    return BLOB_PREFIX + uuid();
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
      const size = record.segmentSizes?.[i] ?? record.parts![i].size;
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

/** Reads shorter than this are answered from memory, longer ones streamed. */
const SMALL_READ = 64 * 1024;

/** The blobs that hold a record's bytes. */
export function blobsOf(record: { blob?: string; segments?: string[] }): string[] {
  return record.segments ?? (record.blob ? [record.blob] : []);
}
