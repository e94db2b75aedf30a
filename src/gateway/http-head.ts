import { STATUS_CODES } from "node:http";
import type { HttpResponse } from "../protocols/http.js";

// The request heads the fast path (fast-http.ts) serves itself, and the response
// heads it writes: the same bytes node:http would send for the same answer.

/** Bodies larger than this go to node:http, which streams them. */
export const MAX_FAST_BODY_BYTES = 1024 * 1024;
export const KEEP_ALIVE_MS = 65_000;
const FAST_METHODS = new Set(["GET", "HEAD", "PUT", "POST", "DELETE"]);
// node:http refuses header values with other characters (ERR_INVALID_CHAR).
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const INVALID_NAME = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;

export interface ParsedHead {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Content-Length, 0 when absent (a request without one has no body). */
  length: number;
}

/** The request line and headers of a simple request; undefined for anything else.
 *  One pass with indexOf: this runs for every request, and split/regex cost more. */
export function parseSimpleHead(text: string): ParsedHead | undefined {
  let lineEnd = text.indexOf("\r\n");
  if (lineEnd < 0) lineEnd = text.length;
  const firstSpace = text.indexOf(" ");
  const secondSpace = text.indexOf(" ", firstSpace + 1);
  if (firstSpace < 3 || secondSpace < 0 || secondSpace > lineEnd) return undefined;
  if (lineEnd - secondSpace !== 9 || !text.startsWith(" HTTP/1.1", secondSpace)) return undefined;
  const method = text.slice(0, firstSpace);
  if (!FAST_METHODS.has(method)) return undefined;
  const url = text.slice(firstSpace + 1, secondSpace);
  if (url.charCodeAt(0) !== 47 /* / */ || url.startsWith("/_terrarium")) return undefined;
  const headers: Record<string, string> = {};
  let count = 0;
  let start = lineEnd + 2;
  while (start < text.length) {
    let end = text.indexOf("\r\n", start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(":", start);
    const first = text.charCodeAt(start);
    // No colon, an empty name, or an obsolete folded line: node:http's to judge.
    if (colon < 0 || colon >= end || colon === start || first === 32 || first === 9) return undefined;
    // The value without the spaces around it, in one slice (trim would copy it again).
    let from = colon + 1;
    while (from < end && isSpace(text.charCodeAt(from))) from++;
    let to = end;
    while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
    // Whitespace before the colon is malformed: node:http answers it (400).
    const last = text.charCodeAt(colon - 1);
    if (last === 32 || last === 9) return undefined;
    headers[nameAt(text, start, colon)] = text.slice(from, to);
    count++;
    start = end + 2;
  }
  // A repeated header (counted once in the object), or one that changes how the body
  // is framed, is node:http's too. Counting beats an `in` check per header: looking
  // up a sliced string costs more than storing it.
  if (Object.keys(headers).length !== count) return undefined;
  if (headers["transfer-encoding"] !== undefined || headers["expect"] !== undefined || headers["upgrade"] !== undefined) return undefined;
  const contentLength = headers["content-length"];
  let length = 0;
  if (contentLength !== undefined) {
    if (contentLength.length === 0 || contentLength.length > 7 || !isDigits(contentLength)) return undefined;
    length = Number(contentLength);
    if (length > MAX_FAST_BODY_BYTES) return undefined;
  }
  const connection = headers["connection"];
  if (connection !== undefined && connection.toLowerCase().includes("close")) return undefined;
  return { method, url, headers, length };
}

// The header names SDKs, the CLI and browsers send, as they spell them: a name found
// here is a constant (an internalized string) instead of a slice lowercased and then
// looked up in V8's string table by the property store, a third of parsing a head.
const KNOWN_NAMES = [
  "host", "content-type", "content-length", "content-md5", "content-encoding", "x-amz-target", "x-amz-date", "x-amz-user-agent",
  "user-agent", "authorization", "amz-sdk-invocation-id", "amz-sdk-request", "x-amz-content-sha256", "x-amz-security-token",
  "x-amz-sdk-checksum-algorithm", "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1",
  "x-amz-checksum-sha256", "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-api-version", "x-amzn-query-mode", "smithy-protocol",
  "accept", "accept-encoding", "connection", "expect", "transfer-encoding", "upgrade", "range", "if-match", "if-none-match", "origin",
  "Host", "Content-Type", "Content-Length", "Content-MD5", "X-Amz-Target", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256",
  "User-Agent", "Authorization", "Accept", "Accept-Encoding", "Connection", "Expect", "Transfer-Encoding", "Upgrade", "Range",
];
const namesByLength: [string, string][][] = [];
for (const name of KNOWN_NAMES) (namesByLength[name.length] ??= []).push([name, name.toLowerCase()]);

/** The lowercase name of the header at text[start, colon). */
function nameAt(text: string, start: number, colon: number): string {
  const candidates = namesByLength[colon - start];
  if (candidates !== undefined) {
    for (let i = 0; i < candidates.length; i++) if (text.startsWith(candidates[i][0], start)) return candidates[i][1];
  }
  return text.slice(start, colon).toLowerCase();
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

let dateSecond = -1;
let dateText = "";

/** The status line and headers node:http sends for this answer, then `body` when
 *  given, as one buffer. `length` is the body's Content-Length, or "chunked" for a
 *  stream of unknown length; a HEAD answer keeps the Content-Length the handler set
 *  (the object's, with no body). The head is one string written in one call: writing
 *  its ~40 pieces one by one cost 2 us more per answer than the string's garbage. */
export function encodeResponse(response: HttpResponse, length: number | "chunked", isHead: boolean, body?: Buffer | string): Buffer {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  let head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? "Unknown"}\r\n`;
  let hasDate = false;
  let ownLength: string | undefined;
  for (const name in response.headers) {
    const value = response.headers[name];
    if (value === undefined) continue;
    if (INVALID_VALUE.test(value) || !validName(name)) throw new Error(`invalid header ${name}`);
    const lower = name.toLowerCase();
    if (lower === "content-length") {
      ownLength = value;
      continue;
    }
    if (lower === "date") hasDate = true;
    head += name + ": " + value + "\r\n";
  }
  if (isHead && ownLength !== undefined) head += "content-length: " + ownLength + "\r\n";
  else if (length === "chunked") head += "Transfer-Encoding: chunked\r\n";
  // A 304 names no length (its body would be the representation's, never sent).
  else if (response.status !== 304) head += "content-length: " + length + "\r\n";
  if (!hasDate) head += "Date: " + dateText + "\r\n";
  head += CONNECTION_HEADERS;
  // A body comes with its byte length as `length`; Latin-1 is a byte per character
  // (as node:http writes header values, validated above).
  const bodySize = body === undefined || length === "chunked" ? 0 : length;
  const out = Buffer.allocUnsafe(head.length + bodySize);
  out.write(head, 0, "latin1");
  if (typeof body === "string") out.write(body, head.length, "utf8");
  else if (body !== undefined) body.copy(out, head.length);
  return out;
}

/** Header names answers use, checked once each (a few dozen names, from the models). */
const validNames = new Set<string>();

function validName(name: string): boolean {
  if (validNames.has(name)) return true;
  if (INVALID_NAME.test(name)) return false;
  if (validNames.size < 1024) validNames.add(name);
  return true;
}

const CONNECTION_HEADERS = `Connection: keep-alive\r\nKeep-Alive: timeout=${KEEP_ALIVE_MS / 1000}\r\n\r\n`;

/** Statuses whose answers never carry a body (node:http sends none either). */
export function hasNoBody(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}
