import type { Readable } from "node:stream";
import { setOwn } from "./shape-walk.js";

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
  /** Form parameters, once parsed (see formOf). */
  form?: Map<string, string>;
  /** The uri labels of a REST operation, once the router has matched its path. */
  labels?: Record<string, string>;
  /** The body still unread, for a streaming payload (an S3 object's bytes): set
   *  instead of `body` when the service takes streamed input. */
  stream?: Readable;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string | Readable;
}

export function headerValue(req: HttpRequest, name: string): string | undefined {
  return req.headers[name.toLowerCase()];
}

/** A request from its method, request target (path and query, as sent), lower-cased
 *  headers and body: what either edge (node:http, the fast path) hands the pipeline. */
export function httpRequestOf(method: string, target: string, headers: Record<string, string>, body: Buffer): HttpRequest {
  const q = target.indexOf("?");
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? {} : parseQueryString(target.slice(q + 1)),
    headers,
    body,
    form: undefined,
    stream: undefined,
  };
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
    // Names are the client's text: "constructor" must not find Object's, nor
    // "__proto__" replace the prototype (either crashed the request or lost the name).
    if (Object.hasOwn(out, key)) out[key].push(safeDecode(rawValue));
    else setOwn(out, key, [safeDecode(rawValue)]);
  }
  return out;
}

/** Decodes a query component: '+' is a space in form encoding. Malformed escapes stay literal. */
export function safeDecode(s: string): string {
  // Most names and values (x-id=PutObject, Action=SendMessage) have nothing to decode.
  if (s.indexOf("%") < 0 && s.indexOf("+") < 0) return s;
  const t = s.replace(/\+/g, " ");
  try {
    return decodeURIComponent(t);
  } catch {
    return t;
  }
}

/** The request's form parameters (query string, then a form body), first value of
 *  each name, parsed once per request: the gateway routes on Action= and the query
 *  codec reads the rest from the same map. */
export function formOf(req: HttpRequest): Map<string, string> {
  let params = req.form;
  if (!params) {
    params = new Map();
    for (const name in req.query) {
      const values = req.query[name];
      if (values.length && !params.has(name)) params.set(name, values[0]);
    }
    if (req.body.length && isFormBody(req)) readForm(req.body.toString("utf8"), params);
    req.form = params;
  }
  return params;
}

/** Adds a form body's fields to `params`; a later value of a name replaces an earlier one
 *  only when it came from the URL (the body wins, as it did before this was one pass). */
function readForm(text: string, params: Map<string, string>): void {
  const seen = new Set<string>();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("&", start);
    if (end < 0) end = text.length;
    if (end > start) {
      const eq = text.indexOf("=", start);
      const split = eq >= 0 && eq < end;
      const key = decodeComponent(text.slice(start, split ? eq : end));
      if (!seen.has(key)) {
        seen.add(key);
        params.set(key, split ? decodeComponent(text.slice(eq + 1, end)) : "");
      }
    }
    start = end + 1;
  }
}

/** safeDecode without work for the common plain-ASCII component. */
function decodeComponent(s: string): string {
  return s.includes("%") || s.includes("+") ? safeDecode(s) : s;
}

function isFormBody(req: HttpRequest): boolean {
  const type = req.headers["content-type"];
  // Query clients always send this type; a GET's body is never a form.
  return req.method !== "GET" && (type === undefined || type.startsWith("application/x-www-form-urlencoded"));
}
