import type {
  CreateQueueRequest, CreateQueueResult, DeleteQueueRequest, GetQueueAttributesRequest, GetQueueAttributesResult,
  GetQueueUrlRequest, GetQueueUrlResult, ListDeadLetterSourceQueuesRequest, ListDeadLetterSourceQueuesResult,
  ListQueuesRequest, ListQueuesResult, PurgeQueueRequest, SetQueueAttributesRequest,
} from "@aws-sdk/client-sqs";
import { invalidParameter, invalidParameterValue, missingParameter, queueDoesNotExist, sqsErrors } from "../errors.js";
import { SqsLimits } from "../limits.js";
import { checkThroughputPairing, defaultAttributes, parseRedrivePolicy, validateAttributes } from "../queue-attributes.js";
import { KNOWN_ATTRIBUTES, queueAttributes, urlOf } from "../views.js";
import { queueUrl, type SqsStore } from "../store.js";
import type { SqsHandler } from "../types.js";

// Queue lifecycle and attributes (CreateQueue, GetQueueUrl, ListQueues, DeleteQueue,
// Get/SetQueueAttributes, PurgeQueue, ListDeadLetterSourceQueues), as the SQS API
// reference describes them.

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export const CreateQueue: SqsHandler<CreateQueueRequest, CreateQueueResult> = (input, ctx) => {
  const name = input.QueueName;
  if (name === undefined) throw missingParameter("QueueName");
  const given: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.Attributes ?? {})) given[k] = String(v);
  const fifo = given.FifoQueue === "true";
  if (fifo && !FIFO_NAME.test(name)) {
    throw invalidParameterValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.");
  }
  if (!fifo && !STANDARD_NAME.test(name)) {
    throw invalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }
  validateAttributes(given, fifo, true);
  if (fifo) checkThroughputPairing({ ...defaultAttributes(true), ...given });
  checkRedriveTarget(ctx.store, given.RedrivePolicy, fifo, ctx.store.arnOf(name));
  const existing = ctx.store.get(name);
  if (existing) {
    // Idempotent: the same name with the same attributes answers the existing queue.
    const current: Record<string, string> = { ...defaultAttributes(existing.fifo), ...existing.record.attributes, FifoQueue: String(existing.fifo) };
    for (const [k, v] of Object.entries(given)) {
      if ((current[k] ?? "") !== v) throw sqsErrors().QueueNameExists(`A queue already exists with the same name and a different value for attribute ${k}`);
    }
    return { QueueUrl: urlOf(ctx, existing) };
  }
  const tags = input.tags ?? {};
  if (Object.keys(tags).length > SqsLimits.maxTags) throw invalidParameterValue(`Too many tags added for queue ${name}.`);
  const now = ctx.clock.now();
  const attributes = { ...defaultAttributes(fifo), ...given };
  delete attributes.FifoQueue;
  const queue = ctx.store.create({
    name, account: ctx.store.account, region: ctx.store.region, arn: ctx.store.arnOf(name), fifo, attributes, tags: { ...tags },
    createdAt: now, lastModifiedAt: now,
  });
  return { QueueUrl: urlOf(ctx, queue) };
};

function checkRedriveTarget(store: SqsStore, text: string | undefined, fifo: boolean, sourceArn: string): void {
  if (!text) return;
  const policy = parseRedrivePolicy(text);
  const target = store.byArn(policy.deadLetterTargetArn);
  if (!target) throw invalidParameter("RedrivePolicy", text, "Dead letter target does not exist.");
  if (target.fifo !== fifo) throw invalidParameter("RedrivePolicy", text, "Dead-letter queue must be same type of queue as the source.");
  // The dead-letter queue's RedriveAllowPolicy decides which queues may use it.
  if (!target.allowsSource(sourceArn)) {
    throw invalidParameter("RedrivePolicy", text, `Queue ${sourceArn} is not allowed to use ${target.arn} as its dead-letter queue by its RedriveAllowPolicy.`);
  }
}

export const GetQueueUrl: SqsHandler<GetQueueUrlRequest, GetQueueUrlResult> = (input, ctx) => {
  if (input.QueueName === undefined) throw missingParameter("QueueName");
  if (input.QueueOwnerAWSAccountId && input.QueueOwnerAWSAccountId !== ctx.store.account) throw queueDoesNotExist();
  const queue = ctx.store.get(input.QueueName);
  if (!queue) throw queueDoesNotExist();
  return { QueueUrl: urlOf(ctx, queue) };
};

/** NextToken: the last name answered, opaque to clients. */
const encodeToken = (name: string) => Buffer.from(JSON.stringify({ after: name })).toString("base64");
function decodeToken(token: string): string {
  try {
    const after = JSON.parse(Buffer.from(token, "base64").toString("utf8")).after;
    if (typeof after === "string") return after;
  } catch {
    // fall through
  }
  throw invalidParameterValue("Invalid or expired next token.");
}

function page(names: string[], maxResults: number | undefined, nextToken: string | undefined): { names: string[]; next?: string } {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > SqsLimits.maxListResults)) {
    throw invalidParameter("MaxResults", maxResults, "MaxResults must be an integer between 1 and 1000.");
  }
  const after = nextToken ? decodeToken(nextToken) : undefined;
  const rest = after === undefined ? names : names.filter((n) => n > after);
  const limit = maxResults ?? SqsLimits.maxListResults;
  const shown = rest.slice(0, limit);
  // Without MaxResults, AWS answers at most 1000 and no token.
  const next = maxResults !== undefined && rest.length > limit ? encodeToken(shown[shown.length - 1]) : undefined;
  return { names: shown, next };
}

export const ListQueues: SqsHandler<ListQueuesRequest, ListQueuesResult> = (input, ctx) => {
  const prefix = input.QueueNamePrefix ?? "";
  const names = ctx.store.all().map((q) => q.name).filter((n) => n.startsWith(prefix)).sort();
  const { names: shown, next } = page(names, input.MaxResults, input.NextToken);
  const QueueUrls = shown.map((n) => queueUrl(ctx.http?.host, ctx.store.account, n));
  return { ...(QueueUrls.length ? { QueueUrls } : {}), ...(next ? { NextToken: next } : {}) };
};

export const ListDeadLetterSourceQueues: SqsHandler<ListDeadLetterSourceQueuesRequest, ListDeadLetterSourceQueuesResult> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  const names = ctx.store.all().filter((q) => q.redrivePolicy?.deadLetterTargetArn === queue.arn).map((q) => q.name).sort();
  const { names: shown, next } = page(names, input.MaxResults, input.NextToken);
  return { queueUrls: shown.map((n) => queueUrl(ctx.http?.host, ctx.store.account, n)), ...(next ? { NextToken: next } : {}) };
};

export const DeleteQueue: SqsHandler<DeleteQueueRequest, object> = (input, ctx) => {
  ctx.store.delete(ctx.store.requireQueue(input.QueueUrl));
  return {};
};

export const GetQueueAttributes: SqsHandler<GetQueueAttributesRequest, GetQueueAttributesResult> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  const names = (input.AttributeNames ?? []) as string[];
  for (const name of names) if (name !== "All" && !KNOWN_ATTRIBUTES.has(name)) throw sqsErrors().InvalidAttributeName(`Unknown Attribute ${name}.`);
  const Attributes = queueAttributes(queue, names);
  return Object.keys(Attributes).length ? { Attributes } : {};
};

export const SetQueueAttributes: SqsHandler<SetQueueAttributesRequest, object> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  const given: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.Attributes ?? {})) given[k] = String(v);
  validateAttributes(given, queue.fifo, false);
  if (queue.fifo) checkThroughputPairing({ ...queue.record.attributes, ...given });
  checkRedriveTarget(ctx.store, given.RedrivePolicy, queue.fifo, queue.arn);
  delete given.FifoQueue;
  Object.assign(queue.record.attributes, given);
  for (const [k, v] of Object.entries(given)) if (v === "" && (k === "Policy" || k === "RedrivePolicy" || k === "RedriveAllowPolicy")) delete queue.record.attributes[k];
  queue.record.lastModifiedAt = ctx.clock.now();
  ctx.store.save(queue);
  // A shorter delay or a new visibility does not move messages already hidden (AWS applies them to new ones).
  queue.notify();
  return {};
};

export const PurgeQueue: SqsHandler<PurgeQueueRequest, object> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  const now = ctx.clock.now();
  const last = queue.record.lastPurgeAt;
  if (last !== undefined && now - last < SqsLimits.purgeIntervalMs) {
    throw sqsErrors().PurgeQueueInProgress(`Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`);
  }
  queue.purge();
  queue.record.lastPurgeAt = now;
  ctx.store.save(queue);
  return {};
};
