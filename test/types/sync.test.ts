/**
 * Type tests for src/sync: `yield*` on each primitive's waiting methods infers its result,
 * queues carry their item type, and `using` keeps the body's type for managers that never
 * suppress errors. The assertions are checked by `tsc`; the test itself only runs them.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import type { Equal } from "./equal.ts";

function* main(): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  const event = new asyncio.Event();
  const cond = new asyncio.Condition(lock);
  const semaphore = new asyncio.BoundedSemaphore(2);
  const barrier = new asyncio.Barrier(1);
  const queue = new asyncio.Queue<{ id: number }>();
  const priority = new asyncio.PriorityQueue<[number, string]>();

  const acquired = yield* lock.acquire();
  lock.release();
  event.set();
  const waited = yield* event.wait();
  const slot = yield* semaphore.acquire();
  semaphore.release();
  const index = yield* barrier.wait();
  yield* cond.acquire();
  const predicate = yield* cond.waitFor(() => 5);
  cond.release();
  const put = yield* queue.put({ id: 1 });
  const item = yield* queue.get();
  priority.putNowait([1, "a"]);
  const first = yield* priority.get();
  const getTask = asyncio.createTask(queue.get());
  queue.putNowait({ id: 2 });
  yield* getTask;
  const locked = yield* asyncio.using(lock, function* () {
    return "held";
  });
  const arrival = yield* asyncio.using(barrier, function* (value) {
    return value;
  });
  // @ts-expect-error a Queue<{ id: number }> takes only such items
  queue.putNowait("text");

  const checks: [
    Equal<typeof acquired, true>,
    Equal<typeof waited, true>,
    Equal<typeof slot, true>,
    Equal<typeof index, number>,
    Equal<typeof predicate, number>,
    Equal<typeof put, void>,
    Equal<typeof item, { id: number }>,
    Equal<typeof first, [number, string]>,
    Equal<typeof getTask, asyncio.Task<{ id: number }>>,
    Equal<typeof locked, string>,
    Equal<typeof arrival, number>,
  ] = [true, true, true, true, true, true, true, true, true, true, true];
  assert.equal(checks.length, 11);
}

async function consume(queue: asyncio.Queue<number>): Promise<number[]> {
  const items: number[] = [];
  for await (const item of queue) {
    const check: Equal<typeof item, number> = true;
    assert.ok(check);
    items.push(item);
  }
  return items;
}

it("sync primitives have the types their yield* and using promise", async () => {
  await asyncio.run(main(), { clock: "virtual" });
  await asyncio.run(
    (function* () {
      const queue = new asyncio.Queue<number>();
      queue.putNowait(1);
      queue.shutdown();
      assert.deepEqual(yield* asyncio.fromPromise(consume(queue)), [1]);
    })(),
  );
});
