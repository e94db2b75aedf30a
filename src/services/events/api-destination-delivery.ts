import type { Target } from "@aws-sdk/client-eventbridge";
import { authorizationHeaders, parameterMap } from "./connections.js";
import { OutboundFailure, send } from "./http-request.js";
import { parsePath, readPath } from "./input-transform.js";
import type { ApiDestinationRecord, EventEnvelope } from "./records.js";
import type { EventsStore } from "./store.js";
import { setOwn } from "../../protocols/shape-walk.js";

// A rule target that is an API destination ("API destinations as targets"): one real
// HTTP request to its InvocationEndpoint, with the `*` path wildcards filled from the
// target's HttpParameters.PathParameterValues, the target's headers and query string
// merged under the connection's (the connection's values win, per HttpParameters in
// the API reference), the connection's authorization, and the event (or the target's
// transformed input) as the body, merged with the connection's body parameters when
// it is a JSON object. Parameter values of the form $.path are read from the event.
// The answer decides the retry ("API destinations", error handling): 401, 407, 409, 429
// and 5xx (and timeouts) are retried within the RetryPolicy, a 401/407 after dropping
// the OAuth token; any other status outside 2xx fails at once to the dead-letter queue.
// A Retry-After header is honoured: the longer of it and the backoff is waited ("the
// more conservative value"), and a negative one stops the retries.

/** A failed delivery, with the ERROR_CODE the dead-letter message carries and whether to retry. */
export class DeliveryFailure extends Error {
  constructor(readonly code: string, message: string, readonly retryable: boolean, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** Retry-After as seconds or an HTTP date: milliseconds to wait; negative stops retrying. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^-?\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const RETRIED_STATUSES = new Set([401, 407, 409, 429]);

/** Headers EventBridge sets on every request; only Content-Type may be replaced. */
const FIXED_HEADERS: Record<string, string> = {
  "User-Agent": "Amazon/EventBridge/ApiDestinations",
  Range: "bytes=0-1048575",
  "Accept-Encoding": "gzip,deflate",
  Connection: "close",
};

/** A parameter value: constant, or read from the event when it is a $.path. */
function resolve(value: string, event: EventEnvelope): string {
  const steps = value.startsWith("$.") ? parsePath(value) : undefined;
  if (!steps) return value;
  const found = readPath(event, steps);
  if (found === undefined || found === null) return "";
  return typeof found === "string" ? found : JSON.stringify(found);
}

function invocationUrl(destination: ApiDestinationRecord, target: Target, event: EventEnvelope): URL {
  const values = (target.HttpParameters?.PathParameterValues ?? []).map((v) => encodeURIComponent(resolve(v, event)));
  const endpoint = destination.invocationEndpoint;
  const queryAt = endpoint.indexOf("?");
  const [base, query] = queryAt < 0 ? [endpoint, ""] : [endpoint.slice(0, queryAt), endpoint.slice(queryAt)];
  const schemeEnd = base.indexOf("://") + 3;
  let i = 0;
  const path = base.slice(schemeEnd).replace(/\*/g, () => {
    const value = values[i++];
    if (value === undefined) throw new DeliveryFailure("INVALID_PARAMETER", "The number of PathParameterValues does not match the wildcards in the invocation endpoint.", false);
    return value;
  });
  return new URL(base.slice(0, schemeEnd) + path + query);
}

/** Case-insensitive header merge, later sets replacing earlier ones. */
function mergeHeaders(...sets: Array<Record<string, string>>): Record<string, string> {
  const byLower = new Map<string, [string, string]>();
  for (const set of sets) for (const [k, v] of Object.entries(set)) byLower.set(k.toLowerCase(), [k, v]);
  return Object.fromEntries(byLower.values());
}

function resolvedMap(map: Record<string, string> | undefined, event: EventEnvelope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) setOwn(out, k, resolve(v, event));
  return out;
}

/** Delay (ms) before this invocation may go, keeping to InvocationRateLimitPerSecond:
 *  invocations beyond the limit wait for a later second instead of failing. */
export function rateDelay(store: EventsStore, destination: ApiDestinationRecord): number {
  const now = store.clock.now();
  const second = Math.floor(now / 1000);
  const window = store.invocationWindows.get(destination.name);
  if (!window || window.second < second) {
    store.invocationWindows.set(destination.name, { second, count: 1 });
    return 0;
  }
  if (window.count >= destination.invocationRateLimitPerSecond) {
    window.second += 1;
    window.count = 0;
  }
  window.count += 1;
  return Math.max(0, window.second * 1000 - now);
}

/** No HTTP answer (the endpoint, or the OAuth authorization endpoint): retried. A
 *  request Node refuses to send (a header value it cannot encode) is not. */
async function retriedIfUnreachable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OutboundFailure) throw new DeliveryFailure(error.code, error.message, true);
    throw new DeliveryFailure("INVALID_PARAMETER", `Unable to invoke ApiDestination endpoint: ${(error as Error).message}`, false);
  }
}

export async function invokeApiDestination(store: EventsStore, target: Target, payload: string, event: EventEnvelope): Promise<void> {
  const arn = target.Arn ?? "";
  const destination = store.apiDestinationByArn(arn);
  if (!destination) throw new DeliveryFailure("NO_RESOURCE", `The API destination ${arn} does not exist.`, false);
  const connection = store.connectionByArn(destination.connectionArn);
  if (!connection) throw new DeliveryFailure("NO_RESOURCE", `The connection ${destination.connectionArn} does not exist.`, false);
  if (connection.state === "DEAUTHORIZED") {
    throw new DeliveryFailure("NO_PERMISSIONS", `The connection ${connection.arn} is not authorized.`, false);
  }
  const delay = rateDelay(store, destination);
  if (delay > 0) await new Promise<void>((r) => store.clock.after(delay, r));

  const invocation = connection.auth.InvocationHttpParameters ?? {};
  const url = invocationUrl(destination, target, event);
  const query = { ...resolvedMap(target.HttpParameters?.QueryStringParameters, event), ...parameterMap(invocation.QueryStringParameters) };
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const headers = mergeHeaders(
    { "Content-Type": "application/json; charset=utf-8" },
    resolvedMap(target.HttpParameters?.HeaderParameters, event),
    parameterMap(invocation.HeaderParameters),
    await retriedIfUnreachable(() => authorizationHeaders(store, connection)),
    FIXED_HEADERS,
  );
  const method = destination.httpMethod;
  let body: string | undefined;
  if (method !== "GET" && method !== "HEAD") {
    body = payload;
    const extra = parameterMap(invocation.BodyParameters);
    if (Object.keys(extra).length > 0) {
      try {
        const parsed = JSON.parse(payload) as unknown;
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = JSON.stringify({ ...parsed, ...extra });
      } catch {
        // A text payload (an InputTransformer's string) keeps its form.
      }
    }
  }
  const { status, retryAfter } = await retriedIfUnreachable(() => send({ method, url, headers, body }));
  if (status >= 200 && status < 300) return;
  if (status === 401 || status === 407) store.oauthTokens.delete(connection.name);
  const wait = retryAfterMs(retryAfter);
  const retryable = (RETRIED_STATUSES.has(status) || status >= 500) && !(wait !== undefined && wait < 0);
  // Unverified wording after the prefix AWS's DLQ messages share (searched again in this
  // session: AWS's text for an error answer is not published); the two messages AWS is
  // known to send are in http-request.ts.
  throw new DeliveryFailure("SDK_CLIENT_ERROR", `Unable to invoke ApiDestination endpoint: The endpoint responded with HTTP status code ${status}.`, retryable, wait);
}
