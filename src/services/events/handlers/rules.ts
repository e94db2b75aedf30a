import type {
  DeleteRuleRequest, DescribeRuleRequest, DescribeRuleResponse, DisableRuleRequest, EnableRuleRequest,
  ListRuleNamesByTargetRequest, ListRuleNamesByTargetResponse, ListRulesRequest, ListRulesResponse, PutRuleRequest,
  PutRuleResponse, Rule, TestEventPatternRequest, TestEventPatternResponse,
} from "@aws-sdk/client-eventbridge";
import { matchPattern } from "../../../engines/event-patterns/index.js";
import { eventsErrors, validation } from "../errors.js";
import { page, tagMap } from "../pagination.js";
import { compilePattern } from "../pattern.js";
import type { RuleRecord } from "../records.js";
import { validateScheduleExpression } from "../schedule.js";
import type { EventsHandler } from "../types.js";

// Rules: PutRule (create or update, keeping targets), Describe/List, Enable/Disable,
// DeleteRule (only once its targets are removed), ListRuleNamesByTarget, TestEventPattern.

function view(rule: RuleRecord): Rule & DescribeRuleResponse {
  return {
    Name: rule.name, Arn: rule.arn,
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
    State: rule.state,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
    ...(rule.managedBy !== undefined ? { ManagedBy: rule.managedBy } : {}),
    EventBusName: rule.busName,
  };
}

export const PutRule: EventsHandler<PutRuleRequest, PutRuleResponse> = (input, ctx) => {
  const bus = ctx.store.requireBus(input.EventBusName);
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
    throw validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  }
  if (input.ScheduleExpression !== undefined) {
    if (bus.name !== "default") throw validation("ScheduleExpression is supported only on the default event bus.");
    validateScheduleExpression(input.ScheduleExpression);
  }
  if (input.EventPattern !== undefined) compilePattern(input.EventPattern);
  const name = input.Name!;
  const existing = ctx.store.rule(bus.name, name);
  const rule: RuleRecord = {
    name, busName: bus.name, arn: ctx.store.ruleArn(bus.name, name),
    state: (input.State as RuleRecord["state"] | undefined) ?? "ENABLED",
    createdBy: ctx.account,
    tags: { ...(existing?.tags ?? {}), ...tagMap(input.Tags) },
    targets: existing?.targets ?? [],
    ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
    ...(input.ScheduleExpression !== undefined ? { scheduleExpression: input.ScheduleExpression } : {}),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
  };
  ctx.store.saveRule(rule);
  return { RuleArn: rule.arn };
};

export const DescribeRule: EventsHandler<DescribeRuleRequest, DescribeRuleResponse> = (input, ctx) => {
  const rule = ctx.store.requireRule(input.EventBusName, input.Name!);
  return { ...view(rule), CreatedBy: rule.createdBy };
};

export const ListRules: EventsHandler<ListRulesRequest, ListRulesResponse> = (input, ctx) => {
  const bus = ctx.store.requireBus(input.EventBusName);
  const rules = ctx.store.rulesOf(bus.name).filter((r) => !input.NamePrefix || r.name.startsWith(input.NamePrefix));
  const { items, next } = page(rules, (r) => r.name, input.Limit, input.NextToken);
  return { Rules: items.map(view), ...(next ? { NextToken: next } : {}) };
};

function setState(state: RuleRecord["state"]): EventsHandler<EnableRuleRequest | DisableRuleRequest, object> {
  return (input, ctx) => {
    const rule = ctx.store.requireRule(input.EventBusName, input.Name!);
    if (rule.managedBy) throw eventsErrors().ManagedRuleException(`Rule ${rule.name} is managed by ${rule.managedBy} and cannot be modified.`);
    rule.state = state;
    ctx.store.saveRule(rule);
    return {};
  };
}

export const EnableRule = setState("ENABLED");
export const DisableRule = setState("DISABLED");

export const DeleteRule: EventsHandler<DeleteRuleRequest, object> = (input, ctx) => {
  const bus = ctx.store.busName(input.EventBusName);
  const rule = ctx.store.rule(bus, input.Name!);
  // Deleting a rule that does not exist succeeds, as on AWS.
  if (!rule) return {};
  if (rule.targets.length > 0) throw validation("Rule can't be deleted since it has targets.");
  ctx.store.deleteRule(rule);
  return {};
};

export const ListRuleNamesByTarget: EventsHandler<ListRuleNamesByTargetRequest, ListRuleNamesByTargetResponse> = (input, ctx) => {
  const bus = ctx.store.requireBus(input.EventBusName);
  const rules = ctx.store.rulesTargeting(bus.name, input.TargetArn!);
  const { items, next } = page(rules, (r) => r.name, input.Limit, input.NextToken);
  return { RuleNames: items.map((r) => r.name), ...(next ? { NextToken: next } : {}) };
};

const EVENT_FIELDS = ["id", "account", "source", "time", "region", "detail-type"];

export const TestEventPattern: EventsHandler<TestEventPatternRequest, TestEventPatternResponse> = (input) => {
  const pattern = compilePattern(input.EventPattern!);
  let event: unknown;
  try {
    event = JSON.parse(input.Event!);
  } catch {
    throw validation("Parameter Event is not valid.");
  }
  if (!event || typeof event !== "object" || Array.isArray(event) || EVENT_FIELDS.some((f) => !(f in (event as object)))) {
    throw validation("Parameter Event is not valid.");
  }
  return { Result: matchPattern(pattern, event as Record<string, unknown>) };
};
