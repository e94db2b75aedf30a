import type { SubscriptionRecord } from "./records.js";
import type { SnsStore } from "./store.js";

// Deliveries to http/https endpoints: a POST with AWS's x-amz-sns-* headers, retried
// on Terrarium's clock per the delivery policy (the default: 3 retries 20 s apart,
// "Amazon SNS message delivery retries"). 2xx is delivered; 5xx, 429 and network
// errors are retried; other statuses fail at once.

interface RetryPolicy {
  numRetries: number;
  minDelayTarget: number;
}

function retryPolicy(sub: SubscriptionRecord): RetryPolicy {
  try {
    const policy = JSON.parse(sub.attributes.DeliveryPolicy ?? "{}");
    const healthy = policy.healthyRetryPolicy ?? policy.http?.defaultHealthyRetryPolicy ?? {};
    return { numRetries: Number(healthy.numRetries ?? 3), minDelayTarget: Number(healthy.minDelayTarget ?? 20) };
  } catch {
    return { numRetries: 3, minDelayTarget: 20 };
  }
}

export function sendToHttpEndpoint(
  store: SnsStore,
  sub: SubscriptionRecord,
  body: string,
  messageId: string,
  raw: boolean,
  onFailure: (error: unknown) => void,
  type: "Notification" | "SubscriptionConfirmation" = "Notification",
): void {
  const headers: Record<string, string> = {
    "content-type": "text/plain; charset=UTF-8",
    "x-amz-sns-message-type": type,
    "x-amz-sns-message-id": messageId,
    "x-amz-sns-topic-arn": sub.topicArn,
    "user-agent": "Amazon Simple Notification Service Agent",
  };
  if (type === "Notification") headers["x-amz-sns-subscription-arn"] = sub.arn;
  if (raw) headers["x-amz-sns-rawdelivery"] = "true";
  const policy = retryPolicy(sub);
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
    if (n >= policy.numRetries) onFailure(error);
    else store.clock.after(policy.minDelayTarget * 1000, () => attempt(n + 1));
  };
  attempt(0);
}
