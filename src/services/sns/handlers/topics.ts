import type {
  CreateTopicInput, CreateTopicResponse, DeleteTopicInput, GetTopicAttributesInput, GetTopicAttributesResponse,
  ListTopicsInput, ListTopicsResponse, SetTopicAttributesInput,
} from "@aws-sdk/client-sns";
import { checkArnParameter, invalidParameter } from "../errors.js";
import { SnsLimits } from "../limits.js";
import { page } from "../pagination.js";
import { checkDataProtectionPolicy, topicAttributes, validateTopicAttribute } from "../topic-attributes.js";
import type { SnsHandler } from "../types.js";

// Topic lifecycle and attributes (CreateTopic, DeleteTopic, Get/SetTopicAttributes, ListTopics).

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export const CreateTopic: SnsHandler<CreateTopicInput, CreateTopicResponse> = (input, ctx) => {
  const name = input.Name;
  if (!name) throw invalidParameter("Topic Name");
  const given: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.Attributes ?? {})) given[k] = String(v);
  const fifo = given.FifoTopic === "true";
  if (fifo && !FIFO_NAME.test(name)) {
    throw invalidParameter("Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
  }
  if (!fifo && !STANDARD_NAME.test(name)) throw invalidParameter("Topic Name");
  delete given.FifoTopic;
  for (const [k, v] of Object.entries(given)) validateTopicAttribute(k, v, fifo);
  const tags: Record<string, string> = {};
  for (const t of input.Tags ?? []) tags[t.Key ?? ""] = t.Value ?? "";
  if (input.DataProtectionPolicy !== undefined) checkDataProtectionPolicy(input.DataProtectionPolicy);
  if (Object.keys(tags).length > SnsLimits.maxTags) throw ctx.errors.TagLimitExceededException("Could not complete request: tag quota of per resource exceeded");
  const existing = ctx.store.topic(name);
  if (existing) {
    // Idempotent: the same name answers the same ARN, unless the attributes or tags differ.
    for (const [k, v] of Object.entries(given)) {
      if ((existing.attributes[k] ?? "") !== v) throw invalidParameter("Attributes Reason: Topic already exists with different attributes");
    }
    for (const [k, v] of Object.entries(tags)) {
      if (existing.tags[k] !== v) throw invalidParameter("Tags Reason: Topic already exists with different tags");
    }
    return { TopicArn: existing.arn };
  }
  const arn = ctx.store.topicArn(name);
  ctx.store.saveTopic({
    name, arn, fifo, attributes: given, tags, subscriptionsDeleted: 0,
    ...(input.DataProtectionPolicy ? { dataProtectionPolicy: input.DataProtectionPolicy } : {}),
  });
  return { TopicArn: arn };
};

export const DeleteTopic: SnsHandler<DeleteTopicInput, object> = (input, ctx) => {
  // "This action is idempotent, so deleting a topic that does not exist does not
  // result in an error" (DeleteTopic API reference).
  checkArnParameter("TopicArn", input.TopicArn);
  const topic = ctx.store.topicByArn(input.TopicArn);
  if (topic) ctx.store.deleteTopic(topic);
  return {};
};

export const GetTopicAttributes: SnsHandler<GetTopicAttributesInput, GetTopicAttributesResponse> = (input, ctx) => {
  const topic = ctx.store.requireTopic(input.TopicArn);
  return { Attributes: topicAttributes(ctx.store, topic) };
};

export const SetTopicAttributes: SnsHandler<SetTopicAttributesInput, object> = (input, ctx) => {
  const topic = ctx.store.requireTopic(input.TopicArn);
  const name = input.AttributeName ?? "";
  const value = input.AttributeValue ?? "";
  if (name === "FifoTopic") throw invalidParameter("AttributeName");
  validateTopicAttribute(name, value, topic.fifo, "SetTopicAttributes");
  if (value === "" && name !== "DisplayName") delete topic.attributes[name];
  else topic.attributes[name] = value;
  ctx.store.saveTopic(topic);
  return {};
};

export const ListTopics: SnsHandler<ListTopicsInput, ListTopicsResponse> = (input, ctx) => {
  const arns = ctx.store.allTopics().map((t) => t.arn).sort();
  const { items, next } = page(arns, SnsLimits.topicsPerPage, input.NextToken);
  return { Topics: items.map((TopicArn) => ({ TopicArn })), ...(next ? { NextToken: next } : {}) };
};
