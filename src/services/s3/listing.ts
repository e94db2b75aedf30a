import { invalidArgument } from "./errors.js";

// The walk every S3 listing shares: keys in UTF-8 binary order after a marker,
// filtered by prefix, keys holding the delimiter after the prefix rolled up into
// one CommonPrefix, at most max entries (objects and prefixes count alike).

export type Entry<T> = { kind: "item"; key: string; item: T } | { kind: "prefix"; prefix: string };

export interface Page<T> {
  entries: Entry<T>[];
  truncated: boolean;
  /** The last key or common prefix of the page: where the next one starts. */
  last?: string;
}

/**
 * A source may take a seek: the walk passes `next()` the least key it still wants
 * once it has rolled up a common prefix, so a source that can seek skips the rest
 * of that prefix's keys (a folder of 100k keys costs one row, not 100k). A source
 * that ignores it (an array, a plain generator) is walked key by key.
 */
export type KeySource<T> = Iterable<{ key: string; item: T }> | Iterator<{ key: string; item: T }, unknown, string | undefined>;

export function walk<T>(source: KeySource<T>, opts: { prefix: string; delimiter?: string; max: number; after?: string }): Page<T> {
  const keys = Symbol.iterator in source ? (source[Symbol.iterator]() as Iterator<{ key: string; item: T }, unknown, string | undefined>) : source;
  // Closed however the walk ends: an open SQLite cursor would keep the connection busy.
  try {
    return walkKeys(keys, opts);
  } finally {
    keys.return?.();
  }
}

function walkKeys<T>(keys: Iterator<{ key: string; item: T }, unknown, string | undefined>, opts: { prefix: string; delimiter?: string; max: number; after?: string }): Page<T> {
  const entries: Entry<T>[] = [];
  let lastPrefix: string | undefined;
  let last: string | undefined;
  let seek: string | undefined;
  for (let step = keys.next(); !step.done; step = keys.next(seek)) {
    seek = undefined;
    const { key, item } = step.value;
    if (opts.after !== undefined && key <= opts.after) continue;
    if (!key.startsWith(opts.prefix)) {
      if (key > opts.prefix) break;
      continue;
    }
    let prefix: string | undefined;
    if (opts.delimiter) {
      const at = key.indexOf(opts.delimiter, opts.prefix.length);
      if (at >= 0) prefix = key.slice(0, at + opts.delimiter.length);
    }
    if (prefix !== undefined && prefix === lastPrefix) {
      seek = pastPrefix(prefix);
      continue;
    }
    // A marker inside a rolled-up prefix continues after that prefix.
    if (prefix !== undefined && opts.after !== undefined && opts.after.startsWith(prefix)) {
      seek = pastPrefix(prefix);
      continue;
    }
    if (entries.length >= opts.max) return { entries, truncated: true, last };
    if (prefix !== undefined) {
      lastPrefix = prefix;
      entries.push({ kind: "prefix", prefix });
      last = prefix;
      seek = pastPrefix(prefix);
    } else {
      entries.push({ kind: "item", key, item });
      last = key;
    }
  }
  return { entries, truncated: false, last };
}

/**
 * The least string above every string that starts with `prefix` in UTF-8 binary
 * order (which is code point order): the last code point raised by one. Undefined
 * when nothing sorts after (a prefix of U+10FFFF only).
 */
export function pastPrefix(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join("") + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** EncodingType=url: S3 encodes keys as URL query values (space as '+', '/' kept). */
export function encoder(encodingType: string | undefined): (s: string | undefined) => string | undefined {
  if (encodingType === undefined) return (s) => s;
  if (encodingType !== "url") throw invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encodingType);
  return (s) => (s === undefined ? undefined : encodeURIComponent(s).replace(/%2F/g, "/").replace(/%20/g, "+").replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

export function maxKeysOf(value: unknown, name = "max-keys"): number {
  if (value === undefined) return 1000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, String(value));
  return Math.min(n, 1000);
}
