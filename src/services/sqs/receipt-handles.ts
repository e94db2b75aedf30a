import { randomBytes } from "node:crypto";
import { receiptHandleIsInvalid } from "./errors.js";

// Receipt handles name the queue, the message and one receive of it; opaque base64
// to clients, as AWS's are. A handle that does not decode to the three parts is
// ReceiptHandleIsInvalid; one from an earlier receive decodes but is stale.

export interface Receipt {
  queueArn: string;
  messageId: string;
  nonce: string;
}

export function newNonce(): string {
  return randomBytes(12).toString("hex");
}

export function encodeReceipt(r: Receipt): string {
  return Buffer.from(`${r.queueArn} ${r.messageId} ${r.nonce} ${randomBytes(24).toString("base64")}`).toString("base64");
}

export function decodeReceipt(handle: string): Receipt {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(handle) ? Buffer.from(handle, "base64").toString("utf8") : "";
  const [queueArn, messageId, nonce] = text.split(" ");
  if (!queueArn?.startsWith("arn:") || !messageId || !nonce) throw receiptHandleIsInvalid(handle);
  return { queueArn, messageId, nonce };
}
