import { COMPUTED_ATTRIBUTES } from "./queue-attributes.js";
import type { Queue } from "./queue.js";
import { queueUrl } from "./store.js";
import type { SqsContext } from "./types.js";

// How queues appear in answers: their URL for this caller, and GetQueueAttributes.

export const urlOf = (ctx: SqsContext, queue: Queue): string => queueUrl(ctx.http?.host, ctx.store.account, queue.name);

const ALL_NAMES = [
  "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed", "ApproximateNumberOfMessagesNotVisible",
  "CreatedTimestamp", "DelaySeconds", "LastModifiedTimestamp", "MaximumMessageSize", "MessageRetentionPeriod",
  "Policy", "QueueArn", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "RedriveAllowPolicy", "VisibilityTimeout",
  "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
  "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
];
export const KNOWN_ATTRIBUTES = new Set<string>([...ALL_NAMES, ...COMPUTED_ATTRIBUTES]);

export function queueAttributes(queue: Queue, names: string[]): Record<string, string> {
  const wanted = names.includes("All") ? ALL_NAMES : names;
  const counts = wanted.some((n) => n.startsWith("Approximate")) ? queue.counts() : undefined;
  const r = queue.record;
  const seconds = (ms: number) => String(Math.floor(ms / 1000));
  const out: Record<string, string> = {};
  for (const name of wanted) {
    let value: string | undefined;
    switch (name) {
      case "ApproximateNumberOfMessages": value = String(counts!.visible); break;
      case "ApproximateNumberOfMessagesNotVisible": value = String(counts!.notVisible); break;
      case "ApproximateNumberOfMessagesDelayed": value = String(counts!.delayed); break;
      case "CreatedTimestamp": value = seconds(r.createdAt); break;
      case "LastModifiedTimestamp": value = seconds(r.lastModifiedAt); break;
      case "QueueArn": value = queue.arn; break;
      case "FifoQueue": value = queue.fifo ? "true" : undefined; break;
      default: value = r.attributes[name];
    }
    if (value !== undefined && value !== "") out[name] = value;
  }
  return out;
}

