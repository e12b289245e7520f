import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

describe("sync primitives with asyncio.using", () => {
  it("Lock: held for the body, released when it returns or throws", async () => {
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        const value = yield* asyncio.using(lock, function* () {
          assert.equal(lock.locked(), true);
          yield* asyncio.sleep(1);
          return 42;
        });
        assert.equal(value, 42);
        assert.equal(lock.locked(), false);
        try {
          yield* asyncio.using(lock, function* () {
            throw new Error("body failed");
          });
          assert.fail("the error propagates");
        } catch (error) {
          assert.match(String(error), /body failed/);
        }
        assert.equal(lock.locked(), false);
      })(),
    );
  });

  it("Lock: a task cancelled in the body releases; one cancelled while acquiring never held it", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const lock = new asyncio.Lock();
        const events: string[] = [];
        const holder = asyncio.createTask(
          asyncio.using(lock, function* () {
            events.push("holder in");
            yield* asyncio.sleep(10);
          }),
        );
        yield* asyncio.sleep(0);
        const waiter = asyncio.createTask(
          asyncio.using(lock, function* () {
            events.push("waiter in");
          }),
        );
        yield* asyncio.sleep(0);
        loop.callLater(1, () => waiter.cancel());
        loop.callLater(2, () => holder.cancel());
        for (const task of [waiter, holder]) {
          try {
            yield* task;
          } catch (error) {
            assert.ok(asyncio.isCancelledError(error));
          }
        }
        assert.deepEqual(events, ["holder in"]);
        assert.equal(lock.locked(), false);
        assert.deepEqual(lock.statistics(), { locked: false, owner: null, waiters: 0 });
      })(),
    );
  });

  it("Semaphore: limits how many bodies run at once", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(2);
        let inside = 0;
        let most = 0;
        const tasks = [1, 2, 3, 4, 5].map((id) =>
          asyncio.createTask(
            asyncio.using(semaphore, function* () {
              inside++;
              most = Math.max(most, inside);
              yield* asyncio.sleep(id);
              inside--;
            }),
          ),
        );
        for (const task of tasks) yield* task;
        assert.equal(most, 2);
        assert.equal(semaphore.statistics().value, 2);
      })(),
    );
  });

  it("BoundedSemaphore and Condition enter and exit as asyncio's do", async () => {
    await runVirtual(
      (function* () {
        const bounded = new asyncio.BoundedSemaphore(1);
        yield* asyncio.using(bounded, function* () {
          assert.equal(bounded.locked(), true);
        });
        assert.throws(() => bounded.release(), asyncio.ValueError);
        const cond = new asyncio.Condition();
        const items: number[] = [];
        const consumer = asyncio.createTask(
          asyncio.using(cond, function* () {
            yield* cond.waitFor(() => items.length > 0);
            return items.shift();
          }),
        );
        yield* asyncio.sleep(0);
        yield* asyncio.using(cond, function* () {
          items.push(7);
          cond.notify();
        });
        assert.equal(yield* consumer, 7);
        assert.equal(cond.locked(), false);
      })(),
    );
  });

  it("Barrier: the body gets the arrival index", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(2);
        const tasks = [0, 1].map(() =>
          asyncio.createTask(
            asyncio.using(barrier, function* (index) {
              return index;
            }),
          ),
        );
        const indexes = [yield* tasks[0]!, yield* tasks[1]!];
        assert.deepEqual(indexes.sort(), [0, 1]);
      })(),
    );
  });

  it("a Queue get under asyncio.timeout leaves no getter and loses no item", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>();
        try {
          yield* asyncio.using(asyncio.timeout(1), function* () {
            yield* queue.get();
          });
          assert.fail("timed out");
        } catch (error) {
          assert.ok(error instanceof asyncio.TimeoutError);
        }
        assert.equal(queue.statistics().getters, 0);
        assert.equal(queue._getters.length, 0);
        queue.putNowait(1);
        assert.equal(yield* queue.get(), 1);
      })(),
    );
  });

  it("a Lock acquire under asyncio.timeout gives up without taking the lock", async () => {
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        yield* lock.acquire();
        try {
          yield* asyncio.using(asyncio.timeout(0.5), lock, function* () {
            assert.fail("never entered");
          });
        } catch (error) {
          assert.ok(error instanceof asyncio.TimeoutError);
        }
        assert.equal(asyncio.getRunningLoop().time(), 0.5);
        assert.equal(lock.statistics().waiters, 0);
        lock.release();
        assert.equal(lock.locked(), false);
      })(),
    );
  });
});
