import { randomBytes, randomUUID } from "node:crypto";

// Identifiers in AWS's formats.

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function requestId(): string {
  return randomUUID();
}

export function uuid(): string {
  return randomUUID();
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
