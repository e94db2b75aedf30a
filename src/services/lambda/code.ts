import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { unzipSync } from "fflate";
import { invalidParameter } from "./errors.js";

// Deployment packages and layer archives: checked, hashed, and extracted into a
// directory the service owns (one per uploaded zip, shared by the versions that
// use it).

export interface CodeInfo {
  sha256: string;
  size: number;
}

/** CodeSha256 as AWS reports it: the base64 SHA-256 of the zip. */
export function codeInfo(zip: Uint8Array): CodeInfo {
  return { sha256: createHash("sha256").update(zip).digest("base64"), size: zip.byteLength };
}

/** Unzips, or fails the way AWS does for a file that is not a zip. */
export function readZip(zip: Uint8Array): Record<string, Uint8Array> {
  try {
    return unzipSync(zip);
  } catch {
    throw invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
  }
}

/**
 * Extracts `zip` into `dir` (written beside and renamed into place, so a directory
 * that exists is complete). fflate does not expose the entries' Unix modes, so
 * every file is made executable: a custom runtime's `bootstrap` must be.
 */
export function extractZip(zip: Uint8Array, dir: string): void {
  if (existsSync(dir)) return;
  const files = readZip(zip);
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const root = resolve(staging);
  mkdirSync(root, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith("/")) {
      mkdirSync(join(root, name), { recursive: true });
      continue;
    }
    const path = resolve(root, name);
    if (!path.startsWith(root + sep)) continue; // "../" entries stay inside, as on AWS
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    chmodSync(path, 0o755);
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
}
