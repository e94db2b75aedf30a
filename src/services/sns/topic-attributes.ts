import { deliveryPolicyProblem } from "./delivery-policy.js";
import { invalidParameter } from "./errors.js";
import { SnsLimits } from "./limits.js";
import type { TopicRecord } from "./records.js";
import type { SnsStore } from "./store.js";

// Topic attributes as GetTopicAttributes shows them (the SNS API reference), and
// the ones CreateTopic / SetTopicAttributes accept.

const FEEDBACK = ["Application", "Firehose", "HTTP", "Lambda", "SQS"].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`,
]);

export const SETTABLE_TOPIC_ATTRIBUTES = new Set([
  "DeliveryPolicy", "DisplayName", "Policy", "KmsMasterKeyId", "SignatureVersion", "TracingConfig",
  "ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy", ...FEEDBACK,
]);

/** The policy AWS writes on a new topic: the owner may do everything to it. */
export function defaultTopicPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [{
      Sid: "__default_statement_ID",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [
        "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
        "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish",
      ],
      Resource: arn,
      Condition: { StringEquals: { "AWS:SourceOwner": account } },
    }],
  });
}

export const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0,
      numMinDelayRetries: 0, backoffFunction: "linear",
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
  },
});

/** Checks attribute names and values for CreateTopic (create) or SetTopicAttributes. */
export function validateTopicAttribute(name: string, value: string, fifo: boolean, call: "CreateTopic" | "SetTopicAttributes" = "CreateTopic"): void {
  if (!SETTABLE_TOPIC_ATTRIBUTES.has(name)) throw invalidParameter("AttributeName");
  if (name === "ContentBasedDeduplication") {
    if (!fifo) throw invalidParameter("Attributes Reason: ContentBasedDeduplication: Content based deduplication can only be set for FIFO topics");
    if (value !== "true" && value !== "false") throw invalidParameter(`Attributes Reason: ContentBasedDeduplication: Invalid value [${value}]. Must be true or false.`);
  }
  if (name === "FifoThroughputScope") {
    // FIFO topics: throughput per topic or per message group (CreateTopic API reference).
    if (!fifo) throw invalidParameter("Attributes Reason: FifoThroughputScope: FifoThroughputScope can only be set for FIFO topics");
    if (value !== "Topic" && value !== "MessageGroup") throw invalidParameter(`Attributes Reason: FifoThroughputScope: Invalid value [${value}]. Must be Topic or MessageGroup.`);
  }
  if ((name === "Policy" || name === "DeliveryPolicy") && value !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalidParameter(`Attributes Reason: ${name}: failed to parse JSON.`);
    }
    // SetTopicAttributes words it "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy: ...".
    const problem = name === "DeliveryPolicy" ? deliveryPolicyProblem(parsed, "topic") : undefined;
    if (problem) throw invalidParameter(call === "CreateTopic" ? `Attributes Reason: ${problem}` : problem);
  }
  if (name === "SignatureVersion" && value !== "1" && value !== "2") {
    throw invalidParameter("Attributes Reason: SignatureVersion: Invalid value [" + value + "]. Must be 1 or 2.");
  }
}

/**
 * PutDataProtectionPolicy (and CreateTopic's DataProtectionPolicy): "must be in JSON
 * string format", at most 30,720 characters (API reference). Stored, not enforced:
 * SNS closed message data protection to new customers on April 30, 2026.
 */
export function checkDataProtectionPolicy(text: string): void {
  if (text.length > SnsLimits.maxDataProtectionPolicyLength) {
    throw invalidParameter(`DataProtectionPolicy Reason: must be at most ${SnsLimits.maxDataProtectionPolicyLength} characters long`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalidParameter("DataProtectionPolicy Reason: failed to parse JSON.");
}

export function topicAttributes(store: SnsStore, topic: TopicRecord): Record<string, string> {
  let confirmed = 0;
  let pending = 0;
  for (const sub of store.subscriptionsOf(topic.arn)) sub.pendingConfirmation ? pending++ : confirmed++;
  const attributes: Record<string, string> = {
    Policy: defaultTopicPolicy(topic.arn, store.account),
    Owner: store.account,
    SubscriptionsPending: String(pending),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: topic.attributes.DeliveryPolicy ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(confirmed),
    DisplayName: "",
    SubscriptionsDeleted: String(topic.subscriptionsDeleted),
    ...topic.attributes,
  };
  if (topic.fifo) {
    attributes.FifoTopic = "true";
    attributes.ContentBasedDeduplication = topic.attributes.ContentBasedDeduplication ?? "false";
  }
  return attributes;
}
