// DynamoDB quotas ("Service, account, and table quotas in Amazon DynamoDB" and
// the API reference of each operation).

export const DynamoDbLimits = {
  maxItemSize: 400 * 1024,
  maxPageBytes: 1024 * 1024,
  maxHashKeyBytes: 2048,
  maxRangeKeyBytes: 1024,
  maxBatchGet: 100,
  maxBatchWrite: 25,
  maxTransactItems: 100,
  maxGsis: 20,
  maxLsis: 5,
  maxListTables: 100,
  maxTags: 50,
  transactTokenMs: 10 * 60_000,
  ttlSweepMs: 5_000,
  accountMaxReadCapacityUnits: 80_000,
  accountMaxWriteCapacityUnits: 80_000,
  tableMaxReadCapacityUnits: 40_000,
  tableMaxWriteCapacityUnits: 40_000,
} as const;
