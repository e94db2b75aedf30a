import type { Handler, ServiceContext } from "../service.js";
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
