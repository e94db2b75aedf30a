import { validation } from "./errors.js";

// NextToken for the List* operations: the last name answered, opaque to clients;
// the lists are sorted by name, so a token stays valid across changes.

export function page<T>(items: T[], keyOf: (item: T) => string, limit: number | undefined, token: string | undefined, max = 100): { items: T[]; next?: string } {
  let after: string | undefined;
  if (token) {
    try {
      after = JSON.parse(Buffer.from(token, "base64").toString("utf8")).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== "string") throw validation("The nextToken provided is invalid.");
  }
  const size = limit && limit > 0 ? Math.min(limit, max) : max;
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((i) => keyOf(i) > after!);
  const out = rest.slice(0, size);
  const next = rest.length > size ? Buffer.from(JSON.stringify({ after: keyOf(out[out.length - 1]) })).toString("base64") : undefined;
  return { items: out, next };
}

export function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function tagMap(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) out[t.Key ?? ""] = t.Value ?? "";
  return out;
}
