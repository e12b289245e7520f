/**
 * sync_arguments: the primitives refuse bad arguments from plain JavaScript callers with
 * CPython's error class and a message naming what to pass; a refused call changes nothing
 * (a refused notify() wakes no waiter).
 */

import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { type BadCall, checkBadCallsNow, runVirtual } from "../helpers.ts";

const bad = (value: unknown): never => value as never;

it("constructors and methods of the primitives refuse bad arguments", async () => {
  await runVirtual(
    (function* () {
      const rows: BadCall[] = [];
      for (const [name, make] of [
        ["Semaphore", (value: unknown) => new asyncio.Semaphore(bad(value))],
        ["BoundedSemaphore", (value: unknown) => new asyncio.BoundedSemaphore(bad(value))],
      ] as const) {
        rows.push(
          [
            `${name}(-1)`,
            () => make(-1),
            asyncio.ValueError,
            /value must be a non-negative integer, got -1/,
          ],
          [
            `${name}(1.5)`,
            () => make(1.5),
            TypeError,
            /Semaphore\(value\): value must be a non-negative integer, got 1\.5/,
          ],
          [`${name}("1")`, () => make("1"), TypeError, /got "1"/],
          [`${name}(NaN)`, () => make(Number.NaN), TypeError, /got NaN/],
          [`${name}(Infinity)`, () => make(Number.POSITIVE_INFINITY), TypeError, /got Infinity/],
        );
      }
      rows.push(
        [
          "Barrier(0)",
          () => new asyncio.Barrier(0),
          asyncio.ValueError,
          /Barrier\(parties\): parties must be a positive integer, got 0/,
        ],
        ["Barrier(2.5)", () => new asyncio.Barrier(2.5), TypeError, /got 2\.5/],
        [
          "Barrier(-Infinity)",
          () => new asyncio.Barrier(Number.NEGATIVE_INFINITY),
          TypeError,
          /got -Infinity/,
        ],
        ["Barrier('2')", () => new asyncio.Barrier(bad("2")), TypeError, /got "2"/],
        [
          "Queue('5')",
          () => new asyncio.Queue(bad("5")),
          TypeError,
          /maxsize must be a number of items/,
        ],
        ["Queue(NaN)", () => new asyncio.Queue(Number.NaN), asyncio.ValueError, /got NaN/],
        [
          "PriorityQueue({ maxsze })",
          () => new asyncio.PriorityQueue(bad({ maxsze: 1 })),
          TypeError,
          /PriorityQueue\(\): unknown option "maxsze"; the options are maxsize, compare/,
        ],
        [
          "PriorityQueue(null)",
          () => new asyncio.PriorityQueue(bad(null)),
          TypeError,
          /options must be an object/,
        ],
        [
          "PriorityQueue({ compare: 1 })",
          () => new asyncio.PriorityQueue(bad({ compare: 1 })),
          TypeError,
          /compare must be a function/,
        ],
        [
          "Condition({})",
          () => new asyncio.Condition(bad({})),
          TypeError,
          /expects an asyncio Lock/,
        ],
      );
      checkBadCallsNow(rows);
    })(),
  );
});

it("Condition.notify(n) refuses a count that is not a non-negative integer and wakes no one", async () => {
  const events = await runVirtual(
    (function* () {
      const events: string[] = [];
      const cond = new asyncio.Condition();
      const waiter = asyncio.createTask(
        asyncio.using(cond, function* () {
          yield* cond.wait();
          events.push("woken");
        }),
      );
      yield* asyncio.sleep(0);
      yield* asyncio.using(cond, function* () {
        checkBadCallsNow([
          [
            "notify(NaN)",
            () => cond.notify(Number.NaN),
            TypeError,
            /Condition\.notify\(n\): n must be a non-negative integer, got NaN/,
          ],
          ["notify('2')", () => cond.notify(bad("2")), TypeError, /got "2"/],
          ["notify(2.5)", () => cond.notify(2.5), TypeError, /got 2\.5/],
          [
            "notify(Infinity)",
            () => cond.notify(Number.POSITIVE_INFINITY),
            TypeError,
            /got Infinity/,
          ],
          ["notify(-1)", () => cond.notify(-1), asyncio.ValueError, /got -1/],
        ]);
        events.push(`waiters after refused calls: ${cond.statistics().waiters}`);
      });
      yield* asyncio.sleep(1);
      events.push(`still waiting: ${!waiter.done()}`);
      yield* asyncio.using(cond, function* () {
        cond.notify(1);
      });
      yield* waiter;
      return events;
    })(),
  );
  assert.deepEqual(events, ["waiters after refused calls: 1", "still waiting: true", "woken"]);
});
