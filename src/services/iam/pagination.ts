import { invalidMarker } from "./errors.js";

// IAM's list pagination (IAM API Reference, "Using pagination"; e.g. ListUsers):
// MaxItems defaults to 100; a response always carries IsTruncated, and a Marker
// only when there is more to read; the caller passes that Marker back to continue.
//
// Our markers name the sort key of the last item returned, so a page continues
// after it even when items were added or deleted in between; they are opaque to
// callers (base64url, as AWS's look opaque).

export const DEFAULT_MAX_ITEMS = 100;

export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}

/** List* operations of entities that have paths take a PathPrefix ("/" by default: all of them). */
export interface PathPageInput extends PageInput {
  PathPrefix?: string;
}

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

const PREFIX = "tr1:";

export function encodeMarker(key: string): string {
  return Buffer.from(PREFIX + key, "utf8").toString("base64url");
}

/** The sort key a marker continues after; throws ValidationError for markers we did not issue. */
export function decodeMarker(marker: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw invalidMarker();
  const text = Buffer.from(marker, "base64url").toString("utf8");
  if (!text.startsWith(PREFIX)) throw invalidMarker();
  return text.slice(PREFIX.length);
}

/**
 * One page of `items`, which must be ordered by `keyOf` ascending (keys unique).
 * A continuation starts at the first item whose key sorts after the marker's.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, input: PageInput): Page<T> {
  const max = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  let start = 0;
  if (input.Marker !== undefined) {
    const after = decodeMarker(input.Marker);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + max);
  const truncated = start + page.length < items.length;
  return truncated
    ? { items: page, IsTruncated: true, Marker: encodeMarker(keyOf(page[page.length - 1])) }
    : { items: page, IsTruncated: false };
}

/** Sorts a copy by key, the order IAM lists entities in (by name). */
export function sortedBy<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** One page of `items`, sorted first by `sortKey`. */
export function paginateSorted<T>(items: Iterable<T>, sortKey: (item: T) => string, input: PageInput): Page<T> {
  return paginate(sortedBy(items, sortKey), sortKey, input);
}

/** One page of the entities whose Path starts with the input's PathPrefix, sorted by `sortKey`. */
export function paginateUnderPath<T extends { Path: string }>(items: readonly T[], sortKey: (item: T) => string, input: PathPageInput): Page<T> {
  const prefix = input.PathPrefix ?? "/";
  return paginateSorted(items.filter((item) => item.Path.startsWith(prefix)), sortKey, input);
}

/** The IsTruncated and Marker members of a List* response. */
export function pageFields<T>(page: Page<T>): { IsTruncated: boolean; Marker?: string } {
  return page.Marker === undefined ? { IsTruncated: page.IsTruncated } : { IsTruncated: page.IsTruncated, Marker: page.Marker };
}
