import { randomUUID } from "node:crypto";
import { ThrottledError } from "../../runtime/types.js";
import { routedVersion } from "./async-invoke.js";
import type { FunctionRecord, FunctionUrlRecord } from "./records.js";
import type { LambdaStore } from "./store.js";
import { setOwn } from "../../protocols/shape-walk.js";

// A function URL's data plane (developer guide, "Invoking Lambda function URLs"):
// the HTTP request becomes the payload format version 2.0 event, and the function's
// answer becomes the HTTP response: {statusCode, headers, cookies, body,
// isBase64Encoded}, or any other JSON value as a 200 application/json body.

export interface UrlRequest {
  method: string;
  /** The path and query as the client sent them. */
  target: string;
  headers: Record<string, string>;
  body: Buffer;
  host: string;
  sourceIp?: string;
}

export interface UrlResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function findUrl(store: LambdaStore, urlId: string): { fn: FunctionRecord; url: FunctionUrlRecord } | undefined {
  for (const fn of store.all()) for (const url of Object.values(fn.urls ?? {})) if (url.urlId === urlId) return { fn, url };
  return undefined;
}

/** Content types whose body the event carries as text (others: base64). */
function isText(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return type === "" || type.startsWith("text/") || /^application\/(.*\+)?(json|xml|javascript|x-www-form-urlencoded)$/.test(type);
}

function message(status: number, text: string): UrlResponse {
  return { status, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ Message: text })) };
}

export async function invokeFunctionUrl(store: LambdaStore, urlId: string, req: UrlRequest, now: number): Promise<UrlResponse> {
  const found = findUrl(store, urlId);
  if (!found) return message(404, "Not Found");
  const { fn, url } = found;
  // Browsers never sign a preflight: it is answered before authorization.
  if (url.cors && isPreflight(req)) return preflight(url.cors, req);
  if (url.authType === "AWS_IAM" && !/^AWS4-HMAC-SHA256 /.test(req.headers["authorization"] ?? "")) return message(403, "Forbidden");
  const requestId = randomUUID();
  const event = urlEvent(store, req, urlId, requestId, now, url.authType);
  const resolved = store.resolve(fn.name, url.qualifier);
  const version = routedVersion(resolved);
  let result;
  try {
    result = await store.runtime.executor().invoke(store.spec(fn, fn.versions[version]), Buffer.from(JSON.stringify(event)), {
      requestId,
      invokedFunctionArn: store.arn(fn.name, url.qualifier),
    });
  } catch (error) {
    if (error instanceof ThrottledError) return message(429, "Rate Exceeded.");
    throw error;
  }
  if (result.functionError) return message(502, "Internal Server Error");
  return withCors(url, req, toHttp(result.payload));
}

function urlEvent(store: LambdaStore, req: UrlRequest, urlId: string, requestId: string, now: number, authType: string) {
  const q = req.target.indexOf("?");
  const rawPath = q < 0 ? req.target : req.target.slice(0, q);
  const rawQueryString = q < 0 ? "" : req.target.slice(q + 1);
  const query: Record<string, string> = {};
  // Names are the caller's text: "constructor" or "__proto__" are parameters like any other.
  for (const [k, v] of new URLSearchParams(rawQueryString)) setOwn(query, k, Object.hasOwn(query, k) ? `${query[k]},${v}` : v);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k !== "cookie") headers[k.toLowerCase()] = v;
  const cookies = req.headers["cookie"]?.split(/;\s*/).filter(Boolean);
  const text = isText(req.headers["content-type"]);
  const time = new Date(now);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: authType === "AWS_IAM" ? store.account : "anonymous",
      apiId: urlId,
      domainName: req.host.replace(/:\d+$/, ""),
      domainPrefix: urlId,
      http: {
        method: req.method,
        path: decodeURIComponent(rawPath),
        protocol: "HTTP/1.1",
        sourceIp: req.sourceIp ?? "127.0.0.1",
        userAgent: req.headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: clfTime(time),
      timeEpoch: now,
    },
    ...(req.body.length > 0 ? { body: text ? req.body.toString("utf8") : req.body.toString("base64") } : {}),
    isBase64Encoded: req.body.length > 0 && !text,
  };
}

/** "12/Mar/2020:19:03:58 +0000", the time format of the event. */
function clfTime(d: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The function's answer as an HTTP response (payload format 2.0). */
function toHttp(payload: Buffer): UrlResponse {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString("utf8"));
  } catch {
    return { status: 200, headers: { "content-type": "application/json" }, body: payload };
  }
  if (value === null || typeof value !== "object" || !("statusCode" in value)) {
    const body = typeof value === "string" ? value : JSON.stringify(value);
    return { status: 200, headers: { "content-type": "application/json" }, body: Buffer.from(body) };
  }
  const r = value as { statusCode: unknown; headers?: Record<string, unknown>; cookies?: unknown[]; body?: unknown; isBase64Encoded?: boolean };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
  headers["content-type"] ??= "application/json";
  // One header cannot carry several cookies faithfully; they are joined as browsers fold them.
  if (Array.isArray(r.cookies) && r.cookies.length) headers["set-cookie"] = r.cookies.map(String).join(", ");
  const text = typeof r.body === "string" ? r.body : r.body === undefined || r.body === null ? "" : JSON.stringify(r.body);
  return { status: Number(r.statusCode) || 200, headers, body: r.isBase64Encoded ? Buffer.from(text, "base64") : Buffer.from(text) };
}

function isPreflight(req: UrlRequest): boolean {
  return req.method === "OPTIONS" && req.headers["origin"] !== undefined && req.headers["access-control-request-method"] !== undefined;
}

/**
 * With a Cors configuration Lambda answers browsers' preflights itself, from that
 * configuration, without invoking the function (developer guide, "Cross-origin resource
 * sharing (CORS)" for function URLs). An origin or method it does not allow gets no
 * CORS headers, so the browser refuses the actual request. Without a Cors
 * configuration an OPTIONS request reaches the function like any other.
 */
function preflight(cors: NonNullable<FunctionUrlRecord["cors"]>, req: UrlRequest): UrlResponse {
  const origin = req.headers["origin"]!;
  const method = req.headers["access-control-request-method"]!.toUpperCase();
  const origins = cors.AllowOrigins ?? [];
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  const headers: Record<string, string> = { vary: "Origin" };
  const allowed = (origins.includes("*") || origins.includes(origin)) && (methods.includes("*") || methods.includes(method));
  if (allowed) {
    headers["access-control-allow-origin"] = origins.includes("*") && !cors.AllowCredentials ? "*" : origin;
    headers["access-control-allow-methods"] = methods.join(",");
    if (cors.AllowHeaders?.length) headers["access-control-allow-headers"] = cors.AllowHeaders.join(",");
    if (cors.AllowCredentials) headers["access-control-allow-credentials"] = "true";
    if (cors.MaxAge) headers["access-control-max-age"] = String(cors.MaxAge);
  }
  return { status: 200, headers, body: Buffer.alloc(0) };
}

function withCors(url: FunctionUrlRecord, req: UrlRequest, res: UrlResponse): UrlResponse {
  const origin = req.headers["origin"];
  const cors = url.cors;
  if (!cors || !origin) return res;
  const origins = cors.AllowOrigins ?? [];
  if (!origins.includes("*") && !origins.includes(origin)) return res;
  res.headers["access-control-allow-origin"] = origins.includes("*") && !cors.AllowCredentials ? "*" : origin;
  if (cors.AllowCredentials) res.headers["access-control-allow-credentials"] = "true";
  if (cors.ExposeHeaders?.length) res.headers["access-control-expose-headers"] = cors.ExposeHeaders.join(",");
  return res;
}
