import type {
  GetDataProtectionPolicyInput, GetDataProtectionPolicyResponse, ListTagsForResourceRequest, ListTagsForResourceResponse,
  PutDataProtectionPolicyInput, TagResourceRequest, UntagResourceRequest,
} from "@aws-sdk/client-sns";
import { resourceNotFound, snsErrors } from "../errors.js";
import { checkDataProtectionPolicy } from "../topic-attributes.js";
import { SnsLimits } from "../limits.js";
import type { SnsContext, SnsHandler } from "../types.js";

// Tags and the data protection policy of a topic (stored and returned; not enforced).

function topicOf(ctx: SnsContext, arn: string | undefined) {
  const topic = ctx.store.topicByArn(arn);
  if (!topic) throw resourceNotFound();
  return topic;
}

export const TagResource: SnsHandler<TagResourceRequest, object> = (input, ctx) => {
  const topic = topicOf(ctx, input.ResourceArn);
  const tags = { ...topic.tags };
  for (const t of input.Tags ?? []) tags[t.Key ?? ""] = t.Value ?? "";
  if (Object.keys(tags).length > SnsLimits.maxTags) throw snsErrors().TagLimitExceededException("Could not complete request: tag quota of per resource exceeded");
  topic.tags = tags;
  ctx.store.saveTopic(topic);
  return {};
};

export const UntagResource: SnsHandler<UntagResourceRequest, object> = (input, ctx) => {
  const topic = topicOf(ctx, input.ResourceArn);
  for (const key of input.TagKeys ?? []) delete topic.tags[key];
  ctx.store.saveTopic(topic);
  return {};
};

export const ListTagsForResource: SnsHandler<ListTagsForResourceRequest, ListTagsForResourceResponse> = (input, ctx) => {
  const topic = topicOf(ctx, input.ResourceArn);
  return { Tags: Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value })) };
};

export const PutDataProtectionPolicy: SnsHandler<PutDataProtectionPolicyInput, object> = (input, ctx) => {
  const topic = ctx.store.requireTopic(input.ResourceArn, "ResourceArn");
  checkDataProtectionPolicy(input.DataProtectionPolicy ?? "");
  topic.dataProtectionPolicy = input.DataProtectionPolicy ?? "";
  ctx.store.saveTopic(topic);
  return {};
};

export const GetDataProtectionPolicy: SnsHandler<GetDataProtectionPolicyInput, GetDataProtectionPolicyResponse> = (input, ctx) => {
  const topic = ctx.store.requireTopic(input.ResourceArn, "ResourceArn");
  return topic.dataProtectionPolicy ? { DataProtectionPolicy: topic.dataProtectionPolicy } : {};
};
