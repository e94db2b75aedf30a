// SQS quotas and attribute ranges, from the SQS API reference (CreateQueue,
// SendMessage, ReceiveMessage) and "Amazon SQS quotas". The message size limit is
// 1 MiB since August 2025 (it was 256 KiB): MaximumMessageSize defaults to it.

export const SqsLimits = {
  maxMessageSize: 1_048_576,
  minMessageSize: 1024,
  maxBatchEntries: 10,
  maxBatchBytes: 1_048_576,
  maxMessageAttributes: 10,
  maxDelaySeconds: 900,
  maxVisibilityTimeout: 43_200,
  maxWaitTimeSeconds: 20,
  maxReceiveMessages: 10,
  minRetention: 60,
  maxRetention: 1_209_600,
  defaultRetention: 345_600,
  defaultVisibilityTimeout: 30,
  maxQueueNameLength: 80,
  maxListResults: 1000,
  maxTags: 50,
  purgeIntervalMs: 60_000,
  deduplicationWindowMs: 5 * 60_000,
} as const;
