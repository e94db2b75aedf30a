// NextToken paging over a keyed list, as many List* operations answer: the token
// names the last key answered (opaque base64 to clients), so it stays valid while
// items are added or removed. Each service says what a bad token costs.

export interface Page<T> {
  items: T[];
  next?: string;
}

/** `items` must be sorted by `keyOf`. */
export function pageAfterKey<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  size: number,
  token: string | undefined,
  invalidToken: () => Error,
): Page<T> {
  const after = token === undefined ? undefined : decodeToken(token);
  if (token !== undefined && after === undefined) throw invalidToken();
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, size);
  const next = rest.length > size ? encodeToken(keyOf(page[page.length - 1])) : undefined;
  return { items: page, next };
}

/** Sorts by key (code-unit order, as the tokens compare) and pages; `limit` is capped at `max`. */
export function pageSorted<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number | undefined,
  token: string | undefined,
  invalidToken: () => Error,
  max = 100,
): Page<T> {
  const size = limit && limit > 0 ? Math.min(limit, max) : max;
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return pageAfterKey(sorted, keyOf, size, token, invalidToken);
}

function encodeToken(after: string): string {
  return Buffer.from(JSON.stringify({ after })).toString("base64");
}

function decodeToken(token: string): string | undefined {
  try {
    const after = (JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { after?: unknown }).after;
    return typeof after === "string" ? after : undefined;
  } catch {
    return undefined;
  }
}
