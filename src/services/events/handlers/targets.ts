import type {
  ListTargetsByRuleRequest, ListTargetsByRuleResponse, PutTargetsRequest, PutTargetsResponse, PutTargetsResultEntry,
  RemoveTargetsRequest, RemoveTargetsResponse, Target,
} from "@aws-sdk/client-eventbridge";
import { eventsErrors } from "../errors.js";
import { validateTargetInput } from "../input-transform.js";
import { page } from "../pagination.js";
import type { EventsHandler } from "../types.js";

// PutTargets / RemoveTargets / ListTargetsByRule. A target entry AWS refuses on its own
// lands in FailedEntries; an input form it cannot read fails the whole call.

const MAX_TARGETS = 5;

function entryProblem(target: Target): string | undefined {
  const arn = target.Arn ?? "";
  if (!/^arn:aws[\w-]*:[\w-]+:/.test(arn)) return `Parameter ${arn} is not valid.`;
  const [, , service, , , resource] = arn.split(":");
  if (service === "sqs" && resource?.endsWith(".fifo") && !target.SqsParameters?.MessageGroupId) {
    return "The target of type 'SQS FIFO queue' must specify a message group id in SqsParameters.";
  }
  return undefined;
}

export const PutTargets: EventsHandler<PutTargetsRequest, PutTargetsResponse> = (input, ctx) => {
  const rule = ctx.store.requireRule(input.EventBusName, input.Rule!);
  if (rule.managedBy) throw eventsErrors().ManagedRuleException(`Rule ${rule.name} is managed by ${rule.managedBy} and cannot be modified.`);
  const targets = input.Targets ?? [];
  for (const t of targets) validateTargetInput(t);
  const ids = new Set([...rule.targets.map((t) => t.Id), ...targets.map((t) => t.Id)]);
  if (ids.size > MAX_TARGETS) throw eventsErrors().LimitExceededException("The requested resource exceeds the maximum number allowed.");
  const failed: PutTargetsResultEntry[] = [];
  for (const target of targets) {
    const problem = entryProblem(target);
    if (problem) {
      failed.push({ TargetId: target.Id, ErrorCode: "ValidationException", ErrorMessage: problem });
      continue;
    }
    const i = rule.targets.findIndex((t) => t.Id === target.Id);
    if (i >= 0) rule.targets[i] = target;
    else rule.targets.push(target);
  }
  ctx.store.saveRule(rule);
  return { FailedEntryCount: failed.length, FailedEntries: failed };
};

export const RemoveTargets: EventsHandler<RemoveTargetsRequest, RemoveTargetsResponse> = (input, ctx) => {
  const rule = ctx.store.requireRule(input.EventBusName, input.Rule!);
  if (rule.managedBy && !input.Force) throw eventsErrors().ManagedRuleException(`Rule ${rule.name} is managed by ${rule.managedBy} and cannot be modified.`);
  const remove = new Set(input.Ids ?? []);
  rule.targets = rule.targets.filter((t) => !remove.has(t.Id!));
  ctx.store.saveRule(rule);
  return { FailedEntryCount: 0, FailedEntries: [] };
};

export const ListTargetsByRule: EventsHandler<ListTargetsByRuleRequest, ListTargetsByRuleResponse> = (input, ctx) => {
  const rule = ctx.store.requireRule(input.EventBusName, input.Rule!);
  const indexed = rule.targets.map((t, i) => ({ t, key: String(i).padStart(4, "0") }));
  const { items, next } = page(indexed, (x) => x.key, input.Limit, input.NextToken);
  return { Targets: items.map((x) => x.t), ...(next ? { NextToken: next } : {}) };
};
