import type { Sqlite } from "../../storage/database.js";
import type { BucketRecord } from "./records.js";

// S3's rows kept in memory, per database: the stores of every account share the
// tables, so they share these too, and a write through one store is seen by all.

// Parsed bucket records by name: every request reads its bucket, and parsing its
// JSON each time was a measurable share of a PutObject. saveBucket and
// deleteBucket keep it current. Handlers mutate a record only right before saving
// it (validation first), so the cached object never holds a change not saved.
const bucketCaches = new WeakMap<Sqlite, Map<string, BucketRecord>>();

export function bucketCacheOf(db: Sqlite): Map<string, BucketRecord> {
  let cache = bucketCaches.get(db);
  if (!cache) bucketCaches.set(db, (cache = new Map()));
  return cache;
}

export function forgetBucketCache(db: Sqlite): void {
  bucketCaches.delete(db);
}

// Each key's current version row as stored (its seq, version id, the record's JSON
// and the blobs holding its bytes), for the keys read or written last. GetObject
// then parses its record without a query, and a PutObject that replaces a key's
// null version learns the row and the blobs to drop without selecting it first:
// under load each SQLite call costs several times what it does in a tight loop.
// S3Store keeps it exact (every write to s3_objects goes through it and sets or
// drops the key's entry), resetTables empties it. The JSON is kept, not the parsed
// record, so every read gets a record of its own that a handler may change freely.

export interface CurrentRow {
  seq: number;
  versionId: string;
  doc: string;
  /** The blobs of the version's bytes (blobsOf its record). */
  blobs: string[];
}

/** Entries kept: a few MiB of JSON at most; the oldest written or loaded goes first. */
const MAX_ENTRIES = 4096;

export class CurrentVersions {
  private readonly rows = new Map<string, CurrentRow>();

  get(bucket: string, key: string): CurrentRow | undefined {
    return this.rows.get(entryKey(bucket, key));
  }

  set(bucket: string, key: string, row: CurrentRow): void {
    const k = entryKey(bucket, key);
    // Re-inserted, so the Map's order is the order of last writes.
    this.rows.delete(k);
    this.rows.set(k, row);
    if (this.rows.size > MAX_ENTRIES) this.rows.delete(this.rows.keys().next().value!);
  }

  delete(bucket: string, key: string): void {
    this.rows.delete(entryKey(bucket, key));
  }

  clear(): void {
    this.rows.clear();
  }
}

// Bucket names never hold "/", so the pair is unambiguous.
const entryKey = (bucket: string, key: string) => bucket + "/" + key;

const currentCaches = new WeakMap<Sqlite, CurrentVersions>();

/** The database's cache (one per database, like its tables). */
export function currentVersionsOf(db: Sqlite): CurrentVersions {
  let cache = currentCaches.get(db);
  if (!cache) currentCaches.set(db, (cache = new CurrentVersions()));
  return cache;
}

// The versions of a key are ordered by seq, and every account's store may write a
// version of any key (a bucket is shared across accounts): one counter per database,
// starting past the highest seq stored, so two stores never hand out the same one.
const sequences = new WeakMap<Sqlite, { value: number }>();

export function versionSequenceOf(db: Sqlite, highestStored: () => number): { value: number } {
  let sequence = sequences.get(db);
  if (!sequence) sequences.set(db, (sequence = { value: highestStored() }));
  return sequence;
}
