import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { after, failAfter, runVirtual } from "../helpers.ts";

const { wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } = asyncio;

function names(tasks: Set<asyncio.Task<unknown>>): string[] {
  return [...tasks].map((task) => task.getName());
}

describe("wait", () => {
  it("ALL_COMPLETED (the default) waits for every future", async () => {
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(after(1, "a"), { name: "a" });
        const b = asyncio.createTask(failAfter(2), { name: "b" });
        const [done, pending] = yield* wait([a, b]);
        assert.deepEqual(names(done), ["a", "b"]);
        assert.equal(pending.size, 0);
        assert.equal(asyncio.getRunningLoop().time(), 2);
        b.exception();
      })(),
    );
  });

  it("FIRST_COMPLETED returns with the first one done; nothing is cancelled", async () => {
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(after(1, "a"), { name: "a" });
        const b = asyncio.createTask(after(2, "b"), { name: "b" });
        const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_COMPLETED });
        assert.deepEqual(names(done), ["a"]);
        assert.deepEqual(names(pending), ["b"]);
        assert.equal(b.cancelled(), false);
        assert.equal(yield* b, "b");
      })(),
    );
  });

  it("FIRST_EXCEPTION returns at the first failure, or when all are done", async () => {
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(after(1, "a"), { name: "a" });
        const b = asyncio.createTask(failAfter(2), { name: "b" });
        const c = asyncio.createTask(after(3, "c"), { name: "c" });
        const [done, pending] = yield* wait([a, b, c], { returnWhen: FIRST_EXCEPTION });
        assert.deepEqual(names(done), ["a", "b"]);
        assert.deepEqual(names(pending), ["c"]);
        b.exception();
        const [allDone] = yield* wait([c], { returnWhen: FIRST_EXCEPTION });
        assert.deepEqual(names(allDone), ["c"]);
      })(),
    );
  });

  it("FIRST_EXCEPTION does not count a cancellation as an exception", async () => {
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(after(5, "a"), { name: "a" });
        const b = asyncio.createTask(after(1, "b"), { name: "b" });
        a.cancel();
        const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_EXCEPTION });
        assert.deepEqual(names(done), ["a", "b"]);
        assert.equal(pending.size, 0);
      })(),
    );
  });

  it("a timeout returns what is done so far, without throwing or cancelling", async () => {
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(after(1, "a"), { name: "a" });
        const b = asyncio.createTask(after(5, "b"), { name: "b" });
        const [done, pending] = yield* wait([a, b], { timeout: 2, returnWhen: ALL_COMPLETED });
        assert.deepEqual(names(done), ["a"]);
        assert.deepEqual(names(pending), ["b"]);
        assert.equal(asyncio.getRunningLoop().time(), 2);
        assert.equal(b.cancelled(), false);
        yield* b;
      })(),
    );
  });

  it("futures already done count on the next iteration; duplicates count once", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const done1 = loop.createFuture<number>();
        done1.setResult(1);
        const [done, pending] = yield* wait([done1, done1]);
        assert.deepEqual([...done], [done1]);
        assert.equal(pending.size, 0);
      })(),
    );
  });

  it("cancelling the waiter leaves the futures running, with no waiter left on them", async () => {
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(after(5, "a"));
        const waiter = asyncio.createTask(wait([a]));
        yield* asyncio.sleep(1);
        waiter.cancel();
        try {
          yield* waiter;
        } catch {
          // expected: cancelled
        }
        assert.equal(waiter.cancelled(), true);
        assert.equal(a.done(), false);
        assert.equal(a._waiter, null);
        assert.equal(yield* a, "a");
      })(),
    );
  });

  it("refuses an empty list, coroutines, non-futures and bad options", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(after(0, 1));
        assert.throws(() => wait([]), asyncio.ValueError);
        assert.throws(() => wait([]), /Set of Tasks\/Futures is empty/);
        const coro = after(0, 1);
        assert.throws(() => wait([coro as never]), /passing coroutines is forbidden/);
        assert.throws(() => wait(coro as never), /not a coroutine/);
        assert.throws(() => wait(task as never), /not a single Future/);
        assert.throws(() => wait([Promise.resolve(1) as never]), /not a Future or Task/);
        assert.throws(() => wait(5 as never), /expects a list of futures/);
        assert.throws(
          () => wait([task], { returnWhen: "SOMETIMES" as never }),
          /Invalid returnWhen value/,
        );
        assert.throws(() => wait([task], { timeout: Number.NaN }), asyncio.ValueError);
        assert.throws(() => wait([task], { timeout: "1" as never }), TypeError);
        yield* task;
      })(),
    );
  });
});
