import type { AddPermissionRequest, RemovePermissionRequest } from "@aws-sdk/client-sqs";
import { invalidParameter, invalidParameterValue, missingParameter, sqsErrors } from "../errors.js";
import type { SqsHandler } from "../types.js";

// AddPermission and RemovePermission edit the queue's Policy attribute, one statement
// per label, as SQS writes it: Id "<queue arn>/SQSDefaultPolicy", Sid the label,
// Principal {"AWS": account root ARN(s)}, Action "SQS:<name>" (a string when there is
// one, a list otherwise), Resource the queue ARN. The batch actions are covered by
// their single forms, so the API takes only these names (AddPermission API reference).

const ACTIONS = new Set([
  "*", "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl",
  "ListDeadLetterSourceQueues", "PurgeQueue", "ListQueueTags",
]);
const MAX_ACTIONS = 7;
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;

interface Statement {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource: string;
}

interface Policy {
  Version: string;
  Id: string;
  Statement: Statement[];
}

const one = <T>(list: T[]): T | T[] => (list.length === 1 ? list[0] : list);

export const AddPermission: SqsHandler<AddPermissionRequest, object> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  const label = input.Label;
  if (label === undefined) throw missingParameter("Label");
  if (!LABEL.test(label)) {
    throw invalidParameter("Label", label, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }
  const accounts = input.AWSAccountIds ?? [];
  if (accounts.length === 0) throw missingParameter("AWSAccountIds");
  const actions = input.Actions ?? [];
  if (actions.length === 0) throw missingParameter("Actions");
  if (actions.length > MAX_ACTIONS) throw sqsErrors().OverLimit(`${actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`);
  for (const action of actions) {
    if (!ACTIONS.has(action)) {
      throw invalidParameter("ActionName", `SQS:${action}`, "Only the queue owner is allowed to invoke this action.");
    }
  }
  for (const account of accounts) if (!/^\d{12}$/.test(account)) throw invalidParameterValue(`Value [${account}] for parameter PrincipalId is invalid. Reason: Unable to verify.`);
  const policy = readPolicy(queue.attribute("Policy"), queue.arn);
  if (policy.Statement.some((s) => s.Sid === label)) throw invalidParameter("Label", label, "Already exists.");
  policy.Statement.push({
    Sid: label,
    Effect: "Allow",
    Principal: { AWS: one(accounts.map((a) => `arn:aws:iam::${a}:root`)) },
    Action: one(actions.map((a) => `SQS:${a}`)),
    Resource: queue.arn,
  });
  queue.record.attributes.Policy = JSON.stringify(policy);
  queue.record.lastModifiedAt = ctx.clock.now();
  ctx.store.save(queue);
  return {};
};

export const RemovePermission: SqsHandler<RemovePermissionRequest, object> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  const label = input.Label;
  if (label === undefined) throw missingParameter("Label");
  const policy = readPolicy(queue.attribute("Policy"), queue.arn);
  const kept = policy.Statement.filter((s) => s.Sid !== label);
  if (kept.length === policy.Statement.length) throw invalidParameter("Label", label, "can't find label on existing policy.");
  // The last statement gone, the queue has no policy at all (GetQueueAttributes omits it).
  if (kept.length === 0) delete queue.record.attributes.Policy;
  else queue.record.attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
  queue.record.lastModifiedAt = ctx.clock.now();
  ctx.store.save(queue);
  return {};
};

/** The queue's policy to add to: the one set (by SetQueueAttributes or AddPermission), or a new one. */
function readPolicy(text: string | undefined, queueArn: string): Policy {
  const fresh: Policy = { Version: "2012-10-17", Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
  if (!text) return fresh;
  try {
    const parsed = JSON.parse(text);
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
    return { ...fresh, ...parsed, Statement: statements };
  } catch {
    return fresh;
  }
}
