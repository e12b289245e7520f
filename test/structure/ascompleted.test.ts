import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { after, failAfter, onVirtualLoop, runVirtual } from "../helpers.ts";

const { asCompleted, TimeoutError } = asyncio;

describe("asCompleted", () => {
  it("the plain iterator gives awaitables of results in completion order", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const seen: string[] = [];
        for (const next of asCompleted([after(3, "c"), after(1, "a"), after(2, "b")])) {
          seen.push(`${yield* next}@${loop.time()}`);
        }
        assert.deepEqual(seen, ["a@1", "b@2", "c@3"]);
      })(),
    );
  });

  it("an error is thrown by the awaitable of its turn; later ones still come", async () => {
    await runVirtual(
      (function* () {
        const seen: string[] = [];
        for (const next of asCompleted([after(2, "ok"), failAfter(1)])) {
          try {
            seen.push(yield* next);
          } catch (error) {
            seen.push((error as Error).message);
          }
        }
        assert.deepEqual(seen, ["failed after 1", "ok"]);
      })(),
    );
  });

  it("the asynchronous form gives the original tasks, and Tasks made for coroutines", async () => {
    await runVirtual(
      (function* () {
        const slow = asyncio.createTask(after(2, "slow"), { name: "slow" });
        const fast = asyncio.createTask(after(1, "fast"), { name: "fast" });
        const finished = asCompleted<asyncio.Awaitable<string>>([slow, fast, after(3, "coro")]);
        assert.equal(finished.remaining, 3);
        const order: unknown[] = [];
        for (let step = yield* finished.next(); !step.done; step = yield* finished.next()) {
          order.push(step.value);
        }
        assert.equal(order[0], fast);
        assert.equal(order[1], slow);
        assert.ok(order[2] instanceof asyncio.Task);
        assert.equal((order[2] as asyncio.Task<string>).result(), "coro");
        assert.deepEqual(yield* finished.next(), { done: true, value: undefined });
      })(),
    );
  });

  it("after the timeout, the ones not finished throw TimeoutError and are not cancelled", async () => {
    await runVirtual(
      (function* () {
        const slow = asyncio.createTask(after(5, "slow"));
        const seen: string[] = [];
        for (const next of asCompleted([after(1, "fast"), slow], { timeout: 2 })) {
          try {
            seen.push(yield* next);
          } catch (error) {
            seen.push((error as Error).name);
          }
        }
        assert.deepEqual(seen, ["fast", "TimeoutError"]);
        assert.equal(slow.cancelled(), false);
        assert.equal(yield* slow, "slow");
      })(),
    );
  });

  it("the asynchronous form throws TimeoutError at the timeout", async () => {
    await runVirtual(
      (function* () {
        const finished = asCompleted([after(5, "slow")], { timeout: 1 });
        try {
          yield* finished.next();
          assert.fail("expected TimeoutError");
        } catch (error) {
          assert.ok(error instanceof TimeoutError);
        }
      })(),
    );
  });

  it("an awaitable given twice counts once; done futures come first; empty input ends at once", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const ready = loop.createFuture<string>();
        ready.setResult("ready");
        const task = asyncio.createTask(after(1, "task"));
        const results: string[] = [];
        for (const next of asCompleted([task, ready, task])) results.push(yield* next);
        assert.deepEqual(results, ["ready", "task"]);
        assert.deepEqual([...asCompleted([])], []);
      })(),
    );
  });

  it("a cancelled wait for the next one loses nothing", async () => {
    await runVirtual(
      (function* () {
        const finished = asCompleted([after(1, "a"), after(2, "b")]);
        const taker = asyncio.createTask(finished.next());
        yield* asyncio.sleep(0.5);
        taker.cancel();
        try {
          yield* taker;
        } catch {
          // cancelled, as asked
        }
        const first = yield* finished.next();
        const second = yield* finished.next();
        assert.equal(first.done, false);
        assert.equal(second.done, false);
        assert.equal((first.value as asyncio.Future<string>).result(), "a");
        assert.equal((second.value as asyncio.Future<string>).result(), "b");
      })(),
    );
  });

  it("works with for await from an async function", async () => {
    const names = await onVirtualLoop(function* () {
      const tasks = [
        asyncio.createTask(after(2, "two"), { name: "two" }),
        asyncio.createTask(after(1, "one"), { name: "one" }),
      ];
      return yield* asyncio.fromPromise(
        (async () => {
          const order: string[] = [];
          for await (const task of asCompleted(tasks)) order.push((task as asyncio.Task).getName());
          return order;
        })(),
      );
    });
    assert.deepEqual(names, ["one", "two"]);
  });

  it("refuses a single future, a coroutine, non-awaitables and a bad timeout", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(after(0, 1));
        assert.throws(() => asCompleted(task as never), /a single Future/);
        assert.throws(() => asCompleted(after(0, 1) as never), /coroutine or iterator is refused/);
        assert.throws(() => asCompleted([1] as never), /item 1 is not awaitable/);
        assert.throws(() => asCompleted([task], { timeout: Number.NaN }), asyncio.ValueError);
        yield* task;
      })(),
    );
  });
});
