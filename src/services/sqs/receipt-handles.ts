import { randomBytes } from "node:crypto";
import { receiptHandleIsInvalid } from "./errors.js";

// Receipt handles name the queue, the message (by its place in the queue, which is
// how the queue finds it, and the store's epoch, which tells a handle from before a
// reset or an in-memory restart, when places start again) and one receive of it;
// opaque base64 to clients, as AWS's are. A handle that does not decode to the parts
// is ReceiptHandleIsInvalid; one from an earlier receive decodes but is stale. Randomness comes from a 4 KiB
// pool: a randomBytes call per message cost more than the rest of a receive's
// bookkeeping. A handle is a pure function of its parts (its padding is made from the
// nonce): a FIFO receive retried with its ReceiveRequestAttemptId answers "the same
// messages and receipt handles" (ReceiveMessage API reference), so encoding the same
// receive again must give the same string.

export interface Receipt {
  queueArn: string;
  seq: number;
  epoch: string;
  nonce: string;
}

const NONCE_BYTES = 9;
let pool = Buffer.alloc(0);
let offset = 0;

function random(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += bytes;
  return pool.toString("base64url", offset - bytes, offset);
}

/** One receive's nonce: 12 characters, kept in memory with every message in flight. */
export function newNonce(): string {
  return random(NONCE_BYTES);
}

/** A store's epoch: 8 characters, made once per store (and persisted with it). */
export function newEpoch(): string {
  return random(6);
}

export function encodeReceipt(r: Receipt): string {
  // Padding to about the length of AWS's handles, from the 12-character nonce.
  const text = `${r.queueArn} ${r.epoch}.${r.seq} ${r.nonce} ${r.nonce}${r.nonce}${r.nonce}`;
  // btoa reads its text as Latin-1, the same bytes as UTF-8 while the text is ASCII (as
  // it is unless a client signed with a region name outside ASCII), at a third of Buffer's cost.
  return NON_ASCII.test(text) ? Buffer.from(text).toString("base64") : btoa(text);
}

export function decodeReceipt(handle: string): Receipt {
  const text = isBase64(handle) ? decodeBase64(handle) : "";
  // The first three space-separated parts (the fourth is padding).
  const first = text.indexOf(" ");
  const second = first < 0 ? -1 : text.indexOf(" ", first + 1);
  const third = second < 0 ? -1 : text.indexOf(" ", second + 1);
  const queueArn = first < 0 ? text : text.slice(0, first);
  const place = first < 0 ? "" : text.slice(first + 1, second < 0 ? undefined : second);
  const nonce = second < 0 ? "" : text.slice(second + 1, third < 0 ? undefined : third);
  if (!queueArn.startsWith("arn:") || !place || !nonce) throw receiptHandleIsInvalid(handle);
  // A handle of an earlier format (a message id here) names no message: seq NaN.
  const dot = place.indexOf(".");
  return { queueArn, epoch: place.slice(0, dot < 0 ? 0 : dot), seq: Number(place.slice(dot + 1)), nonce };
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A handle's text, as UTF-8. atob (a fifth of Buffer's cost for a string this short)
 * decodes to Latin-1, the same text while the bytes are ASCII; other bytes, and a
 * length atob refuses but Buffer reads (a digit over a multiple of four), go through Buffer.
 */
function decodeBase64(text: string): string {
  let latin1: string | undefined;
  try {
    latin1 = atob(text);
  } catch {
    latin1 = undefined;
  }
  return latin1 !== undefined && !NON_ASCII.test(latin1) ? latin1 : Buffer.from(text, "base64").toString("utf8");
}

const BASE64_DIGIT = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") BASE64_DIGIT[c.charCodeAt(0)] = 1;

/** /^[A-Za-z0-9+\/]+={0,2}$/ by table: the regular expression cost half of decoding a handle. */
function isBase64(text: string): boolean {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (end === 0) return false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || BASE64_DIGIT[c] === 0) return false;
  }
  return true;
}
