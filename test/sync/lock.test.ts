import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

/** Holds the lock for `hold` seconds, logging when it got it and when it let go. */
function* holder(
  lock: asyncio.Lock,
  name: string,
  events: string[],
  hold: number,
): asyncio.Coro<void> {
  events.push(`${name} wants`);
  yield* lock.acquire();
  events.push(`${name} got`);
  try {
    yield* asyncio.sleep(hold);
  } finally {
    events.push(`${name} releases`);
    lock.release();
  }
}

describe("Lock", () => {
  it("acquire on a free lock takes it without suspending", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        asyncio.createTask(
          (function* () {
            events.push("other task ran");
          })(),
        );
        assert.equal(lock.locked(), false);
        const acquired: true = yield* lock.acquire();
        assert.equal(acquired, true);
        events.push("acquired");
        assert.equal(lock.locked(), true);
        lock.release();
        assert.equal(lock.locked(), false);
        yield* asyncio.sleep(0);
      })(),
    );
    assert.deepEqual(events, ["acquired", "other task ran"]);
  });

  it("hands the lock to waiters in FIFO order", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        const tasks = ["a", "b", "c"].map((name) =>
          asyncio.createTask(holder(lock, name, events, 1)),
        );
        for (const task of tasks) yield* task;
      })(),
    );
    assert.deepEqual(events, [
      "a wants",
      "a got",
      "b wants",
      "c wants",
      "a releases",
      "b got",
      "b releases",
      "c got",
      "c releases",
    ]);
  });

  it("a task that finds the lock free while a woken waiter has not run yet queues behind it", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        yield* lock.acquire();
        const waiter = asyncio.createTask(holder(lock, "waiter", events, 0));
        yield* asyncio.sleep(0);
        lock.release();
        // The lock is free, but the waiter was woken first and is owed it.
        assert.equal(lock.locked(), false);
        events.push("main wants");
        yield* lock.acquire();
        events.push("main got");
        lock.release();
        yield* waiter;
      })(),
    );
    assert.deepEqual(events, [
      "waiter wants",
      "main wants",
      "waiter got",
      "waiter releases",
      "main got",
    ]);
  });

  it("releasing an unlocked lock is a RuntimeError and changes nothing", () => {
    const lock = new asyncio.Lock();
    assert.throws(() => lock.release(), {
      name: "RuntimeError",
      message: /unlocked lock/,
    });
    assert.equal(lock.locked(), false);
  });

  it("a waiter cancelled while waiting never gets the lock and leaves the queue", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const lock = new asyncio.Lock();
        yield* lock.acquire();
        const task = asyncio.createTask(lock.acquire());
        loop.callSoon(() => task.cancel());
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        assert.equal(task.cancelled(), true);
        assert.equal(lock._waiters.length, 0);
        assert.deepEqual(lock.statistics().waiters, 0);
        lock.release();
        assert.equal(lock.locked(), false);
      })(),
    );
  });

  it("when the waiter the lock passed to is cancelled, the lock goes to the next waiter", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        const release = asyncio.getRunningLoop().createFuture<void>();
        const a = asyncio.createTask(
          (function* () {
            yield* lock.acquire();
            yield* release;
            lock.release();
          })(),
        );
        yield* asyncio.sleep(0);
        const b = asyncio.createTask(holder(lock, "b", events, 0));
        const c = asyncio.createTask(holder(lock, "c", events, 0));
        yield* asyncio.sleep(0);
        assert.equal(lock._waiters.length, 2);
        // a releases (waking b) and, in the same iteration, b is cancelled.
        release.setResult();
        yield* asyncio.sleep(0);
        assert.equal(a.done(), true);
        b.cancel();
        yield* c;
        assert.equal(b.cancelled(), true);
        assert.equal(lock.locked(), false);
      })(),
    );
    assert.deepEqual(events, ["b wants", "c wants", "c got", "c releases"]);
  });

  it("cancel and release in one callback: exactly one waiter gets the lock", async () => {
    let calls = 0;
    let taken = 0;
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const lock = new asyncio.Lock();
        function* lockit(): asyncio.Coro<void> {
          calls++;
          yield* lock.acquire();
          taken++;
        }
        yield* lock.acquire();
        const t1 = asyncio.createTask(lockit());
        const t2 = asyncio.createTask(lockit());
        const t3 = asyncio.createTask(lockit());
        yield* asyncio.sleep(0);
        loop.callSoon(() => {
          t1.cancel();
          lock.release();
        });
        try {
          yield* t1;
          assert.fail("t1 was cancelled");
        } catch (error) {
          assert.ok(asyncio.isCancelledError(error));
        }
        assert.equal(taken, 1);
        assert.equal(calls, 3);
        assert.equal(t1.cancelled(), true);
        assert.equal(t2.done(), true);
        t3.cancel();
        yield* asyncio.sleep(0);
        assert.equal(t3.cancelled(), true);
      })(),
    );
  });

  it("a woken waiter cancelled before it runs wakes the one behind it", async () => {
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        yield* lock.acquire();
        const b = asyncio.createTask(lock.acquire());
        yield* asyncio.sleep(0);
        const c = asyncio.createTask(lock.acquire());
        yield* asyncio.sleep(0);
        lock.release();
        b.cancel();
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        assert.equal(b.cancelled(), true);
        assert.equal(c.done(), true);
        assert.equal(lock.locked(), true);
        lock.release();
      })(),
    );
  });

  it("a woken waiter cancelled before it runs, with nobody behind it, leaves the lock free", async () => {
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        yield* lock.acquire();
        const b = asyncio.createTask(lock.acquire());
        yield* asyncio.sleep(0);
        lock.release();
        b.cancel();
        yield* asyncio.sleep(0);
        assert.equal(b.cancelled(), true);
        assert.equal(lock.locked(), false);
        assert.equal(lock._waiters.length, 0);
        yield* lock.acquire();
        lock.release();
      })(),
    );
  });

  it("a task may jump the queue when every waiter ahead is cancelled", async () => {
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        yield* lock.acquire();
        const b = asyncio.createTask(lock.acquire());
        yield* asyncio.sleep(0);
        const c = asyncio.createTask(lock.acquire());
        b.cancel();
        lock.release();
        yield* asyncio.sleep(0);
        // c started before cancelled b could clean up, and took the free lock at once.
        assert.equal(lock.locked(), true);
        assert.equal(b.cancelled(), true);
        assert.equal(yield* c, true);
        lock.release();
      })(),
    );
  });

  it("is an async context manager: aenter acquires, aexit releases and never suppresses", async () => {
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        yield* lock.aenter();
        assert.equal(lock.locked(), true);
        assert.equal(yield* lock.aexit(new Error("body failed")), false);
        assert.equal(lock.locked(), false);
      })(),
    );
  });

  it("statistics report state, owner and waiters; toString and inspect print them", async () => {
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        assert.deepEqual(lock.statistics(), { locked: false, owner: null, waiters: 0 });
        assert.equal(String(lock), "<Lock [unlocked]>");
        yield* lock.acquire();
        const me = asyncio.currentTask();
        const waiters = [asyncio.createTask(lock.acquire()), asyncio.createTask(lock.acquire())];
        yield* asyncio.sleep(0);
        assert.deepEqual(lock.statistics(), { locked: true, owner: me, waiters: 2 });
        assert.equal(String(lock), "<Lock [locked, waiters:2]>");
        assert.equal(inspect(lock), "<Lock [locked, waiters:2]>");
        waiters[0]!.cancel();
        assert.equal(lock.statistics().waiters, 1);
        lock.release();
        // The cancelled first waiter cleans up and wakes the second, which then runs.
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        assert.equal(lock.statistics().owner, waiters[1]);
        lock.release();
      })(),
    );
  });

  it("acquire() outside any task records no owner", async () => {
    await runVirtual(
      (function* () {
        const lock = new asyncio.Lock();
        const taken = asyncio.getRunningLoop().createFuture<void>();
        asyncio.getRunningLoop().callSoon(() => {
          // A plain callback takes a free lock by running its awaitable to completion.
          assert.deepEqual([...(lock.acquire() as Iterable<unknown>)], []);
          taken.setResult();
        });
        yield* taken;
        assert.deepEqual(lock.statistics(), { locked: true, owner: null, waiters: 0 });
      })(),
    );
  });

  it("is bound to the first loop a task waited on it in", async () => {
    const lock = new asyncio.Lock();
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const waiter = asyncio.createTask(lock.acquire());
        yield* asyncio.sleep(0);
        lock.release();
        yield* waiter;
      })(),
    );
    await runVirtual(
      (function* () {
        // Taking a free lock needs no loop; waiting for it does.
        assert.equal(lock.locked(), true);
        assert.throws(() => {
          const iterator = lock.acquire()[Symbol.iterator]();
          iterator.next();
        }, /bound to a different event loop/);
      })(),
    );
  });

  it("its awaitable refuses to be driven by hand past a point it cannot complete", () => {
    const lock = new asyncio.Lock();
    const awaitable = lock.acquire() as unknown as Iterator<unknown>;
    assert.deepEqual(awaitable.next(), { done: true, value: true });
    assert.throws(() => awaitable.next(), { name: "RuntimeError", message: /yield\*/ });
  });
});
