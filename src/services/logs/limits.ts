// CloudWatch Logs quotas (CloudWatch Logs user guide, "CloudWatch Logs quotas", and
// the PutLogEvents API reference).
export const LogsLimits = {
  /** PutLogEvents: events per batch, and bytes (each event counts its UTF-8 size + 26). */
  batchEvents: 10_000,
  batchBytes: 1_048_576,
  eventOverheadBytes: 26,
  /** An event may not be more than 14 days old nor more than 2 hours in the future. */
  maxPastMs: 14 * 24 * 3600_000,
  maxFutureMs: 2 * 3600_000,
  /** A batch may not span more than 24 hours. */
  batchSpanMs: 24 * 3600_000,
  /** GetLogEvents and FilterLogEvents answer at most this many events (and 1 MB). */
  eventsPerPage: 10_000,
  bytesPerPage: 1_048_576,
  /** DescribeLogGroups / DescribeLogStreams default page size. */
  describePage: 50,
  /** The values PutRetentionPolicy accepts. */
  retentionDays: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
} as const;
