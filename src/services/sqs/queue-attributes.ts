import { SqsLimits } from "./limits.js";
import { invalidParameterValue, sqsErrors } from "./errors.js";

// The settable queue attributes: their defaults, and the checks CreateQueue and
// SetQueueAttributes apply. Values travel as strings, as on the wire. The computed
// ones (counts, timestamps, QueueArn) are added by the store on GetQueueAttributes.

export const COMPUTED_ATTRIBUTES = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
] as const;

const SETTABLE = new Set([
  "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "Policy", "ReceiveMessageWaitTimeSeconds",
  "VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
  "SqsManagedSseEnabled", "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
]);
const FIFO_ONLY = new Set(["ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]);

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, SqsLimits.maxDelaySeconds],
  MaximumMessageSize: [SqsLimits.minMessageSize, SqsLimits.maxMessageSize],
  MessageRetentionPeriod: [SqsLimits.minRetention, SqsLimits.maxRetention],
  ReceiveMessageWaitTimeSeconds: [0, SqsLimits.maxWaitTimeSeconds],
  VisibilityTimeout: [0, SqsLimits.maxVisibilityTimeout],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

export function defaultAttributes(fifo: boolean): Record<string, string> {
  const base: Record<string, string> = {
    DelaySeconds: "0",
    MaximumMessageSize: String(SqsLimits.maxMessageSize),
    MessageRetentionPeriod: String(SqsLimits.defaultRetention),
    ReceiveMessageWaitTimeSeconds: "0",
    VisibilityTimeout: String(SqsLimits.defaultVisibilityTimeout),
    SqsManagedSseEnabled: "true",
  };
  if (fifo) Object.assign(base, { FifoQueue: "true", ContentBasedDeduplication: "false", DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" });
  return base;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/**
 * Checks attributes for a queue of the given type, in the order given; throws
 * AWS's error for the first bad one. `creating` allows FifoQueue.
 */
export function validateAttributes(attributes: Record<string, string>, fifo: boolean, creating: boolean): void {
  const errors = sqsErrors();
  const invalid = (name: string) => errors.InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
  for (const [name, raw] of Object.entries(attributes)) {
    const value = String(raw);
    if (!SETTABLE.has(name)) throw errors.InvalidAttributeName(`Unknown Attribute ${name}.`);
    if (name === "FifoQueue") {
      if (!creating && value !== (fifo ? "true" : "false")) throw invalid(name);
      if (creating && !/^(true|false)$/.test(value)) throw invalid(name);
      continue;
    }
    if (FIFO_ONLY.has(name) && !fifo) throw errors.InvalidAttributeName(`Unknown Attribute ${name}.`);
    const range = RANGES[name];
    if (range) {
      if (!/^\d+$/.test(value) || Number(value) < range[0] || Number(value) > range[1]) throw invalid(name);
    } else if (name === "ContentBasedDeduplication" || name === "SqsManagedSseEnabled") {
      if (!/^(true|false)$/.test(value)) throw invalid(name);
    } else if (name === "DeduplicationScope") {
      if (value !== "messageGroup" && value !== "queue") throw invalid(name);
    } else if (name === "FifoThroughputLimit") {
      if (value !== "perQueue" && value !== "perMessageGroupId") throw invalid(name);
    } else if (name === "Policy") {
      if (value !== "" && !isJsonObject(value)) throw invalid(name);
    } else if (name === "RedriveAllowPolicy") {
      if (value !== "") checkRedriveAllowPolicy(value, invalid);
    } else if (name === "RedrivePolicy" && value !== "") {
      parseRedrivePolicy(value);
    }
  }
}

/**
 * High-throughput FIFO: "The perMessageGroupId value [of FifoThroughputLimit] is
 * allowed only when the value for DeduplicationScope is messageGroup" (CreateQueue
 * API reference). `merged`: the queue's attributes with the new ones over them.
 */
export function checkThroughputPairing(merged: Record<string, string | undefined>): void {
  if (merged.FifoThroughputLimit === "perMessageGroupId" && merged.DeduplicationScope !== "messageGroup") {
    throw sqsErrors().InvalidAttributeValue(
      "Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.",
    );
  }
}

/**
 * {"redrivePermission": "allowAll" | "denyAll" | "byQueue", "sourceQueueArns": [...]}: byQueue
 * names 1 to 10 source queues, the other two none ("Configuring queue permissions
 * for dead-letter queue redrive" in the SQS developer guide).
 */
function checkRedriveAllowPolicy(text: string, invalid: (name: string) => Error): void {
  const reason = (r: string) => sqsErrors().InvalidAttributeValue(`Invalid value for the parameter RedriveAllowPolicy. Reason: ${r}`);
  if (!isJsonObject(text)) throw invalid("RedriveAllowPolicy");
  const policy = JSON.parse(text) as { redrivePermission?: unknown; sourceQueueArns?: unknown };
  const permission = policy.redrivePermission;
  if (permission !== "allowAll" && permission !== "denyAll" && permission !== "byQueue") {
    throw reason("Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.");
  }
  const arns = policy.sourceQueueArns;
  if (permission === "byQueue") {
    if (!Array.isArray(arns) || arns.length === 0) throw reason("Amazon SQS can't create the redrive allow policy. When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.");
    if (arns.length > 10) throw reason("Amazon SQS can't create the redrive allow policy. The maximum number of source queue ARNs you can specify is 10.");
  } else if (arns !== undefined) {
    throw reason(`Amazon SQS can't create the redrive allow policy. To specify one or more source queue ARNs, you must set redrivePermission to byQueue.`);
  }
}

function isJsonObject(text: string): boolean {
  try {
    const v = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** The RedrivePolicy JSON, checked as SQS checks it. */
export function parseRedrivePolicy(text: string): RedrivePolicy {
  let v: any;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidParameterValue(`Value ${text} for parameter RedrivePolicy is invalid. Reason: Invalid JSON.`);
  }
  const reason = (r: string) => invalidParameterValue(`Value ${text} for parameter RedrivePolicy is invalid. Reason: ${r}`);
  if (typeof v !== "object" || v === null) throw reason("Redrive policy is not a valid JSON map.");
  if (!v.deadLetterTargetArn) throw reason("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  if (v.maxReceiveCount === undefined) throw reason("Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  const count = Number(v.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw reason("Invalid value for maxReceiveCount: " + v.maxReceiveCount + ", valid values are from 1 to 1000 both inclusive.");
  return { deadLetterTargetArn: String(v.deadLetterTargetArn), maxReceiveCount: count };
}

/**
 * RedriveAllowPolicy (its JSON, or undefined): may the queue `sourceArn` use the
 * queue that has it as its dead-letter queue? A policy that does not parse allows.
 */
export function redriveAllows(text: string | undefined, sourceArn: string): boolean {
  if (!text) return true;
  try {
    const policy = JSON.parse(text) as { redrivePermission?: string; sourceQueueArns?: string[] };
    if (policy.redrivePermission === "denyAll") return false;
    if (policy.redrivePermission === "byQueue") return (policy.sourceQueueArns ?? []).includes(sourceArn);
    return true;
  } catch {
    return true;
  }
}
