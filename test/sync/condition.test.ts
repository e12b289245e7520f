import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

describe("Condition", () => {
  it("notify(n) wakes n waiters in FIFO order, each returning once it re-acquires the lock", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const cond = new asyncio.Condition();
        function* waiter(name: string): asyncio.Coro<void> {
          yield* cond.acquire();
          events.push(`${name} waits`);
          const value: true = yield* cond.wait();
          events.push(`${name} woke ${value} locked=${cond.locked()}`);
          cond.release();
        }
        const tasks = ["a", "b", "c"].map((name) => asyncio.createTask(waiter(name)));
        yield* asyncio.sleep(0);
        assert.equal(cond.locked(), false);
        yield* cond.acquire();
        cond.notify(2);
        events.push("notified 2");
        yield* asyncio.sleep(0);
        // Woken, but the notifier still holds the lock.
        assert.equal(tasks[0]!.done(), false);
        cond.release();
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        yield* cond.acquire();
        cond.notify();
        events.push("notified 1");
        cond.release();
        for (const task of tasks) yield* task;
      })(),
    );
    assert.deepEqual(events, [
      "a waits",
      "b waits",
      "c waits",
      "notified 2",
      "a woke true locked=true",
      "b woke true locked=true",
      "notified 1",
      "c woke true locked=true",
    ]);
  });

  it("notifyAll() wakes every waiter", async () => {
    await runVirtual(
      (function* () {
        const cond = new asyncio.Condition();
        let woken = 0;
        const tasks = [1, 2, 3].map(() =>
          asyncio.createTask(
            (function* () {
              yield* cond.acquire();
              yield* cond.wait();
              woken++;
              cond.release();
            })(),
          ),
        );
        yield* asyncio.sleep(0);
        yield* cond.acquire();
        cond.notifyAll();
        cond.release();
        for (const task of tasks) yield* task;
        assert.equal(woken, 3);
      })(),
    );
  });

  it("wait, notify and notifyAll without the lock are RuntimeErrors", () => {
    const cond = new asyncio.Condition();
    assert.throws(() => cond.wait()[Symbol.iterator]().next(), {
      name: "RuntimeError",
      message: /lock held/,
    });
    assert.throws(
      () =>
        cond
          .waitFor(() => false)
          [Symbol.iterator]()
          .next(),
      { name: "RuntimeError" },
    );
    assert.throws(() => cond.notify(), { name: "RuntimeError", message: /lock held/ });
    assert.throws(() => cond.notifyAll(), { name: "RuntimeError" });
  });

  it("waitFor() checks the predicate first and after each wake-up, and returns its value", async () => {
    await runVirtual(
      (function* () {
        const cond = new asyncio.Condition();
        let value = 0;
        const calls: number[] = [];
        const task = asyncio.createTask(
          (function* () {
            yield* cond.acquire();
            try {
              return yield* cond.waitFor(() => {
                calls.push(value);
                return value >= 2 ? `value ${value}` : "";
              });
            } finally {
              cond.release();
            }
          })(),
        );
        for (let step = 1; step <= 2; step++) {
          yield* asyncio.sleep(1);
          yield* cond.acquire();
          value = step;
          cond.notify();
          cond.release();
        }
        assert.equal(yield* task, "value 2");
        assert.deepEqual(calls, [0, 1, 2]);
      })(),
    );
  });

  it("a wait cancelled while waiting re-acquires the lock before the error propagates", async () => {
    await runVirtual(
      (function* () {
        const cond = new asyncio.Condition();
        yield* cond.acquire();
        const wait = asyncio.createTask(cond.wait());
        asyncio.getRunningLoop().callSoon(() => wait.cancel());
        try {
          yield* wait;
          assert.fail("cancelled");
        } catch (error) {
          assert.ok(asyncio.isCancelledError(error));
        }
        assert.equal(cond._waiters.length, 0);
        assert.equal(cond.locked(), true);
      })(),
    );
  });

  it("a cancellation while re-acquiring the lock is re-thrown once the lock is held, unchanged", async () => {
    await runVirtual(
      (function* () {
        const cond = new asyncio.Condition();
        let wake = false;
        let raised: unknown = null;
        let lockedWhenRaised = false;
        const task = asyncio.createTask(
          (function* () {
            yield* cond.acquire();
            try {
              yield* cond.waitFor(() => wake);
            } catch (error) {
              raised = error;
              lockedWhenRaised = cond.locked();
              throw error;
            } finally {
              cond.release();
            }
          })(),
        );
        yield* asyncio.sleep(0);
        yield* cond.acquire();
        wake = true;
        cond.notify();
        yield* asyncio.sleep(0);
        // The task now waits to re-acquire the lock; cancel it there.
        task.cancel("foo");
        cond.release();
        try {
          yield* task;
          assert.fail("cancelled");
        } catch (error) {
          assert.ok(asyncio.isCancelledError(error));
          assert.equal(error.message, "foo");
          assert.equal(error, raised);
        }
        assert.equal(lockedWhenRaised, true);
        assert.equal(cond.locked(), false);
      })(),
    );
  });

  /**
   * Two consumers take items (counted in `state.items`) under `cond` until `items` goes
   * negative; `race(cond, state, consumers)` produces one item and cancels the first consumer
   * at some point. The item must be consumed by the other one.
   */
  function* notificationRace(
    race: (
      cond: asyncio.Condition,
      state: { items: number },
      consumers: asyncio.Task<void>[],
    ) => asyncio.Coro<void>,
  ): asyncio.Coro<void> {
    const cond = new asyncio.Condition();
    const state = { items: 0 };
    function* consumer(): asyncio.Coro<void> {
      yield* asyncio.using(cond, function* () {
        for (;;) {
          yield* cond.waitFor(() => state.items !== 0);
          if (state.items < 0) return;
          state.items--;
        }
      });
    }
    const consumers = [asyncio.createTask(consumer()), asyncio.createTask(consumer())];
    yield* asyncio.sleep(0);
    yield* race(cond, state, consumers);
    yield* cond.acquire();
    assert.equal(state.items, 0);
    state.items = -1;
    cond.notifyAll();
    cond.release();
    yield* consumers[1]!;
    assert.equal(consumers[0]!.cancelled(), true);
  }

  it("a notified task cancelled before it runs passes the notification on", async () => {
    await runVirtual(
      notificationRace(function* (cond, state, consumers) {
        yield* cond.acquire();
        state.items++;
        cond.notify(1);
        consumers[0]!.cancel();
        cond.release();
        yield* asyncio.sleep(0.01);
      }),
    );
  });

  it("a notified task cancelled while it re-acquires the lock: the item is still consumed", async () => {
    await runVirtual(
      notificationRace(function* (cond, state, consumers) {
        yield* cond.acquire();
        state.items++;
        cond.notify(1);
        yield* asyncio.sleep(0);
        consumers[0]!.cancel();
        cond.release();
        yield* asyncio.sleep(0.01);
      }),
    );
  });

  it("several conditions can share one lock; a non-Lock is a TypeError", async () => {
    const lock = new asyncio.Lock();
    const first = new asyncio.Condition(lock);
    const second = new asyncio.Condition(lock);
    await runVirtual(
      (function* () {
        yield* first.acquire();
        assert.equal(second.locked(), true);
        assert.equal(lock.locked(), true);
        second.notify();
        second.release();
        assert.equal(first.locked(), false);
      })(),
    );
    assert.throws(() => new asyncio.Condition({} as asyncio.Lock), { name: "TypeError" });
  });

  it("is an async context manager over its lock", async () => {
    await runVirtual(
      (function* () {
        const cond = new asyncio.Condition();
        yield* cond.aenter();
        assert.equal(cond.locked(), true);
        assert.equal(yield* cond.aexit(undefined), false);
        assert.equal(cond.locked(), false);
      })(),
    );
  });

  it("statistics, toString and inspect show the lock and the waiters", async () => {
    await runVirtual(
      (function* () {
        const cond = new asyncio.Condition();
        assert.equal(String(cond), "<Condition [unlocked]>");
        const task = asyncio.createTask(
          (function* () {
            yield* cond.acquire();
            yield* cond.wait();
            cond.release();
          })(),
        );
        yield* asyncio.sleep(0);
        yield* cond.acquire();
        assert.deepEqual(cond.statistics(), {
          locked: true,
          waiters: 1,
          lock: { locked: true, owner: asyncio.currentTask(), waiters: 0 },
        });
        assert.equal(inspect(cond), "<Condition [locked, waiters:1]>");
        cond.notify();
        cond.release();
        yield* task;
      })(),
    );
  });
});
