import type { HttpRequest } from "../protocols/http.js";

// CORS for browser clients (the JS SDK in a page, presigned uploads from a form).
// Permissive like AWS endpoints used from browsers: echo the origin and asked-for
// headers. S3 bucket CORS rules, when that service has them, answer for themselves.

const EXPOSED = [
  "x-amz-request-id", "x-amz-id-2", "x-amzn-requestid", "x-amzn-errortype", "x-amz-version-id",
  "x-amz-delete-marker", "x-amz-server-side-encryption", "etag", "content-length", "date",
  "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-sha1", "x-amz-checksum-sha256",
].join(", ");

export function isPreflight(req: HttpRequest): boolean {
  return req.method === "OPTIONS" && req.headers["origin"] !== undefined && req.headers["access-control-request-method"] !== undefined;
}

export function preflightHeaders(req: HttpRequest): Record<string, string> {
  return {
    "access-control-allow-origin": req.headers["origin"] ?? "*",
    "access-control-allow-methods": "HEAD, GET, PUT, POST, DELETE, OPTIONS, PATCH",
    "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
    "access-control-max-age": "3000",
    "access-control-allow-credentials": "true",
    vary: "Origin",
  };
}

export function corsHeaders(req: HttpRequest): Record<string, string> | undefined {
  const origin = req.headers["origin"];
  if (!origin) return undefined;
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": EXPOSED,
    "access-control-allow-credentials": "true",
    vary: "Origin",
  };
}
