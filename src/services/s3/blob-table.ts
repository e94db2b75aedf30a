import { Readable } from "node:stream";
import type { BlobRange, BlobStore } from "../../storage/blobs.js";
import type { Sqlite } from "../../storage/database.js";

// With --data-dir, bytes up to SMALL_BLOB (most objects) live in SQLite instead
// of a file each: storing them is a row in the WAL instead of mkdir, open, write,
// close and rename (plus an unlink for the bytes they replace), reading them one
// query instead of stat, open, read and close. The durability is the same: the
// WAL is written before the request is answered (storage/database.ts), so an
// acknowledged object survives a process crash as a renamed file does. Larger
// values, and streams that turn out larger, go to the platform's blob files,
// where values written before this table existed also stay readable.

/** Values up to this size are rows; the blob files' own small-value size. */
const SMALL_BLOB = 64 * 1024;

export function createBlobTable(db: Sqlite): void {
  db.exec("CREATE TABLE IF NOT EXISTS s3_blobs (key TEXT PRIMARY KEY, bytes BLOB NOT NULL)");
}

export class TableBlobStore implements BlobStore {
  private readonly q;

  constructor(db: Sqlite, private readonly files: BlobStore) {
    createBlobTable(db);
    this.q = {
      get: db.prepare<[string], { bytes: Buffer }>("SELECT bytes FROM s3_blobs WHERE key = ?"),
      put: db.prepare("INSERT INTO s3_blobs (key, bytes) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes"),
      delete: db.prepare("DELETE FROM s3_blobs WHERE key = ?"),
      deletePrefix: db.prepare("DELETE FROM s3_blobs WHERE substr(key, 1, ?) = ?"),
      copy: db.prepare("INSERT INTO s3_blobs (key, bytes) SELECT ?, bytes FROM s3_blobs WHERE key = ?"),
    };
  }

  put(key: string, bytes: Buffer): void {
    if (bytes.length <= SMALL_BLOB) this.q.put.run(key, bytes);
    else this.files.put(key, bytes);
  }

  get(key: string): Buffer | undefined {
    return this.q.get.get(key)?.bytes ?? this.files.get(key);
  }

  delete(key: string): void {
    if (!this.deleteRow(key)) this.files.delete(key);
  }

  /** Removes the key's row; false when its value is not one (it may be a file). */
  deleteRow(key: string): boolean {
    return this.q.delete.run(key).changes > 0;
  }

  /** Removes the key's file, for a value known not to be a row. */
  deleteFile(key: string): void {
    this.files.delete(key);
  }

  deletePrefix(prefix: string): void {
    this.q.deletePrefix.run(prefix.length, prefix);
    this.files.deletePrefix(prefix);
  }

  async putStream(key: string, source: AsyncIterable<Buffer>): Promise<number> {
    // A stream of unknown length may still be small: read that much first.
    const iterator = source[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let size = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
      size += next.value.length;
      if (size > SMALL_BLOB) return this.files.putStream(key, rest(head, iterator));
    }
    if (size > 0) this.q.put.run(key, head.length === 1 ? head[0] : Buffer.concat(head));
    return size;
  }

  createReadStream(key: string, range?: BlobRange): Readable | undefined {
    const bytes = this.q.get.get(key)?.bytes;
    if (bytes) return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
    return this.files.createReadStream(key, range);
  }

  copy(from: string, to: string): void {
    if (this.q.copy.run(to, from).changes === 0) this.files.copy(from, to);
  }

  /** The platform closes its own store. */
  close(): void {}
}

/** The chunks already read, then the rest of the source. */
async function* rest(head: Buffer[], iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
