import { validTimeZone } from "../../../engines/schedule-expressions/index.js";
import { schedulerErrors, scheduleNotFound, validation } from "../errors.js";
import { parseExpression } from "../firing.js";
import { page } from "../pagination.js";
import type { FlexibleTimeWindow, ScheduleRecord, Target } from "../records.js";
import type { SchedulerContext, SchedulerHandler } from "../types.js";

// Schedules: Create, Get, Update (a full replacement, as AWS's UpdateSchedule is),
// Delete, List. Creating or updating (re)arms the schedule on the clock (firing.ts).

interface ScheduleInput {
  Name: string;
  GroupName?: string;
  Description?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: Date;
  EndDate?: Date;
  State?: "ENABLED" | "DISABLED";
  FlexibleTimeWindow: FlexibleTimeWindow;
  Target: Target;
  ActionAfterCompletion?: "NONE" | "DELETE";
  KmsKeyArn?: string;
}

const START_DATE_GRACE_MS = 5 * 60_000;

function build(input: ScheduleInput, ctx: SchedulerContext, group: string, created: number | undefined): ScheduleRecord {
  // A new schedule's creation and last modification are the same instant (firing.ts
  // tells a schedule just created by it).
  const now = ctx.clock.now();
  const expression = parseExpression({ scheduleExpression: input.ScheduleExpression });
  if (!expression) throw validation(`Invalid Schedule Expression ${input.ScheduleExpression}.`);
  const zone = input.ScheduleExpressionTimezone;
  if (zone !== undefined && !validTimeZone(zone)) throw validation(`Invalid time zone: ${zone}.`);
  const window = input.FlexibleTimeWindow;
  if (window.Mode === "FLEXIBLE" && window.MaximumWindowInMinutes === undefined) {
    throw validation("MaximumWindowInMinutes is required when FlexibleTimeWindow Mode is FLEXIBLE.");
  }
  if (window.Mode === "OFF" && window.MaximumWindowInMinutes !== undefined) {
    throw validation("MaximumWindowInMinutes is not allowed when FlexibleTimeWindow Mode is OFF.");
  }
  const start = input.StartDate ? new Date(input.StartDate).getTime() : undefined;
  const end = input.EndDate ? new Date(input.EndDate).getTime() : undefined;
  // A recurring schedule cannot start in the past (AWS's answer to CreateSchedule and
  // UpdateSchedule, as users report it; a one-time schedule ignores its StartDate).
  if (start !== undefined && expression.kind !== "at" && start < now - START_DATE_GRACE_MS) {
    throw validation("The StartDate you specify cannot be earlier than 5 minutes ago.");
  }
  if (start !== undefined && end !== undefined && end <= start) throw validation("The EndDate must be after the StartDate.");
  if (end !== undefined && end <= now) throw validation("The EndDate must be in the future.");
  return {
    name: input.Name, groupName: group, arn: ctx.store.scheduleArn(group, input.Name),
    scheduleExpression: input.ScheduleExpression, state: input.State ?? "ENABLED",
    flexibleTimeWindow: window, target: input.Target, creationDate: created ?? now, lastModificationDate: now,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(zone !== undefined ? { scheduleExpressionTimezone: zone } : {}),
    ...(start !== undefined ? { startDate: start } : {}),
    ...(end !== undefined ? { endDate: end } : {}),
    ...(input.ActionAfterCompletion !== undefined ? { actionAfterCompletion: input.ActionAfterCompletion } : {}),
    ...(input.KmsKeyArn !== undefined ? { kmsKeyArn: input.KmsKeyArn } : {}),
  };
}

export const CreateSchedule: SchedulerHandler<ScheduleInput, { ScheduleArn: string }> = (input, ctx) => {
  const group = ctx.store.requireGroup(input.GroupName);
  if (ctx.store.schedule(group.name, input.Name)) throw schedulerErrors().ConflictException(`Schedule ${input.Name} already exists.`);
  const schedule = build(input, ctx, group.name, undefined);
  ctx.store.saveSchedule(schedule);
  return { ScheduleArn: schedule.arn };
};

export const UpdateSchedule: SchedulerHandler<ScheduleInput, { ScheduleArn: string }> = (input, ctx) => {
  const existing = ctx.store.requireSchedule(input.GroupName, input.Name);
  const schedule = build(input, ctx, existing.groupName, existing.creationDate);
  ctx.store.saveSchedule(schedule);
  return { ScheduleArn: schedule.arn };
};

/** A target as GetSchedule reports it: with its RetryPolicy's defaults (24 hours, 185
 *  retries) when none was given, which is what firing.ts applies; tools such as
 *  Terraform's read them back. */
function reportedTarget(target: Target): Target {
  const retry = target.RetryPolicy ?? {};
  return { ...target, RetryPolicy: { MaximumEventAgeInSeconds: retry.MaximumEventAgeInSeconds ?? 86_400, MaximumRetryAttempts: retry.MaximumRetryAttempts ?? 185 } };
}

export const GetSchedule: SchedulerHandler<{ Name: string; GroupName?: string }, Record<string, unknown>> = (input, ctx) => {
  const s = ctx.store.requireSchedule(input.GroupName, input.Name);
  return {
    Arn: s.arn, Name: s.name, GroupName: s.groupName,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    ScheduleExpression: s.scheduleExpression,
    ...(s.scheduleExpressionTimezone !== undefined ? { ScheduleExpressionTimezone: s.scheduleExpressionTimezone } : {}),
    ...(s.startDate !== undefined ? { StartDate: new Date(s.startDate) } : {}),
    ...(s.endDate !== undefined ? { EndDate: new Date(s.endDate) } : {}),
    State: s.state, FlexibleTimeWindow: s.flexibleTimeWindow, Target: reportedTarget(s.target),
    ...(s.actionAfterCompletion !== undefined ? { ActionAfterCompletion: s.actionAfterCompletion } : {}),
    ...(s.kmsKeyArn !== undefined ? { KmsKeyArn: s.kmsKeyArn } : {}),
    CreationDate: new Date(s.creationDate), LastModificationDate: new Date(s.lastModificationDate),
  };
};

export const DeleteSchedule: SchedulerHandler<{ Name: string; GroupName?: string }, object> = (input, ctx) => {
  const group = ctx.store.requireGroup(input.GroupName);
  const schedule = ctx.store.schedule(group.name, input.Name);
  if (!schedule) throw scheduleNotFound(input.Name);
  ctx.store.deleteSchedule(schedule);
  return {};
};

interface ListSchedulesInput {
  GroupName?: string;
  NamePrefix?: string;
  State?: string;
  MaxResults?: number;
  NextToken?: string;
}

export const ListSchedules: SchedulerHandler<ListSchedulesInput, Record<string, unknown>> = (input, ctx) => {
  if (input.GroupName !== undefined) ctx.store.requireGroup(input.GroupName);
  const schedules = ctx.store.schedulesOf(input.GroupName)
    .filter((s) => (!input.NamePrefix || s.name.startsWith(input.NamePrefix)) && (!input.State || s.state === input.State));
  const { items, next } = page(schedules, (s) => `${s.groupName}\n${s.name}`, input.MaxResults, input.NextToken);
  return {
    Schedules: items.map((s) => ({
      Arn: s.arn, Name: s.name, GroupName: s.groupName, State: s.state, Target: { Arn: s.target.Arn },
      CreationDate: new Date(s.creationDate), LastModificationDate: new Date(s.lastModificationDate),
    })),
    ...(next ? { NextToken: next } : {}),
  };
};
