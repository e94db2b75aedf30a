import type { ListQueueTagsRequest, ListQueueTagsResult, TagQueueRequest, UntagQueueRequest } from "@aws-sdk/client-sqs";
import { invalidParameterValue } from "../errors.js";
import { SqsLimits } from "../limits.js";
import type { SqsHandler } from "../types.js";

// Queue tags: at most 50 per queue ("Amazon SQS quotas"); keys are case-sensitive.

export const TagQueue: SqsHandler<TagQueueRequest, object> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  const tags = { ...queue.record.tags, ...(input.Tags ?? {}) };
  if (Object.keys(input.Tags ?? {}).length === 0) throw invalidParameterValue("The request must contain a non-empty map of tags.");
  if (Object.keys(tags).length > SqsLimits.maxTags) throw invalidParameterValue(`Too many tags added for queue ${queue.name}.`);
  queue.record.tags = tags;
  ctx.store.save(queue);
  return {};
};

export const UntagQueue: SqsHandler<UntagQueueRequest, object> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  if ((input.TagKeys ?? []).length === 0) throw invalidParameterValue("The request must contain a non-empty list of tag keys.");
  for (const key of input.TagKeys ?? []) delete queue.record.tags[key];
  ctx.store.save(queue);
  return {};
};

export const ListQueueTags: SqsHandler<ListQueueTagsRequest, ListQueueTagsResult> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  return Object.keys(queue.record.tags).length ? { Tags: { ...queue.record.tags } } : {};
};
