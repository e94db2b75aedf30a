import { Transform, type TransformCallback } from "node:stream";
import { s3Error } from "./errors.js";
import type { SignatureChain } from "./chunk-signatures.js";

// The aws-chunked content encoding the SDKs stream uploads in (SigV4 streaming, with
// and without a trailer), decoded here for body.ts.

/**
 * aws-chunked: `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n` repeated, a
 * zero-size chunk, then trailer lines `name:value\r\n` and a final `\r\n`.
 * Chunk signatures are verified when a signature chain is given (chunk-signatures.ts).
 */
export function decodeAwsChunked(body: Buffer, chain?: SignatureChain): { bytes: Buffer; trailers: Record<string, string> } {
  const decoder = new AwsChunkedDecoder(chain);
  const chunks: Buffer[] = [];
  decoder.decode(body, (chunk) => chunks.push(chunk));
  decoder.finish();
  return { bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), trailers: decoder.trailers };
}

const MAX_LINE = 8192;

/** The same decoding as a Transform: the payload's bytes out, the trailers kept. */
export class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  private state: "size" | "data" | "cr" | "lf" | "trailer" | "done" = "size";
  private line = "";
  private remaining = 0;
  /** The trailing headers in the order sent, and their signature, for the chain. */
  private readonly trailerLines: [string, string][] = [];
  private trailerSignature: string | undefined;

  constructor(private readonly chain?: SignatureChain) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decode(chunk, (bytes) => this.push(bytes));
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.finish();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  decode(chunk: Buffer, emit: (bytes: Buffer) => void): void {
    let pos = 0;
    while (pos < chunk.length) {
      switch (this.state) {
        case "data": {
          const n = Math.min(this.remaining, chunk.length - pos);
          const bytes = chunk.subarray(pos, pos + n);
          this.chain?.update(bytes);
          emit(bytes);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.chain?.endChunk();
            this.state = "cr";
          }
          break;
        }
        case "cr":
        case "lf":
          if (chunk[pos] !== (this.state === "cr" ? 13 : 10)) throw incomplete();
          pos++;
          this.state = this.state === "cr" ? "lf" : "size";
          break;
        case "size":
        case "trailer": {
          const newline = chunk.indexOf(10, pos);
          if (newline < 0) {
            this.line += chunk.toString("latin1", pos);
            pos = chunk.length;
            if (this.line.length > MAX_LINE) throw incomplete();
            break;
          }
          this.line += chunk.toString("latin1", pos, newline);
          pos = newline + 1;
          if (!this.line.endsWith("\r")) throw incomplete();
          const text = this.line.slice(0, -1);
          this.line = "";
          this.endLine(text);
          break;
        }
        case "done":
          pos = chunk.length;
          break;
      }
    }
  }

  private endLine(text: string): void {
    if (this.state === "size") {
      const [sizeText, ...extensions] = text.split(";");
      const size = parseInt(sizeText.trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw incomplete();
      if (this.chain) {
        const signature = extensions.find((e) => e.trim().startsWith("chunk-signature="))?.trim().slice("chunk-signature=".length);
        this.chain.startChunk(signature, size);
      }
      if (size === 0) this.state = "trailer";
      else {
        this.state = "data";
        this.remaining = size;
      }
      return;
    }
    if (text === "") {
      this.endTrailers();
      return;
    }
    const colon = text.indexOf(":");
    if (colon <= 0) return;
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === "x-amz-trailer-signature") this.trailerSignature = value;
    else {
      this.trailers[name] = value;
      this.trailerLines.push([name, value]);
    }
  }

  private endTrailers(): void {
    this.state = "done";
    this.chain?.verifyTrailer(this.trailerLines, this.trailerSignature);
  }

  /** The body ended: it must have ended after the last chunk (the final CRLF may be missing). */
  finish(): void {
    if (this.state === "done") return;
    if (this.state === "trailer" && this.line === "") return this.endTrailers();
    throw incomplete();
  }
}

export function incomplete() {
  return s3Error("IncompleteBody", "The request body terminated unexpectedly");
}
