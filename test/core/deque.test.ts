import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Deque } from "../../src/core/deque.ts";

type Operation =
  | { kind: "push"; value: number }
  | { kind: "shift" }
  | { kind: "pop" }
  | { kind: "remove"; value: number }
  | { kind: "burst"; count: number }
  | { kind: "drain" }
  | { kind: "clear" };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("push" as const),
      value: fc.integer({ min: 0, max: 50 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("shift" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("pop" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("remove" as const),
      value: fc.integer({ min: 0, max: 50 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("burst" as const),
      count: fc.integer({ min: 1, max: 3000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drain" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clear" as const) }) },
);

describe("Deque", () => {
  it("behaves as an array used from both ends, through growth and shrinking", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const deque = new Deque<number>();
        const model: number[] = [];
        for (const op of operations) {
          switch (op.kind) {
            case "push":
              deque.push(op.value);
              model.push(op.value);
              break;
            case "shift":
              if (model.length > 0) assert.equal(deque.shift(), model.shift());
              break;
            case "pop":
              if (model.length > 0) assert.equal(deque.pop(), model.pop());
              break;
            case "remove": {
              const index = model.indexOf(op.value);
              assert.equal(deque.remove(op.value), index >= 0);
              if (index >= 0) model.splice(index, 1);
              break;
            }
            case "burst":
              for (let i = 0; i < op.count; i++) {
                deque.push(i);
                model.push(i);
              }
              break;
            case "drain":
              while (model.length > 1) assert.equal(deque.shift(), model.shift());
              break;
            case "clear":
              deque.clear();
              model.length = 0;
              break;
          }
          assert.equal(deque.length, model.length);
        }
        assert.deepEqual(deque.toArray(), model);
        for (let i = 0; i < model.length; i++) assert.equal(deque.at(i), model[i]);
      }),
      { numRuns: 200 },
    );
  });
});
