import type { Handler, ServiceContext } from "../service.js";
import { signatureChainOf, type SignatureChain } from "./chunk-signatures.js";
import type { S3Store } from "./store.js";

// Handlers take the input the REST-XML codec parsed from the model (member names
// as in @aws-sdk/client-s3) and return the output members.

export type S3Context = ServiceContext<S3Store>;
export type S3Input = Record<string, any>;
export type S3Output = Record<string, unknown>;
export type S3Handler = Handler<S3Input, S3Output, S3Store>;

/** The raw request headers (lower-cased), absent for ctx.invoke calls. */
export function headersOf(ctx: S3Context): Record<string, string> {
  return ctx.http?.headers ?? {};
}

/** Who caused an event, for its notification record. */
export function originOf(ctx: S3Context): { requestId: string; principalId: string } {
  return { requestId: ctx.requestId, principalId: `AWS:${ctx.principal.userId}` };
}

/** A signed aws-chunked upload's signature chain, when the signing key's secret is known. */
export function signatureChainFor(ctx: S3Context): SignatureChain | undefined {
  const headers = headersOf(ctx);
  if (!headers["x-amz-content-sha256"]?.startsWith("STREAMING-AWS4")) return undefined;
  return signatureChainOf(headers, (id) => ctx.accessKeys.lookup(id)?.secretAccessKey);
}
