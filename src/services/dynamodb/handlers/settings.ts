import type {
  DescribeContinuousBackupsInput, DescribeContinuousBackupsOutput, DescribeEndpointsRequest, DescribeEndpointsResponse,
  DescribeLimitsInput, DescribeLimitsOutput, DescribeTimeToLiveInput, DescribeTimeToLiveOutput, ListTagsOfResourceInput,
  ListTagsOfResourceOutput, TagResourceInput, UntagResourceInput, UpdateContinuousBackupsInput, UpdateContinuousBackupsOutput,
  UpdateTimeToLiveInput, UpdateTimeToLiveOutput,
} from "@aws-sdk/client-dynamodb";
import { arnNotFound, limitExceeded, validation } from "../errors.js";
import { DynamoDbLimits } from "../limits.js";
import type { TableRecord } from "../table.js";
import type { DdbContext, DdbHandler } from "../types.js";

// Per-table settings (TTL, point-in-time recovery, tags) and the account-level
// answers (limits, endpoints).

export const DescribeTimeToLive: DdbHandler<DescribeTimeToLiveInput, DescribeTimeToLiveOutput> = (input, ctx) => {
  const { ttl } = ctx.store.require(input.TableName);
  if (!ttl) return { TimeToLiveDescription: { TimeToLiveStatus: "DISABLED" } };
  return { TimeToLiveDescription: { TimeToLiveStatus: ttl.enabled ? "ENABLED" : "DISABLED", ...(ttl.enabled ? { AttributeName: ttl.attribute } : {}) } };
};

export const UpdateTimeToLive: DdbHandler<UpdateTimeToLiveInput, UpdateTimeToLiveOutput> = (input, ctx) => {
  const table = structuredClone(ctx.store.require(input.TableName));
  const spec = input.TimeToLiveSpecification!;
  // Messages as AWS answers them (UpdateTimeToLive API reference, "Enabling TTL").
  if (spec.Enabled && table.ttl?.enabled) throw validation("TimeToLive is already enabled");
  if (!spec.Enabled && !table.ttl?.enabled) throw validation("TimeToLive is already disabled");
  table.ttl = { attribute: spec.AttributeName!, enabled: spec.Enabled! };
  ctx.store.save(table);
  ctx.store.reindexExpiry(table);
  return { TimeToLiveSpecification: spec };
};

function backups(table: TableRecord, ctx: DdbContext): DescribeContinuousBackupsOutput {
  const now = ctx.clock.now();
  return {
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: "ENABLED",
      PointInTimeRecoveryDescription: table.pitr
        ? { PointInTimeRecoveryStatus: "ENABLED", RecoveryPeriodInDays: 35, EarliestRestorableDateTime: new Date(now - 35 * 86_400_000 < table.createdAt ? table.createdAt : now - 35 * 86_400_000), LatestRestorableDateTime: new Date(now - 300_000) }
        : { PointInTimeRecoveryStatus: "DISABLED" },
    },
  };
}

/** DescribeContinuousBackups answers TableNotFoundException (its model says so). */
function requireForBackups(ctx: DdbContext, name: string | undefined): TableRecord {
  const t = ctx.store.find(name ?? "");
  if (!t) throw ctx.errors.TableNotFoundException!(`Table not found: ${name}`);
  return t;
}

export const DescribeContinuousBackups: DdbHandler<DescribeContinuousBackupsInput, DescribeContinuousBackupsOutput> = (input, ctx) =>
  backups(requireForBackups(ctx, input.TableName), ctx);

export const UpdateContinuousBackups: DdbHandler<UpdateContinuousBackupsInput, UpdateContinuousBackupsOutput> = (input, ctx) => {
  const table = structuredClone(requireForBackups(ctx, input.TableName));
  table.pitr = input.PointInTimeRecoverySpecification!.PointInTimeRecoveryEnabled!;
  ctx.store.save(table);
  return backups(table, ctx);
};

function tableOfArn(ctx: DdbContext, arn: string | undefined): TableRecord {
  const t = arn?.startsWith("arn:") ? ctx.store.find(arn) : undefined;
  if (!t) {
    if (!arn?.startsWith("arn:")) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
    throw arnNotFound(arn);
  }
  return t;
}

export const TagResource: DdbHandler<TagResourceInput, object> = (input, ctx) => {
  const table = structuredClone(tableOfArn(ctx, input.ResourceArn));
  for (const tag of input.Tags ?? []) table.tags[tag.Key!] = tag.Value!;
  if (Object.keys(table.tags).length > DynamoDbLimits.maxTags) {
    throw limitExceeded(`The number of tags for resource ${table.arn} exceeds the limit of ${DynamoDbLimits.maxTags}`);
  }
  ctx.store.save(table);
  return {};
};

export const UntagResource: DdbHandler<UntagResourceInput, object> = (input, ctx) => {
  const table = structuredClone(tableOfArn(ctx, input.ResourceArn));
  for (const key of input.TagKeys ?? []) delete table.tags[key];
  ctx.store.save(table);
  return {};
};

export const ListTagsOfResource: DdbHandler<ListTagsOfResourceInput, ListTagsOfResourceOutput> = (input, ctx) => {
  const table = tableOfArn(ctx, input.ResourceArn);
  return { Tags: Object.entries(table.tags).map(([Key, Value]) => ({ Key, Value })) };
};

export const DescribeLimits: DdbHandler<DescribeLimitsInput, DescribeLimitsOutput> = () => ({
  AccountMaxReadCapacityUnits: DynamoDbLimits.accountMaxReadCapacityUnits,
  AccountMaxWriteCapacityUnits: DynamoDbLimits.accountMaxWriteCapacityUnits,
  TableMaxReadCapacityUnits: DynamoDbLimits.tableMaxReadCapacityUnits,
  TableMaxWriteCapacityUnits: DynamoDbLimits.tableMaxWriteCapacityUnits,
});

export const DescribeEndpoints: DdbHandler<DescribeEndpointsRequest, DescribeEndpointsResponse> = (_input, ctx) => ({
  Endpoints: [{ Address: ctx.http?.host ?? `dynamodb.${ctx.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }],
});
