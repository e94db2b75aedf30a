import { pageAfterKey, type Page } from "../../platform/pagination.js";
import { invalidParameter } from "./errors.js";

// NextToken for ListTopics and ListSubscriptions(ByTopic): the last key answered,
// opaque to clients; keys are sorted, so a token stays valid across changes.

export function page(keys: string[], size: number, token: string | undefined): Page<string> {
  return pageAfterKey(keys, (key) => key, size, token || undefined, () => invalidParameter("NextToken"));
}
