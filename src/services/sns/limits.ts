// SNS quotas and limits, as AWS documents them (SNS endpoints and quotas; Publish API reference).

export const SnsLimits = {
  /** Publish: "Messages must be UTF-8 encoded strings and at most 256 KB in size (262,144 bytes)". */
  maxMessageBytes: 262_144,
  /** PublishBatch: up to 10 entries, 256 KB in total. */
  maxBatchEntries: 10,
  /** ListTopics / ListSubscriptions pages. */
  topicsPerPage: 100,
  subscriptionsPerPage: 100,
  maxMessageAttributes: 10,
  maxSubjectLength: 100,
  maxTags: 50,
  /** FIFO topics deduplicate within five minutes. */
  deduplicationWindowMs: 5 * 60 * 1000,
} as const;
