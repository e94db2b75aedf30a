import * as crypto from "node:crypto";
import { createHash } from "node:crypto";
import { Readable, pipeline } from "node:stream";
import { AwsChunkedDecoder, decodeAwsChunked, incomplete } from "./aws-chunked.js";
import type { BlobStore } from "../../storage/blobs.js";
import { s3Error, invalidRequest } from "./errors.js";
import { ALGORITHMS, DIGEST_BYTES, checksumOf, checksumSync, headerOf, incrementalDigest, isAlgorithm, type IncrementalDigest } from "./checksums.js";
import type { SignatureChain } from "./chunk-signatures.js";
import type { ChecksumAlgorithm } from "./records.js";

// An upload's body as S3 receives it: decoded from aws-chunked when the client
// streamed it (Content-Encoding: aws-chunked, the SigV4 streaming formats with and
// without a trailer), then checked against Content-MD5, x-amz-content-sha256 and
// the flexible checksum the client sent in a header or in the trailer. The bytes go
// to the blob store as they arrive, digested on the way: an upload of any size
// never sits in memory whole. A small body (the common case) is read at once.

export interface ReceivedBody {
  /** The blob the bytes were stored under (or are to be, when held); absent for an empty body. */
  blob?: string;
  /** A small body's bytes, not stored yet, when asked to hold them (ReceiveOptions.hold). */
  held?: Buffer;
  size: number;
  /** Hex MD5 of the bytes (the ETag). */
  md5: string;
  /** The checksum the client sent (header or trailer), verified. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** Digests computed on the way (base64), for the algorithms asked for. */
  computed: Partial<Record<ChecksumAlgorithm, string>>;
  /** Content-Encoding with aws-chunked taken out (S3 does not store it). */
  contentEncoding?: string;
}

const EMPTY_TRAILERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

// crypto.hash (Node 20.12+): a one-shot digest without a Hash object, the cheaper
// call for the small bodies most requests carry; @types/node does not declare it yet.
const cryptoHash = (crypto as unknown as { hash?: (algorithm: string, data: Buffer, encoding: "buffer") => Buffer }).hash;

function oneShot(algorithm: "md5" | "sha256", bytes: Buffer): Buffer {
  return cryptoHash ? cryptoHash(algorithm, bytes, "buffer") : createHash(algorithm).update(bytes).digest();
}

/** Bodies up to this size are read whole before any work, the rest streamed. */
const SMALL_BODY = 64 * 1024;

export interface ReceiveOptions {
  /** The request's Content-Encoding (aws-chunked is taken out). */
  contentEncoding?: string;
  /** Algorithms to digest besides those the client sent (a multipart upload's). */
  also?: ChecksumAlgorithm[];
  /** A signed aws-chunked upload's signature chain, when it can be verified. */
  chain?: SignatureChain;
  /** Hand a small body back (`held`) instead of storing it: the caller stores it
   *  with its record, in one write (S3Store.putVersion). */
  hold?: boolean;
}

/** What the headers ask of a body, worked out before any byte is read. */
interface ReceivePlan {
  chunked: boolean;
  contentEncoding: string | undefined;
  /** The x-amz-content-sha256 of a signed payload, lower-cased: the bytes must match it. */
  signedHash: string | undefined;
  /** The algorithms to digest: what the headers send or announce for the trailer. */
  algorithms: Set<ChecksumAlgorithm>;
}

/**
 * Reads a PutObject/UploadPart body (the unread request, or a Buffer from
 * ctx.invoke) into a new blob under `blobKey`; removes it again when a check fails.
 * A body in hand that needs no asynchronous digest (CRC64NVME runs in JavaScript,
 * chunk by chunk) is received synchronously: no promise for the common small upload.
 */
export function receiveBody(
  blobs: BlobStore,
  blobKey: string,
  raw: Readable | Buffer | undefined,
  headers: Record<string, string>,
  options: ReceiveOptions = {},
): ReceivedBody | Promise<ReceivedBody> {
  const plan = planOf(headers, options);
  if ((raw === undefined || Buffer.isBuffer(raw)) && !plan.chunked && !plan.algorithms.has("CRC64NVME")) {
    const bytes = raw ?? Buffer.alloc(0);
    const held = keepWhole(blobs, blobKey, bytes, options.hold);
    try {
      return verified(plan, headers, EMPTY_TRAILERS, { blob: bytes.length ? blobKey : undefined, held, size: bytes.length, ...digestWhole(bytes, plan) });
    } catch (error) {
      if (!held) blobs.delete(blobKey);
      throw error;
    }
  }
  return receiveAsync(blobs, blobKey, raw, headers, plan, options);
}

function planOf(headers: Record<string, string>, { contentEncoding, also = [] }: ReceiveOptions): ReceivePlan {
  refuseUnsupportedChecksums(headers);
  const sha256 = headers["x-amz-content-sha256"];
  const chunked = (contentEncoding !== undefined && /\baws-chunked\b/i.test(contentEncoding)) || (sha256 !== undefined && sha256.startsWith("STREAMING-"));
  if (chunked) {
    contentEncoding = contentEncoding?.split(",").map((s) => s.trim()).filter((s) => s && s.toLowerCase() !== "aws-chunked").join(",") || undefined;
  }
  const signedHash = !chunked && sha256 && /^[0-9a-f]{64}$/i.test(sha256) ? sha256.toLowerCase() : undefined;
  const algorithms = new Set<ChecksumAlgorithm>(also);
  for (const a of ALGORITHMS) if (headers[headerOf(a)] !== undefined) algorithms.add(a);
  const trailer = headers["x-amz-trailer"];
  if (trailer !== undefined) {
    const announced = trailer.toLowerCase().split(",").map((s) => s.trim());
    for (const a of ALGORITHMS) if (announced.includes(headerOf(a))) algorithms.add(a);
  }
  const declared = headers["x-amz-sdk-checksum-algorithm"]?.toUpperCase();
  if (isAlgorithm(declared)) algorithms.add(declared);
  return { chunked, contentEncoding, signedHash, algorithms };
}

async function receiveAsync(
  blobs: BlobStore,
  blobKey: string,
  raw: Readable | Buffer | undefined,
  headers: Record<string, string>,
  plan: ReceivePlan,
  { chain, hold = false }: ReceiveOptions,
): Promise<ReceivedBody> {
  const { chunked, signedHash, algorithms } = plan;
  let trailers: Record<string, string> = EMPTY_TRAILERS;
  let size: number;
  let md5Digest: Buffer;
  let shaHex: string | undefined;
  let held: Buffer | undefined;
  let computed: ReceivedBody["computed"] = {};
  const small = raw === undefined || Buffer.isBuffer(raw) ? (raw ?? Buffer.alloc(0)) : await readIfSmall(raw, headers["content-length"]);
  if (small) {
    // Every digest in one call over the whole body, no incremental hash objects,
    // and the bytes stored with one write.
    let bytes = small;
    if (chunked) ({ bytes, trailers } = decodeAwsChunked(bytes, chain));
    size = bytes.length;
    ({ md5Digest, shaHex, computed } = digestWhole(bytes, plan));
    if (algorithms.has("CRC64NVME")) computed.CRC64NVME = await checksumOf("CRC64NVME", bytes);
    held = keepWhole(blobs, blobKey, bytes, hold);
  } else {
    const md5 = createHash("md5");
    const sha = signedHash ? createHash("sha256") : undefined;
    const digests = new Map<ChecksumAlgorithm, IncrementalDigest>([...algorithms].map((a) => [a, incrementalDigest(a)]));
    const digest = (chunk: Buffer) => {
      md5.update(chunk);
      sha?.update(chunk);
      for (const d of digests.values()) d.update(chunk);
    };
    const stream = raw as Readable;
    const decoder = chunked ? new AwsChunkedDecoder(chain) : undefined;
    const source: Readable = decoder ? pipeline(stream, decoder, () => {}) : stream;
    size = await blobs.putStream(blobKey, digesting(source, digest));
    if (decoder) trailers = decoder.trailers;
    if (size === 0) blobs.delete(blobKey);
    md5Digest = md5.digest();
    shaHex = sha?.digest("hex");
    for (const [a, d] of digests) computed[a] = await d.digest();
  }
  try {
    // A trailer nobody announced: digest the stored bytes again (rare).
    for (const a of ALGORITHMS) {
      if (trailers[headerOf(a)] !== undefined && computed[a] === undefined) computed[a] = await digestBlob(blobs, size ? blobKey : undefined, a, held);
    }
    return verified(plan, headers, trailers, { blob: size ? blobKey : undefined, held, size, md5Digest, shaHex, computed });
  } catch (error) {
    if (!held) blobs.delete(blobKey);
    throw error;
  }
}

/** A whole body's digests, each in one call (CRC64NVME, asynchronous, excepted). */
function digestWhole(bytes: Buffer, plan: ReceivePlan): { md5Digest: Buffer; shaHex: string | undefined; computed: ReceivedBody["computed"] } {
  const computed: ReceivedBody["computed"] = {};
  for (const a of plan.algorithms) if (a !== "CRC64NVME") computed[a] = checksumSync(a, bytes);
  const shaHex = plan.signedHash ? oneShot("sha256", bytes).toString("hex") : undefined;
  return { md5Digest: oneShot("md5", bytes), shaHex, computed };
}

/** Stores a whole body with one write, or hands it back to be stored with its record (`hold`). */
function keepWhole(blobs: BlobStore, blobKey: string, bytes: Buffer, hold: boolean | undefined): Buffer | undefined {
  if (bytes.length === 0) return undefined;
  if (hold) return bytes;
  blobs.put(blobKey, bytes);
  return undefined;
}

/** The received body, once its bytes match what the headers and trailers say of them. */
function verified(
  plan: ReceivePlan,
  headers: Record<string, string>,
  trailers: Record<string, string>,
  got: { blob: string | undefined; held: Buffer | undefined; size: number; md5Digest: Buffer; shaHex: string | undefined; computed: ReceivedBody["computed"] },
): ReceivedBody {
  const decodedLength = headers["x-amz-decoded-content-length"];
  if (plan.chunked && decodedLength !== undefined && Number(decodedLength) !== got.size) {
    throw s3Error("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
  }
  if (plan.signedHash && got.shaHex !== plan.signedHash) {
    // A signed payload's hash: AWS checks it even before the signature.
    throw s3Error("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", {
      ClientComputedContentSHA256: headers["x-amz-content-sha256"],
      S3ComputedContentSHA256: got.shaHex,
    });
  }
  checkContentMd5(headers["content-md5"], got.md5Digest);
  const all = trailers === EMPTY_TRAILERS ? headers : { ...headers, ...trailers };
  const checksum = checkFlexibleChecksum(all, got.computed);
  return { blob: got.blob, held: got.held, size: got.size, md5: got.md5Digest.toString("hex"), checksum, computed: got.computed, contentEncoding: plan.contentEncoding };
}

/** Algorithms the model names that Terrarium does not compute: a body carrying one is
 *  refused (as S3 answered before it took them) rather than stored unverified. */
const UNSUPPORTED_CHECKSUMS = ["SHA512", "MD5", "XXHASH64", "XXHASH3", "XXHASH128"].map((algorithm) => [algorithm, `x-amz-checksum-${algorithm.toLowerCase()}`]);

function refuseUnsupportedChecksums(headers: Record<string, string>): void {
  const declared = headers["x-amz-sdk-checksum-algorithm"]?.toUpperCase();
  const trailer = headers["x-amz-trailer"]?.toLowerCase() ?? "";
  for (const [algorithm, header] of UNSUPPORTED_CHECKSUMS) {
    if (declared === algorithm || headers[header] !== undefined || trailer.includes(header)) {
      throw invalidRequest(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${ALGORITHMS.join(", ")}]`);
    }
  }
}

/** The digest of a stored blob (or of the bytes given), read as a stream. */
export async function digestBlob(
  blobs: BlobStore,
  blob: string | undefined,
  algorithm: ChecksumAlgorithm | "MD5",
  bytes: Buffer | Readable | undefined = blob ? blobs.createReadStream(blob) : undefined,
): Promise<string> {
  const d = incrementalDigest(algorithm);
  if (Buffer.isBuffer(bytes)) d.update(bytes);
  else if (bytes) for await (const chunk of bytes) d.update(chunk as Buffer);
  return d.digest();
}

async function* digesting(source: AsyncIterable<Buffer>, digest: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    digest(chunk);
    yield chunk;
  }
}

/** The whole body when its Content-Length says it is small, read with one promise. */
function readIfSmall(stream: Readable, contentLength: string | undefined): Promise<Buffer | undefined> | undefined {
  if (contentLength === undefined || Number(contentLength) > SMALL_BODY) return undefined;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    stream.once("error", reject);
    stream.once("aborted", () => reject(incomplete()));
  }) as Promise<Buffer>;
}

export function checkContentMd5(contentMd5: string | undefined, md5: Buffer): void {
  if (contentMd5 === undefined) return;
  const digest = Buffer.from(contentMd5, "base64");
  if (digest.length !== 16 || digest.toString("base64") !== contentMd5) {
    throw s3Error("InvalidDigest", "The Content-MD5 you specified was invalid.", { "Content-MD5": contentMd5 });
  }
  if (!md5.equals(digest)) {
    throw s3Error("BadDigest", "The Content-MD5 you specified did not match what we received.", {
      ExpectedDigest: digest.toString("hex"),
      CalculatedDigest: md5.toString("base64"),
    });
  }
}

/** At most one x-amz-checksum-* value, checked against the computed digest. */
function checkFlexibleChecksum(headers: Record<string, string>, computed: ReceivedBody["computed"]): ReceivedBody["checksum"] {
  let algorithm: ChecksumAlgorithm | undefined;
  for (const a of ALGORITHMS) {
    if (headers[headerOf(a)] === undefined) continue;
    if (algorithm) throw invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    algorithm = a;
  }
  const declared = headers["x-amz-sdk-checksum-algorithm"]?.toUpperCase();
  if (algorithm === undefined) {
    if (isAlgorithm(declared) && headers["x-amz-trailer"]) {
      throw invalidRequest(`x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.`);
    }
    return undefined;
  }
  const value = headers[headerOf(algorithm)];
  const decoded = Buffer.from(value, "base64");
  if (decoded.length !== DIGEST_BYTES[algorithm] || decoded.toString("base64") !== value) {
    throw invalidRequest(`Value for ${headerOf(algorithm)} header is invalid.`);
  }
  if (computed[algorithm] !== value) {
    throw s3Error("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`);
  }
  return { algorithm, value };
}

