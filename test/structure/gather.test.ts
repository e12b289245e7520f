import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import {
  after,
  caught,
  failAfter,
  runCollectingErrors,
  runVirtual,
  sleepLoggingFinally,
} from "../helpers.ts";

const { gather, CancelledError } = asyncio;

describe("gather", () => {
  it("runs awaitables concurrently and gives results in argument order", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const task = asyncio.createTask(after(1, "task", events));
        const future = loop.createFuture<number>();
        loop.callLater(2, () => future.setResult(2));
        const results = yield* gather(
          after(3, "coro", events),
          task,
          future,
          asyncio.sleep(0.5, "sleep"),
          Promise.resolve("promise"),
        );
        assert.deepEqual(results, ["coro", "task", 2, "sleep", "promise"]);
        assert.equal(loop.time(), 3);
      })(),
    );
    assert.deepEqual(events, ["finished task", "finished coro"]);
  });

  it("gather() with nothing is an empty list, done at once", async () => {
    await runVirtual(
      (function* () {
        const empty = gather();
        assert.equal(empty.done(), true);
        assert.deepEqual(yield* empty, []);
        assert.deepEqual(yield* gather([]), []);
      })(),
    );
  });

  it("a gather of finished futures is done at once", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const a = loop.createFuture<number>();
        const b = loop.createFuture<number>();
        a.setResult(1);
        b.setResult(2);
        const all = gather(a, b);
        assert.equal(all.done(), true);
        assert.deepEqual(all.result(), [1, 2]);
      })(),
    );
  });

  it("the first error fails the gather at once; the other children run on", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const slow = asyncio.createTask(after(5, "slow", events));
        const error = yield* caught(gather(slow, failAfter(1, new RangeError("boom"))));
        assert.ok(error instanceof RangeError);
        assert.equal(loop.time(), 1);
        assert.equal(slow.done(), false);
        yield* slow;
      })(),
    );
    assert.deepEqual(events, ["finished slow"]);
  });

  it("returnExceptions: errors and cancellations are results; the gather waits for all", async () => {
    await runVirtual(
      (function* () {
        const cancelled = asyncio.createTask(after(10, "never"));
        cancelled.cancel("stop it");
        const results = yield* gather(
          [after(2, "ok"), failAfter(1, new RangeError("bad")), cancelled],
          { returnExceptions: true },
        );
        assert.equal(results[0], "ok");
        assert.ok(results[1] instanceof RangeError);
        assert.ok(results[2] instanceof CancelledError);
        assert.equal((results[2] as Error).message, "stop it");
        assert.equal(asyncio.getRunningLoop().time(), 2);
      })(),
    );
  });

  it("a child cancelled from outside fails the gather with CancelledError; the gather is not cancelled", async () => {
    await runVirtual(
      (function* () {
        const child = asyncio.createTask(after(10, 1));
        const other = asyncio.createTask(after(10, 2));
        const all = gather(child, other);
        yield* asyncio.sleep(1);
        child.cancel();
        const error = yield* caught(all);
        assert.ok(error instanceof CancelledError);
        assert.equal(all.cancelled(), false);
        assert.equal(other.cancelled(), false);
        other.cancel();
      })(),
    );
  });

  it("cancelling the gather cancels its children; it ends with CancelledError once they end", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const all = gather(sleepLoggingFinally("a", events), sleepLoggingFinally("b", events));
        yield* asyncio.sleep(1);
        assert.equal(all.cancel("enough"), true);
        assert.equal(all.done(), false);
        const error = yield* caught(all);
        assert.ok(error instanceof CancelledError);
        assert.equal(all.cancel(), false);
      })(),
    );
    assert.deepEqual(events, ["a finally", "b finally"]);
  });

  it("cancelling the gather with returnExceptions still ends it with CancelledError", async () => {
    await runVirtual(
      (function* () {
        const all = gather([after(10, 1), after(10, 2)], { returnExceptions: true });
        yield* asyncio.sleep(1);
        all.cancel();
        const error = yield* caught(all);
        assert.ok(error instanceof CancelledError);
      })(),
    );
  });

  it("cancelling the task waiting on a gather cancels the children", async () => {
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(after(10, 1));
        const b = asyncio.createTask(after(10, 2));
        const waiter = asyncio.createTask(gather(a, b));
        yield* asyncio.sleep(1);
        waiter.cancel();
        const error = yield* caught(waiter);
        assert.ok(error instanceof CancelledError);
        assert.equal(waiter.cancelled(), true);
        assert.equal(a.cancelled(), true);
        assert.equal(b.cancelled(), true);
      })(),
    );
  });

  it("a child that ignores cancellation: the gather ends cancelled, at once or once all are done", async () => {
    await runVirtual(
      (function* () {
        function* stubborn(): asyncio.Coro<string> {
          try {
            yield* asyncio.sleep(10);
          } catch {
            yield* asyncio.sleep(1);
          }
          return "kept going";
        }
        const loop = asyncio.getRunningLoop();
        // Without returnExceptions the first cancelled child ends the gather...
        const first = gather(stubborn(), after(0.5, "quick"));
        yield* asyncio.sleep(0.1);
        first.cancel();
        assert.ok((yield* caught(first)) instanceof CancelledError);
        assert.equal(loop.time(), 0.1);
        yield* asyncio.sleep(2);
        // ...with it, the gather waits for the stubborn one.
        const all = gather([stubborn(), after(0.5, "quick")], { returnExceptions: true });
        yield* asyncio.sleep(0.1);
        all.cancel();
        assert.ok((yield* caught(all)) instanceof CancelledError);
        assert.equal(loop.time(), 3.2);
      })(),
    );
  });

  it("the same coroutine or task given twice runs once and fills both places", async () => {
    let runs = 0;
    await runVirtual(
      (function* () {
        function* counted(): asyncio.Coro<string> {
          runs++;
          yield* asyncio.sleep(1);
          return "once";
        }
        const coro = counted();
        const results = yield* gather(coro, coro, after(0.5, "other"), coro);
        assert.deepEqual(results, ["once", "once", "other", "once"]);
        const task = asyncio.createTask(after(1, "t"));
        const many = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? task : after(0, i)));
        const manyResults = yield* gather(many);
        assert.equal(manyResults[0], "t");
        assert.equal(manyResults[18], "t");
        assert.equal(manyResults[1], 1);
      })(),
    );
    assert.equal(runs, 1);
  });

  it("errors of children that finish after the gather failed are marked retrieved", async () => {
    const { errors: reported } = await runCollectingErrors(
      (function* () {
        yield* caught(
          gather(failAfter(1, new RangeError("first")), failAfter(2, new TypeError("late"))),
        );
        yield* asyncio.sleep(5);
      })(),
    );
    assert.deepEqual(reported, []);
  });

  it("refuses non-awaitables before starting anything", async () => {
    let started = false;
    await runVirtual(
      (function* () {
        function* tracked(): asyncio.Coro<void> {
          started = true;
        }
        assert.throws(
          () => gather(tracked(), 42 as never),
          /gather\(\) item 2 is not awaitable: expected a coroutine, Task, Future or Promise, got number 42/,
        );
        assert.throws(() => gather(tracked as never), /generator function 'tracked'; call it/);
        assert.throws(
          () => (gather as (...args: unknown[]) => unknown)([1, 2], {}, {}),
          /either awaitables/,
        );
        yield* asyncio.sleep(1);
      })(),
    );
    assert.equal(started, false);
  });

  it("refuses futures of different loops", async () => {
    const other = asyncio.newEventLoop();
    try {
      await runVirtual(
        (function* () {
          const mine = asyncio.getRunningLoop().createFuture();
          const theirs = other.createFuture();
          assert.throws(() => gather(mine, theirs), /different event loop/);
        })(),
      );
    } finally {
      other.close();
    }
  });

  it("prints as a future", async () => {
    await runVirtual(
      (function* () {
        const all = gather(asyncio.sleep(1));
        assert.equal(String(all), "<GatheringFuture pending>");
        yield* all;
      })(),
    );
  });
});
