import type { BlobStore } from "../../storage/blobs.js";
import type { Sqlite } from "../../storage/database.js";
import { createBlobTable } from "./blob-table.js";
import { currentVersionsOf, forgetBucketCache } from "./row-caches.js";

// S3's tables, shared by every account's store (bucket names are one namespace).
// Object versions are rows keyed by (bucket, key, seq); `latest` marks the current
// one so listings read an index in key order. SQLite compares TEXT as bytes, which
// is S3's UTF-8 binary key order.

export const BLOB_PREFIX = "s3/";

export function createTables(db: Sqlite): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS s3_buckets (name TEXT PRIMARY KEY, account TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS s3_objects (
      bucket TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, version_id TEXT NOT NULL,
      latest INTEGER NOT NULL, marker INTEGER NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (bucket, key, seq)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS s3_objects_current ON s3_objects (bucket, latest, key);
    CREATE TABLE IF NOT EXISTS s3_uploads (upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS s3_uploads_key ON s3_uploads (bucket, key, upload_id);
    CREATE TABLE IF NOT EXISTS s3_completed_uploads (upload_id TEXT PRIMARY KEY, completed INTEGER NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS s3_completed_uploads_age ON s3_completed_uploads (completed);`);
  createBlobTable(db);
}

/** Forgets every bucket, and with the blob store, the objects' and parts' bytes too. */
export function resetTables(db: Sqlite, blobs?: BlobStore): void {
  createTables(db);
  forgetBucketCache(db);
  currentVersionsOf(db).clear();
  db.exec("DELETE FROM s3_buckets; DELETE FROM s3_objects; DELETE FROM s3_uploads; DELETE FROM s3_completed_uploads; DELETE FROM s3_blobs;");
  blobs?.deletePrefix(BLOB_PREFIX);
}

