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
  /** PutDataProtectionPolicy: "Maximum length of 30,720". */
  maxDataProtectionPolicyLength: 30_720,
  /** "By default, you can have up to 200 filter policies per topic, and 10,000 filter
   *  policies per AWS account" (Filter policy constraints in Amazon SNS). */
  filterPoliciesPerTopic: 200,
  /** "The maximum size of a filter policy is 256 KB." */
  maxFilterPolicyBytes: 256 * 1024,
  filterPoliciesPerAccount: 10_000,
  /** SNS deletes a subscription left pending confirmation for 48 hours (what's new, May 2023). */
  unconfirmedSubscriptionMs: 48 * 60 * 60 * 1000,
  /** FIFO topics deduplicate within five minutes. */
  deduplicationWindowMs: 5 * 60 * 1000,
} as const;
