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
 *
 * Most values arrive in increasing seq (sends append to the queue): those go to a
 * sorted run taken from its front in O(1), and only the others (a message visible
 * again after a receive) into the heap. A receive of 10 from a deep queue no longer
 * walks the heap's depth ten times.
 */
export class SeqHeap<T extends { seq: number }> {
  private items: T[] = [];
  /** Values in increasing seq, the live ones from `head` on. */
  private run: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length + this.run.length - this.head;
  }

  push(value: T): void {
    const run = this.run;
    if (this.head === run.length) {
      if (this.head > 0) this.run = [];
      this.head = 0;
      this.run.push(value);
      return;
    }
    if (value.seq > run[run.length - 1].seq) {
      run.push(value);
      return;
    }
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
    if (this.head < this.run.length && (items.length === 0 || this.run[this.head].seq <= items[0].seq)) return this.shiftRun();
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

  private shiftRun(): T {
    const value = this.run[this.head++];
    // The taken front is dropped once it is most of the array.
    if (this.head > 1024 && this.head * 2 > this.run.length) {
      this.run = this.run.slice(this.head);
      this.head = 0;
    }
    return value;
  }

  /** Drops the values `keep` rejects and restores the order (O(n log n)): all of them one sorted run. */
  compact(keep: (value: T) => boolean): void {
    const kept = this.items.filter(keep);
    for (let i = this.head; i < this.run.length; i++) if (keep(this.run[i])) kept.push(this.run[i]);
    this.run = kept.sort((a, b) => a.seq - b.seq);
    this.head = 0;
    this.items = [];
  }

  clear(): void {
    this.items = [];
    this.run = [];
    this.head = 0;
  }
}
