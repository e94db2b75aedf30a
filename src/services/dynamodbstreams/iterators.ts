// Shard iterators: opaque to clients, and here self-contained, so nothing is
// stored per iterator. One names its stream, shard, the sequence counter it
// reads after, and when it was issued; AWS lets an iterator live 15 minutes
// (GetShardIterator API reference), measured on Terrarium's clock.

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface IteratorState {
  arn: string;
  shardId: string;
  /** Records with a counter greater than this are next. */
  after: number;
  issuedAt: number;
}

export function encodeIterator(s: IteratorState): string {
  const payload = Buffer.from(JSON.stringify([s.shardId, s.after, s.issuedAt])).toString("base64");
  return `${s.arn}|1|${payload}`;
}

export function decodeIterator(text: string): IteratorState | undefined {
  const bar = text.indexOf("|1|");
  if (bar < 0) return undefined;
  try {
    const [shardId, after, issuedAt] = JSON.parse(Buffer.from(text.slice(bar + 3), "base64").toString("utf8")) as unknown[];
    if (typeof shardId !== "string" || typeof after !== "number" || typeof issuedAt !== "number") return undefined;
    return { arn: text.slice(0, bar), shardId, after, issuedAt };
  } catch {
    return undefined;
  }
}
