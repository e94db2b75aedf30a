import { createReadStream, createWriteStream, existsSync, linkSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";

// Large byte values (object bodies, code zips) live outside SQLite: as files under
// <data-dir>/blobs when persisting, in memory otherwise. Keys are opaque strings.
// Streamed values (S3 object bodies) never sit in memory whole: they go to a file,
// under <data-dir>/blobs, or in a temporary directory the store owns (and removes
// on close) when running in memory, where only small values stay in the map.

export interface BlobRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface BlobStore {
  put(key: string, bytes: Buffer): void;
  get(key: string): Buffer | undefined;
  delete(key: string): void;
  deletePrefix(prefix: string): void;
  /** Writes what `source` yields under `key` (a temporary file renamed into place
   *  once the source ended, so a failed stream leaves nothing); answers the size. */
  putStream(key: string, source: AsyncIterable<Buffer>): Promise<number>;
  /** The value's bytes (a range of them) as a stream; undefined when there is no such key. */
  createReadStream(key: string, range?: BlobRange): Readable | undefined;
  /** `to` gets `from`'s bytes (a hard link where the file system allows: values never change). */
  copy(from: string, to: string): void;
  /** Removes what the store owns outside the data dir (the in-memory mode's temporary directory). */
  close(): void;
}

export function createBlobStore(dataDir: string | undefined): BlobStore {
  return dataDir ? new FileBlobStore(join(dataDir, "blobs")) : new MemoryBlobStore();
}

/** Values up to this size are written in one synchronous call (and kept in memory in the in-memory mode). */
const SMALL = 64 * 1024;
const WRITE_BUFFER = 1024 * 1024;
/** Read chunk size: fewer, larger chunks move a large object faster. */
const READ_CHUNK = 1024 * 1024;

/** Reads the source until it ends or passes SMALL bytes: the chunks read, and whether it ended. */
async function readHead(iterator: AsyncIterator<Buffer>): Promise<{ chunks: Buffer[]; size: number; done: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { chunks, size, done: true };
    chunks.push(next.value);
    size += next.value.length;
    if (size > SMALL) return { chunks, size, done: false };
  }
}

/** The bytes, or a copy of their own when they are a view into a much larger buffer
 *  (bodies of pipelined requests inside one packet, a slice of Node's pool), which
 *  keeping them would keep whole. A body inside the packet with only its request's
 *  head around it is kept as it is. */
function owned(bytes: Buffer): Buffer {
  if (bytes.buffer.byteLength <= bytes.length + 4096) return bytes;
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  private files: FileBlobStore | undefined;
  private directory: string | undefined;

  /** The temporary directory's store, made on the first large value. */
  private spill(): FileBlobStore {
    if (!this.files) {
      this.directory = mkdtempSync(join(tmpdir(), "terrarium-blobs-"));
      temporaryDirectories.add(this.directory);
      this.files = new FileBlobStore(this.directory);
    }
    return this.files;
  }
  put(key: string, bytes: Buffer): void {
    this.blobs.set(key, owned(bytes));
  }
  get(key: string): Buffer | undefined {
    return this.blobs.get(key) ?? this.files?.get(key);
  }
  delete(key: string): void {
    if (!this.blobs.delete(key)) this.files?.delete(key);
  }
  deletePrefix(prefix: string): void {
    for (const key of this.blobs.keys()) if (key.startsWith(prefix)) this.blobs.delete(key);
    this.files?.deletePrefix(prefix);
  }
  async putStream(key: string, source: AsyncIterable<Buffer>): Promise<number> {
    const iterator = source[Symbol.asyncIterator]();
    const head = await readHead(iterator);
    if (head.done) {
      this.blobs.set(key, head.chunks.length === 1 ? owned(head.chunks[0]) : Buffer.concat(head.chunks));
      return head.size;
    }
    return this.spill().writeFile(key, head.chunks, iterator);
  }
  createReadStream(key: string, range?: BlobRange): Readable | undefined {
    const bytes = this.blobs.get(key);
    if (bytes) return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
    return this.files?.createReadStream(key, range);
  }
  copy(from: string, to: string): void {
    const bytes = this.blobs.get(from);
    if (bytes) this.blobs.set(to, bytes);
    else this.files?.copy(from, to);
  }
  close(): void {
    this.blobs.clear();
    if (this.directory) {
      rmSync(this.directory, { recursive: true, force: true });
      temporaryDirectories.delete(this.directory);
    }
    this.files = undefined;
    this.directory = undefined;
  }
}

// Temporary directories of stores not closed (a test that never stops its server,
// a crash): removed when the process exits. Holds paths only, no state.
const temporaryDirectories = new Set<string>();
process.once("exit", () => {
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});

class FileBlobStore implements BlobStore {
  private temporary = 0;
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }
  // Keys are hashed into paths so that any key is a safe file name; the first
  // segment of the key stays readable so a prefix can be removed as a folder.
  private path(key: string): string {
    const slash = key.indexOf("/");
    const folder = slash > 0 ? key.slice(0, slash) : "_";
    return join(this.root, encodeURIComponent(folder), createHash("sha256").update(key).digest("hex"));
  }
  put(key: string, bytes: Buffer): void {
    const path = this.path(key);
    mkdirSync(dirname(path), { recursive: true });
    // Write then rename, so a crash never leaves a half-written blob under the key.
    writeFileSync(path + ".tmp", bytes);
    renameSync(path + ".tmp", path);
  }
  get(key: string): Buffer | undefined {
    const path = this.path(key);
    return existsSync(path) ? readFileSync(path) : undefined;
  }
  delete(key: string): void {
    rmSync(this.path(key), { force: true });
  }
  deletePrefix(prefix: string): void {
    if (!prefix.endsWith("/")) throw new Error("blob prefixes end with '/'");
    rmSync(join(this.root, encodeURIComponent(prefix.slice(0, prefix.indexOf("/")))), { recursive: true, force: true });
  }
  async putStream(key: string, source: AsyncIterable<Buffer>): Promise<number> {
    const iterator = source[Symbol.asyncIterator]();
    const head = await readHead(iterator);
    if (head.done) {
      this.put(key, head.chunks.length === 1 ? head.chunks[0] : Buffer.concat(head.chunks));
      return head.size;
    }
    return this.writeFile(key, head.chunks, iterator);
  }
  /** Streams to `<path>.<n>.tmp`, renamed to the key's path once all is written; removed on failure. */
  async writeFile(key: string, head: Buffer[], rest: AsyncIterator<Buffer>): Promise<number> {
    const path = this.path(key);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${++this.temporary}.tmp`;
    // A 1 MiB buffer: chunks queued behind a write go out together (writev), not one
    // thread-pool hand-off each (~22 writes per MB with the default 16 KiB).
    const out = createWriteStream(temporary, { highWaterMark: WRITE_BUFFER });
    let size = 0;
    const write = async (chunk: Buffer) => {
      size += chunk.length;
      if (!out.write(chunk)) {
        await new Promise<void>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          out.once("error", onError);
          out.once("drain", () => {
            out.off("error", onError);
            resolve();
          });
        });
      }
    };
    try {
      for (const chunk of head) await write(chunk);
      for (;;) {
        const next = await rest.next();
        if (next.done) break;
        await write(next.value);
      }
      out.end();
      await finished(out);
      renameSync(temporary, path);
      return size;
    } catch (error) {
      out.destroy();
      await rest.return?.();
      rmSync(temporary, { force: true });
      throw error;
    }
  }
  createReadStream(key: string, range?: BlobRange): Readable | undefined {
    const path = this.path(key);
    if (!existsSync(path)) return undefined;
    return createReadStream(path, { highWaterMark: READ_CHUNK, ...(range ? { start: range.start, end: range.end } : {}) });
  }
  copy(from: string, to: string): void {
    const source = this.path(from);
    const target = this.path(to);
    mkdirSync(dirname(target), { recursive: true });
    try {
      linkSync(source, target);
    } catch {
      copyFileSync(source, target);
    }
  }
  close(): void {}
}
