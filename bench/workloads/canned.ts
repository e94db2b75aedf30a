import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import type { CannedAnswer } from "./types.js";

// Building blocks of the canned answers the bare server sends on a workload's
// SDK row: the same content type, request-id headers and body shape as the
// real answer (Terrarium's, which follows AWS's), fixed once per run. Ids are
// fixed strings of the real ids' length: the SDK does not check them.

export const REQUEST_ID = "5f0c7e2a-3b1d-4c8e-9a6f-2d4b8e1c7a90";
export const MESSAGE_ID = "0b7e4c2d-9f1a-4e3b-8c6d-5a2f1e9b7c34";
export const ACCOUNT = "000000000000";

/** An AWS JSON 1.0 or 1.1 answer (DynamoDB, SQS, EventBridge). */
export function jsonAnswer(version: "1.0" | "1.1", body: unknown, amzTarget?: string): CannedAnswer {
  return {
    ...(amzTarget ? { amzTarget } : {}),
    status: 200,
    headers: { "content-type": `application/x-amz-json-${version}`, "x-amzn-requestid": REQUEST_ID },
    body: JSON.stringify(body),
  };
}

/** An AWS query-protocol answer: `<{operation}Response>` wrapping `<{operation}Result>` (STS, SNS). */
export function queryAnswer(operation: string, xmlns: string, result: string): CannedAnswer {
  return {
    status: 200,
    headers: { "content-type": "text/xml", "x-amzn-requestid": REQUEST_ID },
    body:
      `<${operation}Response xmlns="${xmlns}"><${operation}Result>${result}</${operation}Result>` +
      `<ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

/** The headers S3 sends with every answer. */
export function s3Headers(): Record<string, string> {
  return { "x-amz-request-id": REQUEST_ID, "x-amz-id-2": Buffer.from(REQUEST_ID).toString("base64") };
}

/** An S3 object's checksum headers, as PutObject and GetObject send them (the SDK validates the CRC32 on GetObject). */
export function objectChecksumHeaders(body: string): Record<string, string> {
  const crcBytes = Buffer.alloc(4);
  crcBytes.writeUInt32BE(crc32(body));
  return {
    etag: `"${md5Hex(body)}"`,
    "x-amz-checksum-crc32": crcBytes.toString("base64"),
    "x-amz-checksum-type": "FULL_OBJECT",
    "x-amz-server-side-encryption": "AES256",
  };
}

export function md5Hex(text: string): string {
  return createHash("md5").update(text).digest("hex");
}
