import { createHash } from "node:crypto";
import { s3Error, invalidRequest } from "./errors.js";
import { ALGORITHMS, DIGEST_BYTES, checksumOf, headerOf, isAlgorithm } from "./checksums.js";
import type { ChecksumAlgorithm } from "./records.js";

// An upload's body as S3 receives it: decoded from aws-chunked when the client
// streamed it (Content-Encoding: aws-chunked, the SigV4 streaming formats with and
// without a trailer), then checked against Content-MD5, x-amz-content-sha256 and
// the flexible checksum the client sent in a header or in the trailer.

export interface ReceivedBody {
  bytes: Buffer;
  /** The checksum the client sent (header or trailer), verified. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** Content-Encoding with aws-chunked taken out (S3 does not store it). */
  contentEncoding?: string;
}

const STREAMING = /^STREAMING-/;

export async function receiveBody(raw: Buffer | undefined, headers: Record<string, string>, contentEncoding?: string): Promise<ReceivedBody> {
  let bytes = raw ?? Buffer.alloc(0);
  let trailers: Record<string, string> = {};
  const sha256 = headers["x-amz-content-sha256"];
  const chunked = /\baws-chunked\b/i.test(contentEncoding ?? "") || (sha256 !== undefined && STREAMING.test(sha256));
  if (chunked) {
    ({ bytes, trailers } = decodeAwsChunked(bytes));
    const decodedLength = headers["x-amz-decoded-content-length"];
    if (decodedLength !== undefined && Number(decodedLength) !== bytes.length) {
      throw s3Error("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
    }
    contentEncoding = contentEncoding?.split(",").map((s) => s.trim()).filter((s) => s && s.toLowerCase() !== "aws-chunked").join(",") || undefined;
  } else if (sha256 && /^[0-9a-f]{64}$/i.test(sha256)) {
    // A signed payload's hash: AWS checks it even before the signature.
    if (createHash("sha256").update(bytes).digest("hex") !== sha256.toLowerCase()) {
      throw s3Error("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", {
        ClientComputedContentSHA256: sha256,
        S3ComputedContentSHA256: createHash("sha256").update(bytes).digest("hex"),
      });
    }
  }
  checkContentMd5(headers["content-md5"], bytes);
  const checksum = await checkFlexibleChecksum(bytes, { ...headers, ...trailers });
  return { bytes, checksum, contentEncoding };
}

export function checkContentMd5(contentMd5: string | undefined, bytes: Buffer): void {
  if (contentMd5 === undefined) return;
  const digest = Buffer.from(contentMd5, "base64");
  if (digest.length !== 16 || digest.toString("base64") !== contentMd5) {
    throw s3Error("InvalidDigest", "The Content-MD5 you specified was invalid.", { "Content-MD5": contentMd5 });
  }
  if (!createHash("md5").update(bytes).digest().equals(digest)) {
    throw s3Error("BadDigest", "The Content-MD5 you specified did not match what we received.", {
      ExpectedDigest: digest.toString("hex"),
      CalculatedDigest: createHash("md5").update(bytes).digest("base64"),
    });
  }
}

/** At most one x-amz-checksum-* value, checked against the bytes. */
async function checkFlexibleChecksum(bytes: Buffer, headers: Record<string, string>): Promise<ReceivedBody["checksum"]> {
  const sent = ALGORITHMS.filter((a) => headers[headerOf(a)] !== undefined);
  if (sent.length > 1) throw invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  const declared = headers["x-amz-sdk-checksum-algorithm"]?.toUpperCase();
  if (sent.length === 0) {
    if (isAlgorithm(declared) && headers["x-amz-trailer"]) {
      throw invalidRequest(`x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.`);
    }
    return undefined;
  }
  const algorithm = sent[0];
  const value = headers[headerOf(algorithm)];
  const decoded = Buffer.from(value, "base64");
  if (decoded.length !== DIGEST_BYTES[algorithm] || decoded.toString("base64") !== value) {
    throw invalidRequest(`Value for ${headerOf(algorithm)} header is invalid.`);
  }
  if ((await checksumOf(algorithm, bytes)) !== value) {
    throw s3Error("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`);
  }
  return { algorithm, value };
}

/**
 * aws-chunked: `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n` repeated, a
 * zero-size chunk, then trailer lines `name:value\r\n` and a final `\r\n`.
 * Chunk signatures are not verified (no signature verification yet).
 */
export function decodeAwsChunked(body: Buffer): { bytes: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  const line = (): string => {
    const end = body.indexOf("\r\n", pos);
    if (end < 0) throw incomplete();
    const text = body.toString("latin1", pos, end);
    pos = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const size = parseInt(header.split(";")[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw incomplete();
    if (size === 0) break;
    if (pos + size > body.length) throw incomplete();
    chunks.push(body.subarray(pos, pos + size));
    pos += size;
    if (body.toString("latin1", pos, pos + 2) !== "\r\n") throw incomplete();
    pos += 2;
  }
  while (pos < body.length) {
    const text = line();
    if (text === "") break;
    const colon = text.indexOf(":");
    if (colon > 0) trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
  return { bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), trailers };
}

function incomplete() {
  return s3Error("IncompleteBody", "The request body terminated unexpectedly");
}
