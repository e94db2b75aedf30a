import { invalidParameter } from "./errors.js";

// Describe* pages: an opaque token holding the offset of the next item.

export function page<T>(items: T[], nextToken: string | undefined, limit: number | undefined, fallback: number): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(nextToken, "base64url").toString("utf8"));
    if (!decoded) throw invalidParameter("The specified nextToken is invalid.");
    start = Number(decoded[1]);
  }
  const size = limit ?? fallback;
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return end < items.length ? { items: slice, nextToken: Buffer.from(`o${end}`).toString("base64url") } : { items: slice };
}
