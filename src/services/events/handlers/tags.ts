import type {
  ListTagsForResourceRequest, ListTagsForResourceResponse, TagResourceRequest, UntagResourceRequest,
} from "@aws-sdk/client-eventbridge";
import { eventsErrors } from "../errors.js";
import { tagList, tagMap } from "../pagination.js";
import type { EventsContext, EventsHandler } from "../types.js";

// Tags on event buses and rules, by ARN.

function resource(arn: string, ctx: EventsContext) {
  const found = ctx.store.taggable(arn);
  if (!found) {
    const name = arn.split("/").pop() ?? arn;
    throw eventsErrors().ResourceNotFoundException(arn.includes(":rule/") ? `Rule ${name} does not exist on EventBus default.` : `Event bus ${name} does not exist.`);
  }
  return found;
}

export const TagResource: EventsHandler<TagResourceRequest, object> = (input, ctx) => {
  const r = resource(input.ResourceARN!, ctx);
  r.tags = { ...r.tags, ...tagMap(input.Tags) };
  ctx.store.saveTaggable(r);
  return {};
};

export const UntagResource: EventsHandler<UntagResourceRequest, object> = (input, ctx) => {
  const r = resource(input.ResourceARN!, ctx);
  for (const key of input.TagKeys ?? []) delete r.tags[key];
  ctx.store.saveTaggable(r);
  return {};
};

export const ListTagsForResource: EventsHandler<ListTagsForResourceRequest, ListTagsForResourceResponse> = (input, ctx) => {
  return { Tags: tagList(resource(input.ResourceARN!, ctx).tags) };
};
