import { randomBytes, randomFillSync } from "node:crypto";

// Identifiers in AWS's formats.

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function requestId(): string {
  return uuid();
}

// Random bytes drawn 256 ids at a time, and the id written as bytes: every request
// takes one or two ids, and crypto.randomUUID builds each from ~20 string
// concatenations (~300 bytes of garbage an id, against the one 36-character string here).
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolAt = pool.length;
const HEX = Buffer.from("0123456789abcdef", "latin1");
const HEX_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const text = Buffer.from("00000000-0000-0000-0000-000000000000", "latin1");

/** A random (version 4) UUID, lower-case. */
export function uuid(): string {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  pool[poolAt + 6] = (pool[poolAt + 6] & 0x0f) | 0x40;
  pool[poolAt + 8] = (pool[poolAt + 8] & 0x3f) | 0x80;
  for (let i = 0; i < 16; i++) {
    const byte = pool[poolAt + i];
    text[HEX_AT[i]] = HEX[byte >> 4];
    text[HEX_AT[i] + 1] = HEX[byte & 15];
  }
  poolAt += 16;
  return text.toString("latin1");
}

export function randomString(length: number, alphabet: string = UPPER_ALNUM): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** IAM unique ids: a four-letter prefix (AIDA user, AROA role, AGPA group, ANPA policy,
 *  AIPA instance profile, AKIA/ASIA access keys) and 17 upper-case letters and digits. */
export function iamUniqueId(prefix: string): string {
  return prefix + randomString(17);
}

export function accessKeyId(temporary: boolean): string {
  return (temporary ? "ASIA" : "AKIA") + randomString(16);
}

export function secretAccessKey(): string {
  return randomString(40, BASE62 + "+/");
}

/** The S3-style extended request id (x-amz-id-2). */
export function extendedRequestId(): string {
  return randomBytes(48).toString("base64");
}
