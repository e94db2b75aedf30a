// A binary min-heap on a numeric key (ties broken by a second key), for the queue's
// indexes: hidden messages by the time they become visible, visible messages and
// ready FIFO groups by enqueue order. Entries are never removed from the middle:
// callers push a fresh entry when a key changes and skip stale ones when they pop
// (lazy deletion), so every change is O(log n).

export interface HeapEntry<T> {
  key: number;
  tie: number;
  value: T;
  /** The value's version when pushed (the caller's, to tell stale entries). */
  ver: number;
}

export class MinHeap<T> {
  private items: HeapEntry<T>[] = [];

  get size(): number {
    return this.items.length;
  }

  push(key: number, tie: number, value: T, ver = 0): void {
    const items = this.items;
    items.push({ key, tie, value, ver });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  peek(): HeapEntry<T> | undefined {
    return this.items[0];
  }

  pop(): HeapEntry<T> | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && less(items[l], items[m])) m = l;
        if (r < items.length && less(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }

  /** Drops the entries `keep` rejects and restores the heap order (O(n)). */
  compact(keep: (entry: HeapEntry<T>) => boolean): void {
    this.items = this.items.filter(keep);
    this.items.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
  }

  clear(): void {
    this.items = [];
  }
}

function less<T>(a: HeapEntry<T>, b: HeapEntry<T>): boolean {
  return a.key < b.key || (a.key === b.key && a.tie < b.tie);
}

/**
 * A min-heap of values by their own `seq`, which never changes: no entry object per
 * value (a queue's visible messages are most of its messages, and each entry was a
 * third of their memory). Stale values are the caller's to skip, as above.
 */
export class SeqHeap<T extends { seq: number }> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: T): void {
    const items = this.items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].seq <= value.seq) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= items.length) break;
        const r = l + 1;
        const m = r < items.length && items[r].seq < items[l].seq ? r : l;
        if (items[m].seq >= last.seq) break;
        items[i] = items[m];
        i = m;
      }
      items[i] = last;
    }
    return top;
  }

  /** Drops the values `keep` rejects and restores the heap order (O(n log n)). */
  compact(keep: (value: T) => boolean): void {
    this.items = this.items.filter(keep);
    this.items.sort((a, b) => a.seq - b.seq);
  }

  clear(): void {
    this.items = [];
  }
}
