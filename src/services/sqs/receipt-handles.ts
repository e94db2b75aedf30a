import { randomBytes, randomUUID } from "node:crypto";
import { receiptHandleIsInvalid } from "./errors.js";

// Receipt handles name the queue, the message and one receive of it; opaque base64
// to clients, as AWS's are. A handle that does not decode to the three parts is
// ReceiptHandleIsInvalid; one from an earlier receive decodes but is stale.
// Randomness comes from pools (randomUUID's cached entropy, a 4 KiB buffer): a
// randomBytes call per message cost more than the rest of a receive's bookkeeping.

export interface Receipt {
  queueArn: string;
  messageId: string;
  nonce: string;
}

export function newNonce(): string {
  return randomUUID();
}

const PAD_BYTES = 24;
let pool = Buffer.alloc(0);
let offset = 0;

function padding(): string {
  if (offset + PAD_BYTES > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += PAD_BYTES;
  return pool.toString("base64", offset - PAD_BYTES, offset);
}

export function encodeReceipt(r: Receipt): string {
  return Buffer.from(`${r.queueArn} ${r.messageId} ${r.nonce} ${padding()}`).toString("base64");
}

export function decodeReceipt(handle: string): Receipt {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(handle) ? Buffer.from(handle, "base64").toString("utf8") : "";
  const [queueArn, messageId, nonce] = text.split(" ");
  if (!queueArn?.startsWith("arn:") || !messageId || !nonce) throw receiptHandleIsInvalid(handle);
  return { queueArn, messageId, nonce };
}
