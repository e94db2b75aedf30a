import { Crc32c, crc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import type { ChecksumAlgorithm } from "./records.js";

// The flexible checksums S3 accepts (x-amz-checksum-<algorithm>), all base64 of
// the big-endian digest, as the "Checking object integrity" guide describes.

export const ALGORITHMS: readonly ChecksumAlgorithm[] = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"];

const MEMBERS = Object.fromEntries(ALGORITHMS.map((a) => [a, `Checksum${a}`])) as { [A in ChecksumAlgorithm]: `Checksum${A}` };

/** The output member that carries each algorithm's value (ChecksumCRC32 ...). */
export const memberOf = <A extends ChecksumAlgorithm>(algorithm: A): `Checksum${A}` => MEMBERS[algorithm];

const HEADERS = Object.fromEntries(ALGORITHMS.map((a) => [a, `x-amz-checksum-${a.toLowerCase()}`])) as Record<ChecksumAlgorithm, string>;

export const headerOf = (algorithm: ChecksumAlgorithm): string => HEADERS[algorithm];

/** Digest length in bytes: a header value of another length is invalid. */
export const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export async function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): Promise<string> {
  return (await digestOf(algorithm, data)).toString("base64");
}

/** CRC64NVME runs in JavaScript and is slow (about 10 ms per MiB); the others are native or synchronous. */
export function checksumSync(algorithm: Exclude<ChecksumAlgorithm, "CRC64NVME">, data: Buffer): string {
  switch (algorithm) {
    case "CRC32": return u32(crc32(data)).toString("base64");
    case "CRC32C": return u32(crc32c(data)).toString("base64");
    case "SHA1": return createHash("sha1").update(data).digest("base64");
    case "SHA256": return createHash("sha256").update(data).digest("base64");
  }
}

export async function digestOf(algorithm: ChecksumAlgorithm, data: Buffer): Promise<Buffer> {
  if (algorithm !== "CRC64NVME") return Buffer.from(checksumSync(algorithm, data), "base64");
  const crc = new Crc64Nvme();
  crc.update(data);
  return Buffer.from(await crc.digest());
}

export function isAlgorithm(s: string | undefined): s is ChecksumAlgorithm {
  return s !== undefined && (ALGORITHMS as readonly string[]).includes(s);
}

export function md5Hex(data: Buffer): string {
  return createHash("md5").update(data).digest("hex");
}

/** A digest fed chunk by chunk, for bodies that are streamed, never whole in memory. */
export interface IncrementalDigest {
  update(data: Buffer): void;
  /** base64 of the big-endian digest. */
  digest(): Promise<string>;
}

export function incrementalDigest(algorithm: ChecksumAlgorithm | "MD5"): IncrementalDigest {
  switch (algorithm) {
    case "CRC32": {
      let value = 0;
      return { update: (data) => void (value = crc32(data, value)), digest: async () => u32(value).toString("base64") };
    }
    case "CRC32C": {
      const crc = new Crc32c();
      return { update: (data) => void crc.update(data), digest: async () => u32(crc.digest()).toString("base64") };
    }
    case "CRC64NVME": {
      const crc = new Crc64Nvme();
      return { update: (data) => crc.update(data), digest: async () => Buffer.from(await crc.digest()).toString("base64") };
    }
    default: {
      const hash = createHash(algorithm.toLowerCase());
      return { update: (data) => void hash.update(data), digest: async () => hash.digest("base64") };
    }
  }
}
