import type { SubscriptionRecord } from "./records.js";
import type { SnsStore } from "./store.js";

// Deliveries to http/https endpoints: a POST with AWS's x-amz-sns-* headers, retried
// on Terrarium's clock per the delivery policy ("Amazon SNS message delivery
// retries"): the subscription's DeliveryPolicy, else the topic's
// http.defaultHealthyRetryPolicy, else AWS's default (3 retries, 20 s apart). A policy's
// retries run in four phases: numNoDelayRetries at once, numMinDelayRetries after
// minDelayTarget, the backoff phase from minDelayTarget up to maxDelayTarget by
// backoffFunction, then numMaxDelayRetries after maxDelayTarget. 2xx is delivered;
// 5xx, 429 and network errors are retried; other statuses fail at once. The throttle
// policy paces the attempts (delivery-throttle.ts).

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

/** What a delivery to one subscription follows, from its policy over its topic's. */
interface EffectivePolicy {
  retry: RetryPolicy;
  contentType: string;
  /** throttlePolicy.maxReceivesPerSecond; undefined: no throttling. */
  maxReceivesPerSecond?: number;
}

function readJson(text: string | undefined): any {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The subscription's DeliveryPolicy (healthyRetryPolicy, throttlePolicy, requestPolicy)
 * over its topic's http defaults, unless the topic sets disableSubscriptionOverrides,
 * which makes its own policy apply to every subscription.
 */
function effectivePolicy(store: SnsStore, sub: SubscriptionRecord): EffectivePolicy {
  const topicHttp = readJson(store.topicByArn(sub.topicArn)?.attributes.DeliveryPolicy)?.http ?? {};
  const overridesDisabled = topicHttp.disableSubscriptionOverrides === true || topicHttp.disableSubscriptionOverrides === "true";
  const own = overridesDisabled ? {} : readJson(sub.attributes.DeliveryPolicy) ?? {};
  const retry = own.healthyRetryPolicy ?? own.http?.defaultHealthyRetryPolicy ?? topicHttp.defaultHealthyRetryPolicy;
  const contentType = own.requestPolicy?.headerContentType ?? topicHttp.defaultRequestPolicy?.headerContentType;
  const rate = Number(own.throttlePolicy?.maxReceivesPerSecond ?? topicHttp.defaultThrottlePolicy?.maxReceivesPerSecond);
  return {
    retry: resolveRetryPolicy(typeof retry === "object" && retry !== null ? retry : {}),
    contentType: typeof contentType === "string" ? contentType : "text/plain; charset=UTF-8",
    ...(Number.isFinite(rate) && rate >= 1 ? { maxReceivesPerSecond: rate } : {}),
  };
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

export function sendToHttpEndpoint(
  store: SnsStore,
  sub: SubscriptionRecord,
  body: string,
  messageId: string,
  raw: boolean,
  onFailure: (error: unknown) => void,
  type: "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation" = "Notification",
): void {
  const policy = effectivePolicy(store, sub);
  const headers: Record<string, string> = {
    "content-type": policy.contentType,
    "x-amz-sns-message-type": type,
    "x-amz-sns-message-id": messageId,
    "x-amz-sns-topic-arn": sub.topicArn,
    "user-agent": "Amazon Simple Notification Service Agent",
  };
  if (type !== "SubscriptionConfirmation") headers["x-amz-sns-subscription-arn"] = sub.arn;
  if (raw) headers["x-amz-sns-rawdelivery"] = "true";
  const delays = retryDelays(policy.retry);
  // Every attempt, a retry too, is a delivery the throttle policy paces.
  const paced = (n: number) => {
    const wait = policy.maxReceivesPerSecond ? store.throttle.delayFor(sub.arn, policy.maxReceivesPerSecond, store.clock.now()) : 0;
    if (wait > 0) store.clock.after(wait, () => attempt(n));
    else attempt(n);
  };
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
    else store.clock.after(delays[n] * 1000, () => paced(n + 1));
  };
  paced(0);
}
