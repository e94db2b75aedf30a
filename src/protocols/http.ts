import type { Readable } from "node:stream";

// The protocol layer's view of HTTP: plain data, independent of node:http so
// codecs can be tested with AWS's protocol vectors without a socket.

export interface HttpRequest {
  method: string;
  /** Path as sent (still percent-encoded), without the query string. */
  path: string;
  /** Decoded query parameters; a name repeated in the URL keeps every value. */
  query: Record<string, string[]>;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string | Readable;
}

export function headerValue(req: HttpRequest, name: string): string | undefined {
  return req.headers[name.toLowerCase()];
}

export function parseQueryString(search: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (search.startsWith("?")) search = search.slice(1);
  if (!search) return out;
  for (const part of search.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    const key = safeDecode(rawKey);
    (out[key] ??= []).push(safeDecode(rawValue));
  }
  return out;
}

/** Decodes a query component: '+' is a space in form encoding. Malformed escapes stay literal. */
export function safeDecode(s: string): string {
  const t = s.replace(/\+/g, " ");
  try {
    return decodeURIComponent(t);
  } catch {
    return t;
  }
}
