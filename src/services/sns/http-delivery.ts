import type { SubscriptionRecord } from "./records.js";
import type { SnsStore } from "./store.js";

// Deliveries to http/https endpoints: a POST with AWS's x-amz-sns-* headers, retried
// on Terrarium's clock per the delivery policy ("Amazon SNS message delivery
// retries"): the subscription's DeliveryPolicy, else the topic's
// http.defaultHealthyRetryPolicy, else AWS's default (3 retries, 20 s apart). A policy's
// retries run in four phases: numNoDelayRetries at once, numMinDelayRetries after
// minDelayTarget, the backoff phase from minDelayTarget up to maxDelayTarget by
// backoffFunction, then numMaxDelayRetries after maxDelayTarget. 2xx is delivered;
// 5xx, 429 and network errors are retried; other statuses fail at once.

export interface RetryPolicy {
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  minDelayTarget: number;
  maxDelayTarget: number;
  backoffFunction: string;
}

const DEFAULT_POLICY: RetryPolicy = {
  numRetries: 3, numNoDelayRetries: 0, numMinDelayRetries: 0, numMaxDelayRetries: 0, minDelayTarget: 20, maxDelayTarget: 20, backoffFunction: "linear",
};

function parsePolicy(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const policy = JSON.parse(text);
    return policy.healthyRetryPolicy ?? policy.http?.defaultHealthyRetryPolicy;
  } catch {
    return undefined;
  }
}

function retryPolicy(store: SnsStore, sub: SubscriptionRecord): RetryPolicy {
  return resolveRetryPolicy(parsePolicy(sub.attributes.DeliveryPolicy) ?? parsePolicy(store.topicByArn(sub.topicArn)?.attributes.DeliveryPolicy) ?? {});
}

/** A healthyRetryPolicy object over AWS's defaults. */
export function resolveRetryPolicy(given: Record<string, unknown>): RetryPolicy {
  const out = { ...DEFAULT_POLICY };
  for (const key of Object.keys(out) as (keyof RetryPolicy)[]) {
    const v = given[key];
    if (v === undefined) continue;
    if (key === "backoffFunction") out.backoffFunction = String(v);
    else if (Number.isFinite(Number(v))) out[key] = Number(v);
  }
  if (given.maxDelayTarget === undefined) out.maxDelayTarget = Math.max(out.maxDelayTarget, out.minDelayTarget);
  return out;
}

/** The delay in seconds before each retry, in order. */
export function retryDelays(p: RetryPolicy): number[] {
  const delays: number[] = [];
  for (let i = 0; i < p.numNoDelayRetries; i++) delays.push(0);
  for (let i = 0; i < p.numMinDelayRetries; i++) delays.push(p.minDelayTarget);
  const backoff = Math.max(0, p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries);
  for (let i = 1; i <= backoff; i++) {
    const f = backoff === 1 ? 1 : (i - 1) / (backoff - 1);
    const span = p.maxDelayTarget - p.minDelayTarget;
    let d: number;
    switch (p.backoffFunction) {
      case "arithmetic": d = p.minDelayTarget + span * f * f; break;
      case "geometric": d = p.minDelayTarget + span * Math.sqrt(f); break;
      case "exponential": d = p.minDelayTarget * Math.pow(Math.max(1, p.maxDelayTarget) / Math.max(1, p.minDelayTarget), f); break;
      default: d = p.minDelayTarget + span * f;
    }
    delays.push(d);
  }
  for (let i = 0; i < p.numMaxDelayRetries; i++) delays.push(p.maxDelayTarget);
  return delays.slice(0, p.numRetries);
}

/** requestPolicy.headerContentType of the subscription's (or the topic's default) delivery policy. */
function contentType(store: SnsStore, sub: SubscriptionRecord): string {
  const read = (text: string | undefined, path: (p: any) => unknown) => {
    try {
      return text ? path(JSON.parse(text)) : undefined;
    } catch {
      return undefined;
    }
  };
  const given = read(sub.attributes.DeliveryPolicy, (p) => p.requestPolicy?.headerContentType)
    ?? read(store.topicByArn(sub.topicArn)?.attributes.DeliveryPolicy, (p) => p.http?.defaultRequestPolicy?.headerContentType);
  return typeof given === "string" ? given : "text/plain; charset=UTF-8";
}

export function sendToHttpEndpoint(
  store: SnsStore,
  sub: SubscriptionRecord,
  body: string,
  messageId: string,
  raw: boolean,
  onFailure: (error: unknown) => void,
  type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation" = "Notification",
): void {
  const headers: Record<string, string> = {
    "content-type": contentType(store, sub),
    "x-amz-sns-message-type": type,
    "x-amz-sns-message-id": messageId,
    "x-amz-sns-topic-arn": sub.topicArn,
    "user-agent": "Amazon Simple Notification Service Agent",
  };
  if (type !== "SubscriptionConfirmation") headers["x-amz-sns-subscription-arn"] = sub.arn;
  if (raw) headers["x-amz-sns-rawdelivery"] = "true";
  const delays = retryDelays(retryPolicy(store, sub));
  const attempt = (n: number) => {
    fetch(sub.endpoint, { method: "POST", headers, body, signal: AbortSignal.timeout(15_000) }).then(
      (res) => {
        void res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return;
        if (res.status >= 500 || res.status === 429) retry(n, new Error(`HTTP ${res.status}`));
        else onFailure(new Error(`HTTP ${res.status}`));
      },
      (error) => retry(n, error),
    );
  };
  const retry = (n: number, error: unknown) => {
    if (n >= delays.length) onFailure(error);
    else store.clock.after(delays[n] * 1000, () => attempt(n + 1));
  };
  attempt(0);
}
