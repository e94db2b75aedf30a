import { invalidParameter } from "./errors.js";

// NextToken for ListTopics and ListSubscriptions(ByTopic): the last key answered,
// opaque to clients; keys are sorted, so a token stays valid across changes.

export function page(keys: string[], size: number, token: string | undefined): { items: string[]; next?: string } {
  let after: string | undefined;
  if (token) {
    try {
      after = JSON.parse(Buffer.from(token, "base64").toString("utf8")).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== "string") throw invalidParameter("NextToken");
  }
  const rest = after === undefined ? keys : keys.filter((k) => k > after!);
  const items = rest.slice(0, size);
  const next = rest.length > size ? Buffer.from(JSON.stringify({ after: items[items.length - 1] })).toString("base64") : undefined;
  return { items, next };
}
