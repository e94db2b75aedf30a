import type { HttpRequest } from "../../protocols/http.js";
import type { ServiceError } from "../../protocols/service-error.js";
import { invalidRequest, s3Error } from "./errors.js";
import type { BucketRecord } from "./records.js";
import type { S3Store } from "./store.js";

// Bucket CORS as S3 enforces it (S3 User Guide, "Using cross-origin resource
// sharing", "How does Amazon S3 evaluate the CORS configuration"): the first rule
// whose AllowedOrigin, AllowedMethod and (for a preflight) every requested header
// match answers; AllowedOrigin and AllowedHeader may hold one `*` wildcard.
// `preflight` answers a browser's OPTIONS; `corsResponseHeaders` adds the rule's
// headers to an actual response (also an error response) whose Origin matches.
// The gateway calls them through the service definition's `cors` hooks (s3Cors).

export interface CorsRule {
  ID?: string;
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders?: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

/** What a CORS evaluation reads from the request (header names lower-cased). */
export interface CorsRequest {
  /** The HTTP method of the request (OPTIONS for a preflight). */
  method: string;
  /** The key, when the request names an object: ResourceType OBJECT, else BUCKET. */
  key?: string;
  headers: Record<string, string | undefined>;
}

/** The methods a CORS rule may allow (PutBucketCors rejects the others). */
const METHODS = new Set(["GET", "PUT", "HEAD", "POST", "DELETE"]);

const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / " +
  "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** Reads and checks PutBucketCors's rules (S3's InvalidRequest messages). */
export function readCorsRules(rules: Record<string, any>[]): CorsRule[] {
  return rules.map((r) => {
    const rule: CorsRule = {
      ID: r.ID,
      AllowedOrigins: (r.AllowedOrigins ?? []).map(String),
      AllowedMethods: (r.AllowedMethods ?? []).map(String),
      AllowedHeaders: r.AllowedHeaders?.map(String),
      ExposeHeaders: r.ExposeHeaders?.map(String),
      MaxAgeSeconds: r.MaxAgeSeconds === undefined ? undefined : Number(r.MaxAgeSeconds),
    };
    for (const method of rule.AllowedMethods) {
      if (!METHODS.has(method)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
    }
    for (const origin of rule.AllowedOrigins) {
      if (origin.split("*").length > 2) throw invalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`);
    }
    for (const header of rule.AllowedHeaders ?? []) {
      if (header.split("*").length > 2) throw invalidRequest(`AllowedHeader "${header}" can not have more than one wildcard.`);
    }
    return rule;
  });
}

/** `value` against a pattern with at most one `*` (any run of characters, also none). */
export function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

function rulesOf(bucket: BucketRecord): CorsRule[] | undefined {
  const rules = bucket.configs.Cors as CorsRule[] | null | undefined;
  return rules && rules.length > 0 ? rules : undefined;
}

function matchingRule(rules: CorsRule[], origin: string, method: string, requestHeaders: string[]): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.AllowedOrigins.some((o) => wildcardMatch(o, origin)) &&
      rule.AllowedMethods.includes(method) &&
      requestHeaders.every((h) => (rule.AllowedHeaders ?? []).some((a) => wildcardMatch(a.toLowerCase(), h))),
  );
}

/** The headers a matching rule answers with. A `*` origin allows any origin without credentials. */
function ruleHeaders(rule: CorsRule, origin: string, requestHeaders: string[]): Record<string, string> {
  const everyone = rule.AllowedOrigins.includes("*");
  const headers: Record<string, string> = {
    "access-control-allow-origin": everyone ? "*" : origin,
    "access-control-allow-methods": rule.AllowedMethods.join(", "),
  };
  if (requestHeaders.length > 0) headers["access-control-allow-headers"] = requestHeaders.join(", ");
  if (rule.ExposeHeaders?.length) headers["access-control-expose-headers"] = rule.ExposeHeaders.join(", ");
  if (rule.MaxAgeSeconds !== undefined) headers["access-control-max-age"] = String(rule.MaxAgeSeconds);
  if (!everyone) headers["access-control-allow-credentials"] = "true";
  headers.vary = VARY;
  return headers;
}

function forbidden(message: string, method: string, request: CorsRequest): ServiceError {
  return s3Error("AccessForbidden", message, { Method: method, ResourceType: request.key ? "OBJECT" : "BUCKET" });
}

/**
 * A browser's preflight (OPTIONS) to a bucket or object, answered from the bucket's
 * rules: the headers of a 200, or S3's error. Needs no authentication. `bucket` is
 * undefined when there is no such bucket.
 */
export function preflight(bucket: BucketRecord | undefined, request: CorsRequest): Record<string, string> {
  const origin = request.headers["origin"];
  if (!origin) throw s3Error("BadRequest", "Insufficient information. Origin request header needed.");
  const method = request.headers["access-control-request-method"];
  if (!method || !METHODS.has(method)) throw s3Error("BadRequest", `Invalid Access-Control-Request-Method: ${method ?? "null"}`);
  if (!bucket) throw forbidden("CORSResponse: Bucket not found", method, request);
  const rules = rulesOf(bucket);
  if (!rules) throw forbidden("CORSResponse: CORS is not enabled for this bucket.", method, request);
  const requestHeaders = requestedHeaders(request.headers["access-control-request-headers"]);
  const rule = matchingRule(rules, origin, method, requestHeaders);
  if (!rule) throw forbidden(NOT_ALLOWED, method, request);
  return ruleHeaders(rule, origin, requestHeaders);
}

/**
 * The CORS headers of an actual (non-preflight) response, success or error: those
 * of the first rule that matches the Origin and the method (S3 takes
 * Access-Control-Request-Method over the request's own method when it is sent).
 * Undefined without an Origin or a matching rule: then the response has none.
 */
export function corsResponseHeaders(bucket: BucketRecord | undefined, request: CorsRequest): Record<string, string> | undefined {
  const origin = request.headers["origin"];
  if (!origin || !bucket) return undefined;
  const rules = rulesOf(bucket);
  if (!rules) return undefined;
  const method = request.headers["access-control-request-method"] ?? request.method;
  const rule = matchingRule(rules, origin, method, []);
  return rule && ruleHeaders(rule, origin, []);
}

function requestedHeaders(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(",").map((h) => h.trim().toLowerCase()).filter((h) => h !== "");
}

/** The hooks' entry points: the bucket by name (any account's), then the rules. */
export const storePreflight = (store: Pick<S3Store, "findBucket">, bucket: string, request: CorsRequest): Record<string, string> =>
  preflight(store.findBucket(bucket), request);

export const storeCorsHeaders = (store: Pick<S3Store, "findBucket">, bucket: string, request: CorsRequest): Record<string, string> | undefined =>
  corsResponseHeaders(store.findBucket(bucket), request);

/** The service's CORS hooks: the bucket and key come from the (path-style) path.
 *  A preflight names no service (it is unsigned and carries no X-Amz-Target), so one
 *  whose path names no existing bucket is left to the gateway: it may be a browser
 *  SDK's preflight to another service on the same endpoint. */
export const s3Cors = {
  preflight(req: HttpRequest, store: Pick<S3Store, "findBucket">): Record<string, string> | undefined {
    const { bucket, key } = corsTarget(req.path);
    if (!bucket || !store.findBucket(bucket)) return undefined;
    return storePreflight(store, bucket, { method: req.method, key, headers: req.headers });
  },
  responseHeaders(req: HttpRequest, store: Pick<S3Store, "findBucket">): Record<string, string> | undefined {
    const { bucket, key } = corsTarget(req.path);
    return bucket ? storeCorsHeaders(store, bucket, { method: req.method, key, headers: req.headers }) : undefined;
  },
};

function corsTarget(path: string): { bucket: string; key?: string } {
  const [bucket = "", ...rest] = path.replace(/^\/+/, "").split("/");
  const key = rest.join("/");
  return { bucket: decodePath(bucket), key: key ? decodePath(key) : undefined };
}

function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
