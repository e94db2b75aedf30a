import { deliveryPolicyProblem } from "./delivery-policy.js";
import { compileFilterPolicy } from "./filter-policy.js";
import { invalidParameter } from "./errors.js";
import type { SubscriptionRecord } from "./records.js";
import { DEFAULT_EFFECTIVE_DELIVERY_POLICY } from "./topic-attributes.js";

// Subscription attributes: the settable ones (Subscribe's Attributes and
// SetSubscriptionAttributes), their checks, and what GetSubscriptionAttributes shows.

export const SETTABLE_SUBSCRIPTION_ATTRIBUTES = new Set([
  "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy",
]);

export type AttributeCall = "Subscribe" | "SetSubscriptionAttributes";

/** What the checks read of the subscription: its protocol, endpoint and topic. */
export type SubscriptionTarget = Pick<SubscriptionRecord, "protocol" | "endpoint" | "topicArn">;

/** Subscribe frames reasons as "Attributes Reason: <name>: ...", SetSubscriptionAttributes as "<name>: ...". */
export function validateSubscriptionAttribute(name: string, value: string, target: SubscriptionTarget, scope: string | undefined, call: AttributeCall): void {
  const protocol = target.protocol;
  const reason = (detail: string) => invalidParameter(`${call === "Subscribe" ? "Attributes Reason: " : ""}${detail}`);
  if (!SETTABLE_SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter("AttributeName");
  switch (name) {
    case "RawMessageDelivery":
      if (value.toLowerCase() !== "true" && value.toLowerCase() !== "false") throw reason(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      // SQS, HTTP/S and Firehose endpoints only (Subscribe API reference; not Lambda).
      if (!["sqs", "http", "https", "firehose"].includes(protocol)) throw reason(`Delivery protocol [${protocol}] does not support raw message delivery.`);
      break;
    case "FilterPolicyScope":
      if (value !== "MessageAttributes" && value !== "MessageBody") throw reason(`FilterPolicyScope: Invalid filter policy scope: ${value}`);
      break;
    case "FilterPolicy":
      if (value !== "") compileFilterPolicy(value, scope, call);
      break;
    case "ReplayPolicy":
      // A replay re-delivers a FIFO topic's archived messages; Terrarium keeps no
      // archive, so it says so rather than accept a replay that never happens.
      if (value !== "") throw reason("ReplayPolicy: message archiving and replay are not supported by Terrarium");
      break;
    case "RedrivePolicy":
    case "DeliveryPolicy": {
      if (value === "") break;
      let parsed: any;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw reason(`${name}: failed to parse JSON.`);
      }
      if (name === "DeliveryPolicy") {
        const problem = deliveryPolicyProblem(parsed, "subscription");
        if (problem) throw reason(problem);
      }
      if (name === "RedrivePolicy" && typeof parsed?.deadLetterTargetArn !== "string") {
        throw reason("RedrivePolicy: deadLetterTargetArn is required");
      }
      if (name === "RedrivePolicy" && !/^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:[\w.-]+$/.test(parsed.deadLetterTargetArn)) {
        throw reason("RedrivePolicy: deadLetterTargetArn: Invalid SQS ARN");
      }
      // "FIFO topic subscriptions use FIFO queues" as dead-letter queues (Amazon SNS
      // dead-letter queues); AWS checks it for a FIFO queue subscribed to a FIFO topic.
      if (name === "RedrivePolicy" && target.topicArn.endsWith(".fifo") && target.endpoint.endsWith(".fifo") && !parsed.deadLetterTargetArn.endsWith(".fifo")) {
        throw reason("RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
      }
      break;
    }
  }
}

/** Checks a set of attributes, the scope first since the policy is read in it. */
export function validateSubscriptionAttributes(attributes: Record<string, string>, target: SubscriptionTarget): void {
  const scope = attributes.FilterPolicyScope;
  for (const [name, value] of Object.entries(attributes)) validateSubscriptionAttribute(name, value, target, scope, "Subscribe");
}

export function subscriptionAttributes(sub: SubscriptionRecord): Record<string, string> {
  const attributes: Record<string, string> = {
    Owner: sub.owner,
    RawMessageDelivery: "false",
    TopicArn: sub.topicArn,
    Endpoint: sub.endpoint,
    Protocol: sub.protocol,
    PendingConfirmation: String(sub.pendingConfirmation),
    ConfirmationWasAuthenticated: String(!sub.pendingConfirmation && !["http", "https", "email", "email-json"].includes(sub.protocol)),
    SubscriptionArn: sub.arn,
    SubscriptionPrincipal: `arn:aws:iam::${sub.owner}:root`,
    ...sub.attributes,
  };
  if (sub.protocol === "http" || sub.protocol === "https") {
    attributes.EffectiveDeliveryPolicy = sub.attributes.DeliveryPolicy ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY;
  }
  if (sub.attributes.FilterPolicy) attributes.FilterPolicyScope = sub.attributes.FilterPolicyScope ?? "MessageAttributes";
  return attributes;
}
