import { createHash, createHmac, timingSafeEqual, type Hash } from "node:crypto";
import { s3Error } from "./errors.js";

// The signature chain of a signed aws-chunked upload (STREAMING-AWS4-HMAC-SHA256-
// PAYLOAD[-TRAILER]; S3 API reference, "Signature Calculations for the
// Authorization Header: Transferring Payload in Multiple Chunks" and "... for
// trailing headers"): every chunk's signature signs its bytes and the previous
// signature, starting from the Authorization header's seed signature; the trailer
// (x-amz-trailer-signature) signs the trailing headers and the last chunk's.
//
// Terrarium does not verify request signatures in general: any credentials are
// accepted, and a key it did not issue (the usual "test", or a 12-digit account id)
// has no secret it could know. The chain can only be checked with the secret, so it
// is checked when the access key is one Terrarium issued (IAM access keys, STS
// credentials), and skipped otherwise: refusing unknown keys here would refuse the
// very clients every other operation accepts.

const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");
const SIGNED_STREAMING = /^STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER)?$/;
const AUTHORIZATION = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,.*?Signature=([0-9a-f]{64})/;

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** The chain of a signed streaming upload, when its secret is known; undefined otherwise. */
export function signatureChainOf(
  headers: Record<string, string>,
  secretOf: (accessKeyId: string) => string | undefined,
): SignatureChain | undefined {
  const mode = SIGNED_STREAMING.exec(headers["x-amz-content-sha256"] ?? "");
  if (!mode) return undefined;
  const auth = AUTHORIZATION.exec(headers["authorization"] ?? "");
  const timestamp = headers["x-amz-date"];
  if (!auth || !timestamp) return undefined;
  const [, accessKeyId, date, region, service, seed] = auth;
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return undefined;
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  return new SignatureChain(signingKey, timestamp, `${date}/${region}/${service}/aws4_request`, seed, accessKeyId, mode[1] !== undefined);
}

export class SignatureChain {
  private previous: string;
  private hash: Hash | undefined;
  private expected: string | undefined;

  constructor(
    private readonly signingKey: Buffer,
    private readonly timestamp: string,
    private readonly scope: string,
    seed: string,
    private readonly accessKeyId: string,
    /** -TRAILER: the trailing headers carry their own signature. */
    readonly signedTrailer: boolean,
  ) {
    this.previous = seed;
  }

  /** A chunk begins: `signature` is its chunk-signature extension. */
  startChunk(signature: string | undefined, size: number): void {
    this.expected = signature ?? "";
    if (size === 0) this.verify("AWS4-HMAC-SHA256-PAYLOAD", `${EMPTY_SHA256}\n${EMPTY_SHA256}`);
    else this.hash = createHash("sha256");
  }

  /** Bytes of the current chunk. */
  update(bytes: Buffer): void {
    this.hash?.update(bytes);
  }

  /** The current chunk's bytes are all in. */
  endChunk(): void {
    const digest = this.hash!.digest("hex");
    this.hash = undefined;
    this.verify("AWS4-HMAC-SHA256-PAYLOAD", `${EMPTY_SHA256}\n${digest}`);
  }

  /** The trailing headers in the order sent (x-amz-trailer-signature excluded) and that signature. */
  verifyTrailer(trailers: [string, string][], signature: string | undefined): void {
    if (!this.signedTrailer) return;
    this.expected = signature ?? "";
    const canonical = trailers.map(([name, value]) => `${name}:${value}\n`).join("");
    this.verify("AWS4-HMAC-SHA256-TRAILER", createHash("sha256").update(canonical).digest("hex"));
  }

  private verify(algorithm: string, hashes: string): void {
    const stringToSign = `${algorithm}\n${this.timestamp}\n${this.scope}\n${this.previous}\n${hashes}`;
    const computed = hmac(this.signingKey, stringToSign).toString("hex");
    const provided = this.expected ?? "";
    if (provided.length !== computed.length || !timingSafeEqual(Buffer.from(provided), Buffer.from(computed))) {
      throw s3Error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", {
        AWSAccessKeyId: this.accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: provided,
      });
    }
    this.previous = computed;
  }
}
