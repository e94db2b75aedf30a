import { invalidParameter } from "../errors.js";
import { LogsLimits } from "../limits.js";
import { page } from "../pagination.js";
import type { GroupRecord, LogsStore } from "../store.js";
import type { LogsHandler } from "../types.js";

// Log groups: create, describe (prefix or pattern, pages), delete, retention.

interface CreateLogGroupRequest {
  logGroupName: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  logGroupClass?: string;
}

export const CreateLogGroup: LogsHandler<CreateLogGroupRequest, Record<string, never>> = (input, ctx) => {
  ctx.store.createGroup({
    name: input.logGroupName,
    creationTime: ctx.clock.now(),
    kmsKeyId: input.kmsKeyId,
    logGroupClass: input.logGroupClass ?? "STANDARD",
    tags: input.tags ?? {},
  });
  return {};
};

interface DescribeLogGroupsRequest {
  logGroupNamePrefix?: string;
  logGroupNamePattern?: string;
  logGroupClass?: string;
  nextToken?: string;
  limit?: number;
}

export function groupView(store: LogsStore, group: GroupRecord) {
  const arn = store.groupArn(group.name);
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    ...(group.retentionInDays !== undefined ? { retentionInDays: group.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: store.storedBytes(group),
    ...(group.kmsKeyId ? { kmsKeyId: group.kmsKeyId } : {}),
    logGroupClass: group.logGroupClass,
    logGroupArn: arn,
  };
}

export const DescribeLogGroups: LogsHandler<DescribeLogGroupsRequest, unknown> = (input, ctx) => {
  const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern } = input;
  if (prefix !== undefined && pattern !== undefined) {
    throw invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  }
  const store = ctx.store;
  const matching = store.groups().filter(
    (g) =>
      (prefix === undefined || g.name.startsWith(prefix)) &&
      (pattern === undefined || g.name.toLowerCase().includes(pattern.toLowerCase())) &&
      (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass),
  );
  const { items, nextToken } = page(matching, input.nextToken, input.limit, LogsLimits.describePage);
  for (const group of items) store.applyRetention(group);
  return { logGroups: items.map((g) => groupView(store, g)), ...(nextToken ? { nextToken } : {}) };
};

export const DeleteLogGroup: LogsHandler<{ logGroupName: string }, Record<string, never>> = (input, ctx) => {
  ctx.store.deleteGroupNamed(input.logGroupName);
  return {};
};

export const PutRetentionPolicy: LogsHandler<{ logGroupName: string; retentionInDays: number }, Record<string, never>> = (input, ctx) => {
  const allowed: readonly number[] = LogsLimits.retentionDays;
  if (!allowed.includes(input.retentionInDays)) {
    // AWS's wording: the generic validation message with the enum of days.
    throw invalidParameter(
      `1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${allowed.join(", ")}]`,
    );
  }
  const group = ctx.store.requireGroup({ logGroupName: input.logGroupName });
  ctx.store.saveGroup({ ...group, retentionInDays: input.retentionInDays });
  return {};
};

export const DeleteRetentionPolicy: LogsHandler<{ logGroupName: string }, Record<string, never>> = (input, ctx) => {
  const group = ctx.store.requireGroup({ logGroupName: input.logGroupName });
  const { retentionInDays: _dropped, ...rest } = group;
  ctx.store.saveGroup(rest);
  return {};
};

export const ListTagsLogGroup: LogsHandler<{ logGroupName: string }, { tags: Record<string, string> }> = (input, ctx) => {
  return { tags: ctx.store.requireGroup({ logGroupName: input.logGroupName }).tags };
};

export const TagLogGroup: LogsHandler<{ logGroupName: string; tags: Record<string, string> }, Record<string, never>> = (input, ctx) => {
  const group = ctx.store.requireGroup({ logGroupName: input.logGroupName });
  ctx.store.saveGroup({ ...group, tags: { ...group.tags, ...input.tags } });
  return {};
};
