import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";

// Large byte values (object bodies, code zips) live outside SQLite: as files under
// <data-dir>/blobs when persisting, in memory otherwise. Keys are opaque strings.

export interface BlobStore {
  put(key: string, bytes: Buffer): void;
  get(key: string): Buffer | undefined;
  delete(key: string): void;
  deletePrefix(prefix: string): void;
}

export function createBlobStore(dataDir: string | undefined): BlobStore {
  return dataDir ? new FileBlobStore(join(dataDir, "blobs")) : new MemoryBlobStore();
}

class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  put(key: string, bytes: Buffer): void {
    this.blobs.set(key, bytes);
  }
  get(key: string): Buffer | undefined {
    return this.blobs.get(key);
  }
  delete(key: string): void {
    this.blobs.delete(key);
  }
  deletePrefix(prefix: string): void {
    for (const key of this.blobs.keys()) if (key.startsWith(prefix)) this.blobs.delete(key);
  }
}

class FileBlobStore implements BlobStore {
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
}
