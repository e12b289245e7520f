import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as asyncio from "../../src/index.ts";
import { type Comparator, Heap } from "../../src/sync/heap.ts";

/** heapq, the plain way (push appends and sifts up; pop sifts the last item down from a leaf). */
class ReferenceHeapq<T> {
  readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  push(item: T): void {
    this.items.push(item);
    this.#siftDown(0, this.items.length - 1);
  }

  pop(): T {
    const last = this.items.pop()!;
    if (this.items.length === 0) return last;
    const first = this.items[0]!;
    this.items[0] = last;
    this.#siftUp(0);
    return first;
  }

  #siftDown(start: number, position: number): void {
    const item = this.items[position]!;
    while (position > start) {
      const parent = (position - 1) >> 1;
      if (!this.less(item, this.items[parent]!)) break;
      this.items[position] = this.items[parent]!;
      position = parent;
    }
    this.items[position] = item;
  }

  #siftUp(position: number): void {
    const end = this.items.length;
    const start = position;
    const item = this.items[position]!;
    let child = 2 * position + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !this.less(this.items[child]!, this.items[right]!)) child = right;
      this.items[position] = this.items[child]!;
      position = child;
      child = 2 * position + 1;
    }
    this.items[position] = item;
    this.#siftDown(start, position);
  }
}

type Entry = { priority: number; id: number };
const byPriority: Comparator<Entry> = (a, b) => a.priority - b.priority;

/** Pushes (a number) and pops (null) in some order. */
const operations = fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), {
  maxLength: 200,
});

describe("pythonCompare", () => {
  it("orders numbers, bigints and booleans together, by value", () => {
    assert.equal(asyncio.pythonCompare(1, 2), -1);
    assert.equal(asyncio.pythonCompare(2.5, 2), 1);
    assert.equal(asyncio.pythonCompare(3n, 2), 1);
    assert.equal(asyncio.pythonCompare(true, 0), 1);
    assert.equal(asyncio.pythonCompare(1, 1), 0);
  });

  it("orders strings by code point, as Python does", () => {
    assert.ok(asyncio.pythonCompare("Z", "a") < 0);
    assert.ok(asyncio.pythonCompare("ab", "abc") < 0);
    assert.equal(asyncio.pythonCompare("same", "same"), 0);
    // U+FFFF comes before U+1F600, though its UTF-16 code unit is above the surrogate's.
    assert.ok(asyncio.pythonCompare("\uffff", "😀") < 0);
    assert.ok(asyncio.pythonCompare("😀", "\ue000") > 0);
  });

  it("orders arrays element by element, a shorter prefix first, like tuples", () => {
    assert.ok(asyncio.pythonCompare([1, "b"], [1, "a"]) > 0);
    assert.ok(asyncio.pythonCompare([1], [1, 0]) < 0);
    assert.ok(asyncio.pythonCompare([[1, 2], 0], [[1, 3], -5]) < 0);
    assert.equal(asyncio.pythonCompare([], []), 0);
    // The first difference decides: the later elements need not be comparable.
    assert.ok(asyncio.pythonCompare([1, "x"], [2, 5]) < 0);
  });

  it("throws a TypeError for what Python cannot order", () => {
    for (const [a, b] of [
      [1, "1"],
      [null, 1],
      [{}, {}],
      [
        [1, "a"],
        [1, 2],
      ],
      [undefined, undefined],
    ]) {
      assert.throws(() => asyncio.pythonCompare(a, b), {
        name: "TypeError",
        message: /cannot order/,
      });
    }
  });

  it("agrees with JavaScript's < on strings without surrogates", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary-ascii" }),
        fc.string({ unit: "binary-ascii" }),
        (a, b) => {
          const expected = a < b ? -1 : a > b ? 1 : 0;
          assert.equal(Math.sign(asyncio.pythonCompare(a, b)), expected);
        },
      ),
    );
  });

  it("orders strings with astral characters by code point", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const pointsA = [...a].map((char) => char.codePointAt(0)!);
        const pointsB = [...b].map((char) => char.codePointAt(0)!);
        assert.equal(
          Math.sign(asyncio.pythonCompare(a, b)),
          Math.sign(asyncio.pythonCompare(pointsA, pointsB)),
        );
      }),
    );
  });
});

describe("Heap", () => {
  it("pops in exactly heapq's order, ties included", () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const heap = new Heap(byPriority);
        const reference = new ReferenceHeapq<Entry>((a, b) => a.priority < b.priority);
        let id = 0;
        for (const op of ops) {
          if (op === null) {
            if (heap.length === 0) continue;
            assert.equal(heap.pop(), reference.pop());
          } else {
            const entry = { priority: op, id: id++ };
            heap.push(entry);
            reference.push(entry);
          }
          assert.deepEqual(heap.items, reference.items);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("pops numbers in ascending order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (values) => {
        const heap = new Heap<number>(asyncio.pythonCompare);
        for (const value of values) heap.push(value);
        const popped = [];
        while (heap.length > 0) popped.push(heap.pop());
        assert.deepEqual(
          popped,
          [...values].sort((a, b) => a - b),
        );
      }),
    );
  });

  it("a comparison that throws during a push or a pop leaves the heap as it was", () => {
    fc.assert(
      fc.property(operations, fc.integer({ min: 1, max: 40 }), (ops, failAt) => {
        let comparisons = 0;
        const heap = new Heap<Entry>((a, b) => {
          if (++comparisons === failAt) throw new Error("compare failed");
          return a.priority - b.priority;
        });
        let id = 0;
        for (const op of ops) {
          const before = [...heap.items];
          try {
            if (op === null) {
              if (heap.length > 0) heap.pop();
            } else heap.push({ priority: op, id: id++ });
          } catch {
            assert.deepEqual(heap.items, before);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
