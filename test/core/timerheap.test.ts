import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type Timer, TimerHeap } from "../../src/core/timerheap.ts";

function timer(when: number, seq: number): Timer {
  return { _when: when, _seq: seq, _cancelled: false, _scheduled: true, _run() {} };
}

describe("TimerHeap", () => {
  it("pops by deadline, then by scheduling order, through random pushes, cancels and compactions", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant("push" as const), when: fc.integer({ min: 0, max: 20 }) }),
            fc.record({ op: fc.constant("cancel" as const), pick: fc.nat() }),
            fc.record({ op: fc.constant("pop" as const) }),
            fc.record({ op: fc.constant("compact" as const) }),
          ),
          { maxLength: 300 },
        ),
        (ops) => {
          const heap = new TimerHeap();
          const model: Timer[] = [];
          let seq = 0;
          const live = () =>
            model.filter((t) => !t._cancelled).sort((a, b) => a._when - b._when || a._seq - b._seq);
          for (const op of ops) {
            if (op.op === "push") {
              const t = timer(op.when, seq++);
              heap.push(t);
              model.push(t);
            } else if (op.op === "cancel" && model.length > 0) {
              const t = model[op.pick % model.length]!;
              if (!t._cancelled) {
                t._cancelled = true;
                heap.cancelledCount++;
              }
            } else if (op.op === "compact") {
              heap.compact();
              assert.equal(heap.cancelledCount, 0);
              assert.equal(heap.length, live().length);
            } else if (op.op === "pop") {
              heap.dropCancelledHead();
              const expected = live()[0];
              if (expected === undefined) {
                assert.equal(heap.length, 0);
                continue;
              }
              assert.equal(heap.peekWhen(), expected._when);
              const got = heap.pop();
              assert.equal(got, expected);
              model.splice(model.indexOf(got), 1);
            }
          }
          heap.dropCancelledHead();
          for (const expected of live()) {
            heap.dropCancelledHead();
            assert.equal(heap.pop(), expected);
          }
          heap.dropCancelledHead();
          assert.equal(heap.length, 0);
          assert.equal(heap.peekWhen(), Number.POSITIVE_INFINITY);
        },
      ),
      { numRuns: 300 },
    );
  });
});
