import { validation } from "./errors.js";

import { pageSorted, type Page } from "../../platform/pagination.js";

// NextToken for the List* operations: the last name answered, opaque to clients;
// the lists are sorted by name, so a token stays valid across changes.

export function page<T>(items: T[], keyOf: (item: T) => string, limit: number | undefined, token: string | undefined, max = 100): Page<T> {
  return pageSorted(items, keyOf, limit, token, () => validation("The nextToken provided is invalid."), max);
}

export function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function tagMap(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) out[t.Key ?? ""] = t.Value ?? "";
  return out;
}
