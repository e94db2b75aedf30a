import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SeqHeap } from "./heap.js";

// The visible-message index on its own: whatever the order of pushes (appends in
// increasing seq, older messages visible again, compactions), pops come in seq order.

describe("SQS SeqHeap", () => {
  it("pops in seq order whatever the order of pushes", () => {
    let state = 7;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const heap = new SeqHeap<{ seq: number }>();
    const reference: number[] = [];
    let nextSeq = 1;
    for (let step = 0; step < 20_000; step++) {
      const op = random(10);
      if (op < 4) {
        // A send: the next seq.
        const seq = nextSeq++;
        heap.push({ seq });
        reference.push(seq);
      } else if (op < 6 && nextSeq > 1) {
        // An older message visible again (possibly one already queued: a stale entry).
        const seq = 1 + random(nextSeq - 1);
        heap.push({ seq });
        reference.push(seq);
      } else if (op < 9) {
        reference.sort((a, b) => a - b);
        assert.equal(heap.pop()?.seq, reference.shift());
      } else if (random(50) === 0) {
        const keep = (v: { seq: number }) => v.seq % 3 !== 0;
        heap.compact(keep);
        reference.splice(0, reference.length, ...reference.filter((s) => keep({ seq: s })));
      }
      assert.equal(heap.size, reference.length);
    }
    reference.sort((a, b) => a - b);
    for (const seq of reference) assert.equal(heap.pop()?.seq, seq);
    assert.equal(heap.pop(), undefined);
    assert.equal(heap.size, 0);
  });

  it("keeps no more than it holds after a long run of appends and pops", () => {
    const heap = new SeqHeap<{ seq: number }>();
    for (let seq = 1; seq <= 100_000; seq++) {
      heap.push({ seq });
      if (seq > 10) assert.equal(heap.pop()?.seq, seq - 10);
    }
    assert.equal(heap.size, 10);
    assert.ok((heap as unknown as { run: unknown[] }).run.length < 2100);
  });
});
