import type { AddPermissionInput, RemovePermissionInput } from "@aws-sdk/client-sns";
import { invalidParameter } from "../errors.js";
import { defaultTopicPolicy } from "../topic-attributes.js";
import type { SnsHandler } from "../types.js";

// AddPermission and RemovePermission edit the topic's Policy attribute: a statement
// per label, Sid the label, Principal {"AWS": account root ARN(s)}, Action "SNS:<name>"
// (a string for one, a list for several), Resource the topic. A topic without a Policy
// of its own starts from the default one AWS writes. Removing an unknown label
// succeeds (RemovePermission API reference lists no error for it).

const ACTIONS = new Set([
  "GetTopicAttributes", "SetTopicAttributes", "AddPermission", "RemovePermission", "DeleteTopic", "Subscribe",
  "ListSubscriptionsByTopic", "Publish", "Receive", "*",
]);

interface Statement {
  Sid?: string;
  [key: string]: unknown;
}

const one = <T>(list: T[]): T | T[] => (list.length === 1 ? list[0] : list);

function readPolicy(text: string): { Statement: Statement[]; [key: string]: unknown } {
  const parsed = JSON.parse(text);
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  return { ...parsed, Statement: statements };
}

export const AddPermission: SnsHandler<AddPermissionInput, object> = (input, ctx) => {
  const topic = ctx.store.requireTopic(input.TopicArn);
  const label = input.Label ?? "";
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) throw invalidParameter("Label");
  const accounts = input.AWSAccountId ?? [];
  const actions = input.ActionName ?? [];
  if (accounts.length === 0) throw invalidParameter("AWSAccountId");
  if (actions.length === 0) throw invalidParameter("ActionName");
  for (const action of actions) if (!ACTIONS.has(action)) throw invalidParameter("Policy statement action out of service scope!");
  const policy = readPolicy(topic.attributes.Policy ?? defaultTopicPolicy(topic.arn, ctx.store.account));
  if (policy.Statement.some((s) => s.Sid === label)) throw invalidParameter("Statement already exists");
  policy.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: one(accounts.map((a) => (/^\d{12}$/.test(a) ? `arn:aws:iam::${a}:root` : a))) },
    Action: one(actions.map((a) => `SNS:${a}`)),
    Resource: topic.arn,
  });
  topic.attributes.Policy = JSON.stringify(policy);
  ctx.store.saveTopic(topic);
  return {};
};

export const RemovePermission: SnsHandler<RemovePermissionInput, object> = (input, ctx) => {
  const topic = ctx.store.requireTopic(input.TopicArn);
  if (!input.Label) throw invalidParameter("Label");
  const policy = readPolicy(topic.attributes.Policy ?? defaultTopicPolicy(topic.arn, ctx.store.account));
  const kept = policy.Statement.filter((s) => s.Sid !== input.Label);
  if (kept.length !== policy.Statement.length) {
    topic.attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
    ctx.store.saveTopic(topic);
  }
  return {};
};
