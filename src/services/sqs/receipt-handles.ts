import { randomBytes } from "node:crypto";
import { receiptHandleIsInvalid } from "./errors.js";

// Receipt handles name the queue, the message (by its place in the queue, which is
// how the queue finds it, and the store's epoch, which tells a handle from before a
// reset or an in-memory restart, when places start again) and one receive of it;
// opaque base64 to clients, as AWS's are. A handle that does not decode to the parts
// is ReceiptHandleIsInvalid; one from an earlier receive decodes but is stale. Randomness comes from a 4 KiB
// pool: a randomBytes call per message cost more than the rest of a receive's
// bookkeeping.

export interface Receipt {
  queueArn: string;
  seq: number;
  epoch: string;
  nonce: string;
}

const NONCE_BYTES = 9;
const PAD_BYTES = 24;
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
  return Buffer.from(`${r.queueArn} ${r.epoch}.${r.seq} ${r.nonce} ${random(PAD_BYTES)}`).toString("base64");
}

export function decodeReceipt(handle: string): Receipt {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(handle) ? Buffer.from(handle, "base64").toString("utf8") : "";
  const [queueArn, place, nonce] = text.split(" ");
  if (!queueArn?.startsWith("arn:") || !place || !nonce) throw receiptHandleIsInvalid(handle);
  // A handle of an earlier format (a message id here) names no message: seq NaN.
  const dot = place.indexOf(".");
  return { queueArn, epoch: place.slice(0, dot < 0 ? 0 : dot), seq: Number(place.slice(dot + 1)), nonce };
}
