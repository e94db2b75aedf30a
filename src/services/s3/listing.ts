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

export function walk<T>(
  source: Iterable<{ key: string; item: T }>,
  opts: { prefix: string; delimiter?: string; max: number; after?: string },
): Page<T> {
  const entries: Entry<T>[] = [];
  let lastPrefix: string | undefined;
  let last: string | undefined;
  for (const { key, item } of source) {
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
    if (prefix !== undefined && prefix === lastPrefix) continue;
    // A marker inside a rolled-up prefix continues after that prefix.
    if (prefix !== undefined && opts.after !== undefined && opts.after.startsWith(prefix)) continue;
    if (entries.length >= opts.max) return { entries, truncated: true, last };
    if (prefix !== undefined) {
      lastPrefix = prefix;
      entries.push({ kind: "prefix", prefix });
      last = prefix;
    } else {
      entries.push({ kind: "item", key, item });
      last = key;
    }
  }
  return { entries, truncated: false, last };
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
