import type { Readable } from "node:stream";
import { extendedRequestId } from "../../platform/ids.js";
import type { HttpRequest, HttpResponse } from "../../protocols/http.js";
import { isServiceError } from "../../protocols/service-error.js";
import { checkReadConditions } from "./conditions.js";
import { parseRange } from "./range.js";
import type { BucketRecord, ObjectRecord } from "./records.js";
import type { S3Store } from "./store.js";

// Static website hosting as the website endpoints serve it (S3 User Guide,
// "Hosting a static website using Amazon S3": index documents, custom error
// documents, redirects, and "Amazon S3 HTTP response codes"): GET and HEAD only,
// errors as HTML pages rather than XML, the index document for the root and for
// every "folder/", a 302 from "folder" to "folder/" when only the folder's index
// exists, routing rules and object redirects (x-amz-website-redirect-location).
// AWS also requires the objects to be publicly readable; Terrarium enforces no
// bucket policies yet, so every object of a website bucket is served.

interface WebsiteConfig {
  IndexDocument?: { Suffix: string };
  ErrorDocument?: { Key: string };
  RedirectAllRequestsTo?: { HostName: string; Protocol?: string };
  RoutingRules?: RoutingRule[];
}

interface RoutingRule {
  Condition?: { KeyPrefixEquals?: string; HttpErrorCodeReturnedEquals?: string };
  Redirect: { HostName?: string; Protocol?: string; ReplaceKeyPrefixWith?: string; ReplaceKeyWith?: string; HttpRedirectCode?: string };
}

/** An error as the HTML page lists it: code, message, and extra lines (Key, BucketName...). */
interface PageError {
  status: number;
  code: string;
  message: string;
  fields: [string, string][];
}

const STATUS_TEXT: Record<number, string> = { 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 412: "Precondition Failed", 416: "Requested Range Not Satisfiable" };

/** Answers one request to `<bucket>.s3-website...`; `rawKey` is the path after the bucket, still percent-encoded. */
export function serveWebsite(req: HttpRequest, store: S3Store, bucketName: string, rawKey: string, requestId: string): HttpResponse {
  const page = new PageWriter(requestId);
  if (req.method !== "GET" && req.method !== "HEAD") {
    return page.error(req, { status: 405, code: "MethodNotAllowed", message: "The specified method is not allowed against this resource.", fields: [["Method", req.method], ["ResourceType", "OBJECT"]] });
  }
  const bucket = store.findBucket(bucketName);
  if (!bucket) return page.error(req, { status: 404, code: "NoSuchBucket", message: "The specified bucket does not exist", fields: [["BucketName", bucketName]] });
  const config = bucket.configs["Website"] as WebsiteConfig | null | undefined;
  if (!config) {
    return page.error(req, { status: 404, code: "NoSuchWebsiteConfiguration", message: "The specified bucket does not have a website configuration", fields: [["BucketName", bucketName]] });
  }
  const requestHost = req.headers["host"] ?? "";
  if (config.RedirectAllRequestsTo) {
    const target = config.RedirectAllRequestsTo;
    return redirect(301, `${target.Protocol ?? "http"}://${target.HostName}/${rawKey}`, page);
  }
  const key = decodeKey(rawKey);
  // Rules without an error-code condition apply before any object is looked up.
  const early = config.RoutingRules?.find((rule) => rule.Condition?.HttpErrorCodeReturnedEquals === undefined && prefixMatches(rule, key));
  if (early) return ruleRedirect(early, key, requestHost, page);

  const suffix = config.IndexDocument?.Suffix ?? "index.html";
  const resolved = key === "" || key.endsWith("/") ? key + suffix : key;
  const record = liveObject(store, bucket, resolved);
  let failure: PageError;
  if (record) {
    // An object that redirects (PutObject's WebsiteRedirectLocation) answers 301.
    if (record.headers.WebsiteRedirectLocation) return redirect(301, record.headers.WebsiteRedirectLocation, page);
    const served = serveObject(req, store, record, 200, page);
    if (!("error" in served)) return served;
    failure = served.error;
  } else if (resolved === key && liveObject(store, bucket, `${key}/${suffix}`)) {
    // "folder" without its slash, when "folder/<index>" exists: 302 to "folder/".
    return redirect(302, `/${rawKey}/`, page);
  } else {
    failure = { status: 404, code: "NoSuchKey", message: "The specified key does not exist.", fields: [["Key", resolved]] };
  }
  const onError = config.RoutingRules?.find(
    (rule) => rule.Condition?.HttpErrorCodeReturnedEquals === String(failure.status) && prefixMatches(rule, key),
  );
  if (onError) return ruleRedirect(onError, key, requestHost, page);
  // The custom error document answers 4xx errors, with the error's status.
  if (config.ErrorDocument && failure.status >= 400 && failure.status < 500 && failure.status !== 412 && failure.status !== 416) {
    const errorKey = config.ErrorDocument.Key;
    const document = liveObject(store, bucket, errorKey);
    if (document) {
      const served = serveObject({ ...req, headers: {} }, store, document, failure.status, page);
      if (!("error" in served)) return served;
    }
    return page.error(req, failure, { status: 404, code: "NoSuchKey", message: "The specified key does not exist.", fields: [["Key", errorKey]] });
  }
  return page.error(req, failure);
}

function decodeKey(rawKey: string): string {
  try {
    return decodeURIComponent(rawKey);
  } catch {
    return rawKey;
  }
}

function liveObject(store: S3Store, bucket: BucketRecord, key: string): ObjectRecord | undefined {
  const record = store.current(bucket.name, key);
  return record && !record.deleteMarker ? record : undefined;
}

function prefixMatches(rule: RoutingRule, key: string): boolean {
  const prefix = rule.Condition?.KeyPrefixEquals;
  if (prefix === undefined) return rule.Condition?.HttpErrorCodeReturnedEquals !== undefined;
  return key.startsWith(prefix);
}

/** A routing rule's redirect: the key replaced whole or by prefix, on the rule's host and protocol. */
function ruleRedirect(rule: RoutingRule, key: string, requestHost: string, page: PageWriter): HttpResponse {
  const r = rule.Redirect;
  let target = key;
  if (r.ReplaceKeyWith !== undefined) target = r.ReplaceKeyWith;
  else if (r.ReplaceKeyPrefixWith !== undefined) {
    const prefix = rule.Condition?.KeyPrefixEquals ?? "";
    target = r.ReplaceKeyPrefixWith + key.slice(prefix.length);
  }
  const location = `${r.Protocol ?? "http"}://${r.HostName ?? requestHost}/${encodeKey(target)}`;
  return redirect(Number(r.HttpRedirectCode ?? 301), location, page);
}

function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

function redirect(status: number, location: string, page: PageWriter): HttpResponse {
  return { status, headers: { location, "content-length": "0", ...page.ids() }, body: "" };
}

/** An object's bytes with its headers; conditional and range headers apply as on GetObject. */
function serveObject(req: HttpRequest, store: S3Store, record: ObjectRecord, status: number, page: PageWriter): HttpResponse | { error: PageError } {
  const lastModified = new Date(record.lastModified).toUTCString();
  const headers: Record<string, string> = { ...page.ids(), "last-modified": lastModified, etag: record.etag, "accept-ranges": "bytes" };
  const h = record.headers;
  if (h.ContentType) headers["content-type"] = h.ContentType;
  if (h.ContentEncoding) headers["content-encoding"] = h.ContentEncoding;
  if (h.ContentDisposition) headers["content-disposition"] = h.ContentDisposition;
  if (h.ContentLanguage) headers["content-language"] = h.ContentLanguage;
  if (h.CacheControl) headers["cache-control"] = h.CacheControl;
  if (h.Expires) headers["expires"] = h.Expires;
  for (const [name, value] of Object.entries(record.metadata)) headers[`x-amz-meta-${name}`] = value;
  let start = 0;
  let end = record.size - 1;
  try {
    checkReadConditions(
      {
        IfMatch: req.headers["if-match"],
        IfNoneMatch: req.headers["if-none-match"],
        IfModifiedSince: dateOf(req.headers["if-modified-since"]),
        IfUnmodifiedSince: dateOf(req.headers["if-unmodified-since"]),
      },
      record,
    );
    const range = status === 200 ? parseRange(req.headers["range"], record.size) : undefined;
    if (range) {
      ({ start, end } = range);
      status = 206;
      headers["content-range"] = `bytes ${start}-${end}/${record.size}`;
    }
  } catch (error) {
    if (!isServiceError(error)) throw error;
    if (error.status === 304) return { status: 304, headers: { ...page.ids(), "last-modified": lastModified, etag: record.etag }, body: "" };
    const fields = Object.entries(error.fields ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
    return { error: { status: error.status, code: error.code, message: error.message, fields } };
  }
  headers["content-length"] = String(end - start + 1);
  const body: Buffer | Readable | string = req.method === "HEAD" ? "" : store.readBytes(record, start, end);
  return { status, headers, body };
}

function dateOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The HTML error pages of the website endpoints. */
class PageWriter {
  private readonly hostId = extendedRequestId();
  constructor(private readonly requestId: string) {}

  ids(): Record<string, string> {
    return { "x-amz-request-id": this.requestId, "x-amz-id-2": this.hostId };
  }

  /** `documentError`: what went wrong fetching the custom error document, listed below. */
  error(req: HttpRequest, error: PageError, documentError?: PageError): HttpResponse {
    const title = `${error.status} ${STATUS_TEXT[error.status] ?? "Error"}`;
    const items = (e: PageError, ids: boolean) =>
      [["Code", e.code], ["Message", e.message], ...e.fields, ...(ids ? [["RequestId", this.requestId], ["HostId", this.hostId]] : [])]
        .map(([name, value]) => `<li>${name}: ${escapeHtml(value)}</li>\n`)
        .join("");
    const extra = documentError
      ? `<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n${items(documentError, false)}</ul>\n`
      : "";
    const html = `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items(error, true)}</ul>\n${extra}<hr/>\n</body>\n</html>\n`;
    const headers = { ...this.ids(), "content-type": "text/html; charset=utf-8", "content-length": String(Buffer.byteLength(html)) };
    return { status: error.status, headers, body: req.method === "HEAD" ? "" : html };
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
