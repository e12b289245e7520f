/**
 * A bounded queue: `submit` past `maxQueueSize` throws ExecutorQueueFull, `submitWait` waits
 * for room (FIFO among waiters), a cancelled waiter submits nothing and passes its room on,
 * shutdown fails the waiters, and `map` keeps within the bound.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { failure, newGate, open, runMain, started, tasks, until } from "./helpers.ts";

let pool: asyncio.ThreadPoolExecutor;

before(() => {
  pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1, maxQueueSize: 2 });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

/** Occupies the worker with a blocked item and fills the queue; returns the gate to open. */
function* fill(): asyncio.Coro<{ gate: asyncio.Future<string>[]; opener: Int32Array }> {
  const opener = newGate();
  const running = pool.submit(tasks.fn("block"), opener, 10_000);
  yield* until(() => started(opener) === 1);
  const queued = [
    pool.submit(tasks.fn("block"), opener, 10_000),
    pool.submit(tasks.fn("block"), opener, 10_000),
  ];
  return { gate: [running, ...queued], opener };
}

describe("bounded executor queue", () => {
  it("submit past maxQueueSize throws ExecutorQueueFull; nothing is queued", async () => {
    const [error, queued] = await runMain(function* () {
      const { gate, opener } = yield* fill();
      const error = yield* failure(() => pool.submit(tasks.fn("add"), 1, 1));
      const queued = pool.statistics().queued;
      open(opener);
      for (const future of gate) yield* future;
      return [error, queued] as const;
    });
    assert.ok(error instanceof asyncio.ExecutorQueueFull);
    assert.match(
      (error as Error).message,
      /has 2 items queued \(maxQueueSize\): wait for room with yield\* executor\.submitWait/,
    );
    assert.equal(queued, 2);
  });

  it("submitWait waits for room, in the order the submitters came", async () => {
    const events = await runMain(function* () {
      const events: string[] = [];
      const { gate, opener } = yield* fill();
      const submitters = ["a", "b"].map((name) =>
        asyncio.createTask(
          (function* () {
            const future = yield* pool.submitWait(tasks.fn("echo"), name);
            events.push(`${name} submitted`);
            events.push(`${name} -> ${yield* future}`);
          })(),
        ),
      );
      yield* asyncio.sleep(0);
      events.push(`waiting: ${pool.statistics().waitingSubmitters}`);
      open(opener);
      for (const future of gate) yield* future;
      for (const task of submitters) yield* task;
      return events;
    });
    assert.deepEqual(events.slice(0, 3), ["waiting: 2", "a submitted", "b submitted"]);
    assert.deepEqual(events.slice(3).sort(), ["a -> a", "b -> b"]);
  });

  it("a cancelled submitWait submits nothing, and its room goes to the next waiter", async () => {
    const [submitted, result] = await runMain(function* () {
      const { gate, opener } = yield* fill();
      const before = pool.statistics().submitted;
      const first = asyncio.createTask(pool.submitWait(tasks.fn("echo"), "first"));
      const second = asyncio.createTask(
        (function* () {
          return yield* yield* pool.submitWait(tasks.fn("echo"), "second");
        })(),
      );
      yield* asyncio.sleep(0);
      first.cancel();
      open(opener);
      for (const future of gate) yield* future;
      const result = yield* second;
      assert.ok(first.cancelled());
      return [pool.statistics().submitted - before, result] as const;
    });
    assert.equal(submitted, 1, "only the second submitter submitted");
    assert.equal(result, "second");
  });

  it("map keeps within the bound and gives every result in order", async () => {
    const squares = await runMain(function* () {
      const results: number[] = [];
      let mostQueued = 0;
      const items = pool.map(
        tasks.fn("square"),
        Array.from({ length: 12 }, (_, i) => i),
      );
      for (let step = yield* items.next(); !step.done; step = yield* items.next()) {
        mostQueued = Math.max(mostQueued, pool.statistics().queued);
        results.push(step.value);
      }
      assert.ok(mostQueued <= 2);
      return results;
    });
    assert.deepEqual(squares, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121]);
  });

  it("shutdown fails the waiting submitters", async () => {
    const error = await runMain(function* () {
      const bounded = new asyncio.ThreadPoolExecutor({ maxWorkers: 1, maxQueueSize: 1 });
      const opener = newGate();
      const running = bounded.submit(tasks.fn("block"), opener, 10_000);
      yield* until(() => started(opener) === 1);
      const queued = bounded.submit(tasks.fn("block"), opener, 10_000);
      const waiting = asyncio.createTask(bounded.submitWait(tasks.fn("echo"), "late"));
      yield* asyncio.sleep(0);
      const shutdown = bounded.shutdown();
      const error = yield* failure(() => waiting);
      open(opener);
      yield* running;
      yield* queued;
      yield* shutdown;
      return error;
    });
    assert.ok(error instanceof asyncio.RuntimeError);
    assert.match((error as Error).message, /cannot schedule new futures after shutdown/);
  });
});
