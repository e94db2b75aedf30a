import type { ChecksumAlgorithm } from "./records.js";

// The CRC of two byte strings joined, from their CRCs and the second one's length,
// without reading the bytes again: how S3 builds a multipart upload's FULL_OBJECT
// checksum from its parts' CRCs ("Checking object integrity", full object
// checksums for multipart uploads). The arithmetic is zlib's crc32_combine
// (polynomials over GF(2) in the reflected bit order, x^(8n) by squaring), widened
// to 64 bits with BigInt for CRC64NVME. It holds for every CRC whose initial value
// and final XOR are all ones, as CRC32, CRC32C and CRC64NVME's are.

type CrcAlgorithm = Extract<ChecksumAlgorithm, "CRC32" | "CRC32C" | "CRC64NVME">;

interface Crc {
  width: bigint;
  /** The polynomial, reflected. */
  poly: bigint;
  /** x^(2^k) mod poly for k = 0.. width-1 (zlib's x2n_table). */
  powers: bigint[];
  /** x^(8n) mod poly by length n: most parts of an upload have one size. */
  shifts: Map<number, bigint>;
}

const POLYS: Record<CrcAlgorithm, [width: number, reflectedPoly: bigint]> = {
  CRC32: [32, 0xedb88320n],
  CRC32C: [32, 0x82f63b78n],
  CRC64NVME: [64, 0x9a6c9329ac4bc9b5n],
};

const crcs = new Map<CrcAlgorithm, Crc>();

export function isCombinable(algorithm: ChecksumAlgorithm): algorithm is CrcAlgorithm {
  return Object.hasOwn(POLYS, algorithm);
}

function crcOf(algorithm: CrcAlgorithm): Crc {
  let crc = crcs.get(algorithm);
  if (!crc) {
    const [width, poly] = POLYS[algorithm];
    crc = { width: BigInt(width), poly, powers: [], shifts: new Map() };
    // x^1 in the reflected order is the bit below the top one.
    let p = 1n << BigInt(width - 2);
    for (let k = 0; k < width; k++) {
      crc.powers.push(p);
      p = multiply(crc, p, p);
    }
    crcs.set(algorithm, crc);
  }
  return crc;
}

/** a(x) * b(x) mod poly, both reflected. */
function multiply(crc: Crc, a: bigint, b: bigint): bigint {
  let m = 1n << (crc.width - 1n);
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ crc.poly : b >> 1n;
  }
  return p;
}

/** x^(8 * bytes) mod poly. */
function shiftFor(crc: Crc, bytes: number): bigint {
  let shift = crc.shifts.get(bytes);
  if (shift === undefined) {
    shift = 1n << (crc.width - 1n);
    let n = BigInt(bytes);
    let k = 3;
    while (n > 0n) {
      if (n & 1n) shift = multiply(crc, crc.powers[k % Number(crc.width)], shift);
      n >>= 1n;
      k++;
    }
    if (crc.shifts.size < 64) crc.shifts.set(bytes, shift);
  }
  return shift;
}

function toBigInt(base64: string): bigint {
  return BigInt(`0x${Buffer.from(base64, "base64").toString("hex") || "0"}`);
}

function toBase64(value: bigint, width: bigint): string {
  return Buffer.from(value.toString(16).padStart(Number(width) / 4, "0"), "hex").toString("base64");
}

/** The CRC (base64, big-endian as S3 writes it) of the parts' bytes in order, from each part's CRC and size. */
export function combineCrcs(algorithm: CrcAlgorithm, parts: { checksum: string; size: number }[]): string {
  const crc = crcOf(algorithm);
  let value = 0n;
  let first = true;
  for (const part of parts) {
    const next = toBigInt(part.checksum);
    value = first ? next : multiply(crc, shiftFor(crc, part.size), value) ^ next;
    first = false;
  }
  return toBase64(value, crc.width);
}
