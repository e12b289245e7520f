import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

describe("Semaphore", () => {
  it("lets `value` tasks in at once; the rest wait and enter in FIFO order", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(2);
        function* worker(name: string, seconds: number): asyncio.Coro<void> {
          yield* semaphore.acquire();
          events.push(`${name} in at ${asyncio.getRunningLoop().time()}`);
          yield* asyncio.sleep(seconds);
          semaphore.release();
        }
        const tasks = [
          asyncio.createTask(worker("a", 1)),
          asyncio.createTask(worker("b", 3)),
          asyncio.createTask(worker("c", 1)),
          asyncio.createTask(worker("d", 1)),
        ];
        for (const task of tasks) yield* task;
        assert.equal(semaphore.statistics().value, 2);
      })(),
    );
    assert.deepEqual(events, ["a in at 0", "b in at 0", "c in at 1", "d in at 2"]);
  });

  it("each task takes its turn twice, in order (asyncio's FIFO rule)", async () => {
    const result: string[] = [];
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(1);
        function* coro(tag: string): asyncio.Coro<void> {
          for (const round of [1, 2]) {
            yield* semaphore.acquire();
            result.push(`${tag}_${round}`);
            yield* asyncio.sleep(0.01);
            semaphore.release();
          }
        }
        const tasks = ["c1", "c2", "c3"].map((tag) => asyncio.createTask(coro(tag)));
        for (const task of tasks) yield* task;
      })(),
    );
    assert.deepEqual(result, ["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"]);
  });

  it("a task releasing and re-acquiring goes behind those already waiting", async () => {
    const result: number[] = [];
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(1);
        const t1 = asyncio.createTask(
          (function* () {
            yield* semaphore.acquire();
            result.push(1);
          })(),
        );
        const t2 = asyncio.createTask(
          (function* () {
            yield* semaphore.acquire();
            result.push(2);
            semaphore.release();
            yield* semaphore.acquire();
            result.push(4);
          })(),
        );
        const t3 = asyncio.createTask(
          (function* () {
            yield* semaphore.acquire();
            result.push(3);
          })(),
        );
        yield* asyncio.sleep(0);
        semaphore.release();
        semaphore.release();
        yield* t1;
        yield* t2;
        yield* t3;
      })(),
    );
    assert.deepEqual(result, [1, 2, 3, 4]);
  });

  it("a waiter cancelled before a release does not consume it", async () => {
    const result: number[] = [];
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(0);
        const tasks = [1, 2, 3].map((id) =>
          asyncio.createTask(
            (function* () {
              yield* semaphore.acquire();
              result.push(id);
            })(),
          ),
        );
        yield* asyncio.sleep(0);
        tasks[0]!.cancel();
        yield* asyncio.sleep(0);
        semaphore.release();
        semaphore.release();
        yield* tasks[1]!;
        yield* tasks[2]!;
        assert.equal(tasks[0]!.cancelled(), true);
      })(),
    );
    assert.deepEqual(result, [2, 3]);
  });

  it("waiters cancelled as a slot is released: the slot goes to exactly one live waiter", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(0);
        const tasks = [1, 2, 3, 4].map(() => asyncio.createTask(semaphore.acquire()));
        yield* asyncio.sleep(0);
        tasks[0]!.cancel();
        tasks[1]!.cancel();
        semaphore.release();
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        assert.equal(tasks[2]!.done() && !tasks[2]!.cancelled(), true);
        assert.equal(tasks[3]!.done(), false);
        assert.equal(semaphore.statistics().value, 0);
        tasks[3]!.cancel();
        yield* asyncio.sleep(0);
      })(),
    );
  });

  it("a woken waiter cancelled before it runs gives the slot back, and it goes on to the next", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(0);
        const t1 = asyncio.createTask(semaphore.acquire());
        const t2 = asyncio.createTask(semaphore.acquire());
        yield* asyncio.sleep(0);
        semaphore.release();
        // The slot is counted out to t1; cancel t1 before it runs.
        t1.cancel();
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        assert.equal(t1.cancelled(), true);
        assert.equal(t2.done() && !t2.cancelled(), true);
        assert.equal(semaphore.locked(), true);
        assert.equal(semaphore.statistics().value, 0);
      })(),
    );
  });

  it("no hang: a task cancelled right after the holder leaves does not strand the slot", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(1);
        let t2: asyncio.Task<void> | null = null;
        const t1 = asyncio.createTask(
          (function* () {
            yield* semaphore.acquire();
            yield* asyncio.sleep(0);
            semaphore.release();
            t2!.cancel();
          })(),
        );
        t2 = asyncio.createTask(
          (function* () {
            yield* semaphore.acquire();
            assert.fail("t2 must not get in");
          })(),
        );
        yield* t1;
        try {
          yield* t2;
        } catch (error) {
          assert.ok(asyncio.isCancelledError(error));
        }
        assert.equal(semaphore.locked(), false);
        yield* semaphore.acquire();
      })(),
    );
  });

  it("one acquire that completes wakes every waiter the free slots allow", async () => {
    const result: number[] = [];
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(0);
        let t4: asyncio.Task<void> | null = null;
        const t1 = asyncio.createTask(
          (function* () {
            yield* semaphore.acquire();
            assert.equal(semaphore.statistics().value, 0);
            t4 = asyncio.createTask(
              (function* () {
                result.push(4);
              })(),
            );
            result.push(1);
          })(),
        );
        const t2 = asyncio.createTask(
          (function* () {
            semaphore.release();
            semaphore.release();
            semaphore.release();
            assert.equal(semaphore.statistics().value, 2);
            assert.equal(semaphore.locked(), true);
            yield* semaphore.acquire();
            result.push(2);
          })(),
        );
        const t3 = asyncio.createTask(
          (function* () {
            yield* semaphore.acquire();
            result.push(3);
          })(),
        );
        yield* asyncio.sleep(0);
        assert.equal(semaphore.statistics().value, 2);
        assert.equal(semaphore._waiters.length, 3);
        yield* asyncio.sleep(0);
        yield* t1;
        yield* t2;
        yield* t3;
        yield* t4!;
      })(),
    );
    assert.deepEqual(result, [1, 2, 3, 4]);
  });

  it("locked() is true while waiters are queued, even with a free slot", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(1);
        assert.equal(semaphore.locked(), false);
        yield* semaphore.acquire();
        assert.equal(semaphore.locked(), true);
        semaphore.release();
        assert.equal(semaphore.locked(), false);
      })(),
    );
  });

  it("a plain Semaphore may be released above its initial value", () => {
    const semaphore = new asyncio.Semaphore(1);
    semaphore.release();
    assert.equal(semaphore.statistics().value, 2);
  });

  it("rejects a negative or fractional initial value", () => {
    assert.throws(() => new asyncio.Semaphore(-1), { name: "ValueError", message: /non-negative/ });
    assert.throws(() => new asyncio.Semaphore(1.5), { name: "TypeError" });
    assert.equal(new asyncio.Semaphore(0).locked(), true);
  });

  it("is an async context manager", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(1);
        yield* semaphore.aenter();
        assert.equal(semaphore.locked(), true);
        assert.equal(yield* semaphore.aexit(undefined), false);
        assert.equal(semaphore.locked(), false);
      })(),
    );
  });

  it("statistics, toString and inspect show the value and the waiters", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.Semaphore(2);
        assert.equal(String(semaphore), "<Semaphore [unlocked, value:2]>");
        yield* semaphore.acquire();
        yield* semaphore.acquire();
        const waiter = asyncio.createTask(semaphore.acquire());
        yield* asyncio.sleep(0);
        assert.deepEqual(semaphore.statistics(), { value: 0, locked: true, waiters: 1 });
        assert.equal(inspect(semaphore), "<Semaphore [locked, waiters:1]>");
        semaphore.release();
        yield* waiter;
      })(),
    );
  });
});

describe("BoundedSemaphore", () => {
  it("a release above the initial value is a ValueError that changes nothing", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.BoundedSemaphore(2);
        assert.equal(semaphore.bound, 2);
        yield* semaphore.acquire();
        semaphore.release();
        assert.throws(() => semaphore.release(), {
          name: "ValueError",
          message: /released too many times/,
        });
        assert.equal(semaphore.statistics().value, 2);
        assert.equal(String(semaphore), "<BoundedSemaphore [unlocked, value:2]>");
      })(),
    );
  });

  it("checks the bound against the free count only, as asyncio does", async () => {
    await runVirtual(
      (function* () {
        const semaphore = new asyncio.BoundedSemaphore(1);
        yield* semaphore.acquire();
        const waiter = asyncio.createTask(semaphore.acquire());
        yield* asyncio.sleep(0);
        semaphore.release();
        // The slot went to the waiter, so the count is back to 0 and a second release passes.
        semaphore.release();
        yield* waiter;
        assert.deepEqual(semaphore.statistics(), { value: 1, locked: false, waiters: 0 });
        assert.throws(() => semaphore.release(), { name: "ValueError" });
      })(),
    );
  });
});
