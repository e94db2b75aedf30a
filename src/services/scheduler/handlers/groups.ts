import { schedulerErrors, groupNotFound, validation } from "../errors.js";
import { page } from "../pagination.js";
import type { GroupRecord, Tag } from "../records.js";
import type { SchedulerContext, SchedulerHandler } from "../types.js";

// Schedule groups (the default one always exists) and their tags: in EventBridge
// Scheduler only groups are taggable.

function view(g: GroupRecord) {
  return { Arn: g.arn, Name: g.name, State: g.state, CreationDate: new Date(g.creationDate), LastModificationDate: new Date(g.lastModificationDate) };
}

export const CreateScheduleGroup: SchedulerHandler<{ Name: string; Tags?: Tag[] }, { ScheduleGroupArn: string }> = (input, ctx) => {
  if (ctx.store.group(input.Name)) throw schedulerErrors().ConflictException(`Schedule group ${input.Name} already exists.`);
  const now = ctx.clock.now();
  const tags: Record<string, string> = {};
  for (const t of input.Tags ?? []) tags[t.Key ?? ""] = t.Value ?? "";
  const group: GroupRecord = { name: input.Name, arn: ctx.store.groupArn(input.Name), state: "ACTIVE", creationDate: now, lastModificationDate: now, tags };
  ctx.store.saveGroup(group);
  return { ScheduleGroupArn: group.arn };
};

export const GetScheduleGroup: SchedulerHandler<{ Name: string }, Record<string, unknown>> = (input, ctx) => {
  return view(ctx.store.requireGroup(input.Name));
};

export const ListScheduleGroups: SchedulerHandler<{ NamePrefix?: string; MaxResults?: number; NextToken?: string }, Record<string, unknown>> = (input, ctx) => {
  const groups = ctx.store.allGroups().filter((g) => !input.NamePrefix || g.name.startsWith(input.NamePrefix));
  const { items, next } = page(groups, (g) => g.name, input.MaxResults, input.NextToken);
  return { ScheduleGroups: items.map(view), ...(next ? { NextToken: next } : {}) };
};

export const DeleteScheduleGroup: SchedulerHandler<{ Name: string }, object> = (input, ctx) => {
  if (input.Name === "default") throw validation("The default schedule group cannot be deleted.");
  ctx.store.requireGroup(input.Name);
  // AWS deletes the group's schedules with it.
  ctx.store.deleteGroup(input.Name);
  return {};
};

function groupByArn(arn: string, ctx: SchedulerContext): GroupRecord {
  const name = arn.split(":schedule-group/")[1];
  const group = name === undefined ? undefined : ctx.store.group(name);
  if (!group || group.arn !== arn) throw groupNotFound(name ?? arn);
  return group;
}

export const TagResource: SchedulerHandler<{ ResourceArn: string; Tags: Tag[] }, object> = (input, ctx) => {
  const group = groupByArn(input.ResourceArn, ctx);
  for (const t of input.Tags ?? []) group.tags[t.Key ?? ""] = t.Value ?? "";
  ctx.store.saveGroup(group);
  return {};
};

export const UntagResource: SchedulerHandler<{ ResourceArn: string; TagKeys: string[] }, object> = (input, ctx) => {
  const group = groupByArn(input.ResourceArn, ctx);
  for (const k of input.TagKeys ?? []) delete group.tags[k];
  ctx.store.saveGroup(group);
  return {};
};

export const ListTagsForResource: SchedulerHandler<{ ResourceArn: string }, { Tags: Tag[] }> = (input, ctx) => {
  const group = groupByArn(input.ResourceArn, ctx);
  return { Tags: Object.entries(group.tags).map(([Key, Value]) => ({ Key, Value })) };
};
