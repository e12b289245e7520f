import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { after, caught, runVirtual } from "../helpers.ts";

const { waitFor, TimeoutError, CancelledError } = asyncio;

/** Sleeps 10 s ("slept"), but returns "kept" if cancelled meanwhile: it swallows the cancellation. */
function* stubborn(): asyncio.Coro<string> {
  try {
    yield* asyncio.sleep(10);
  } catch {
    return "kept";
  }
  return "slept";
}

describe("waitFor", () => {
  it("returns the result when the work finishes in time", async () => {
    await runVirtual(
      (function* () {
        assert.equal(yield* waitFor(after(1, "coro"), 2), "coro");
        assert.equal(yield* waitFor(asyncio.createTask(after(1, "task")), 2), "task");
        assert.equal(yield* waitFor(Promise.resolve("promise"), 2), "promise");
        assert.equal(yield* waitFor(after(1, "no limit"), null), "no limit");
      })(),
    );
  });

  it("on timeout, cancels the work, waits for it to end, then throws TimeoutError", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        function* slow(): asyncio.Coro<void> {
          try {
            yield* asyncio.sleep(10);
          } finally {
            yield* asyncio.sleep(0.5);
            events.push(`cleanup done at ${loop.time()}`);
          }
        }
        const task = asyncio.createTask(slow());
        const error = yield* caught(waitFor(task, 1));
        events.push(`waitFor threw ${(error as Error).name} at ${loop.time()}`);
        assert.equal(task.cancelled(), true);
        assert.ok((error as Error).cause instanceof CancelledError);
      })(),
    );
    assert.deepEqual(events, ["cleanup done at 1.5", "waitFor threw TimeoutError at 1.5"]);
  });

  it("a coroutine runs in the calling task, not a new one", async () => {
    await runVirtual(
      (function* () {
        const caller = asyncio.currentTask();
        function* whoRuns(): asyncio.Coro<asyncio.Task<unknown> | null> {
          yield* asyncio.sleep(0);
          return asyncio.currentTask();
        }
        assert.equal(yield* waitFor(whoRuns(), 1), caller);
      })(),
    );
  });

  it("a zero or negative timeout: a done future gives its result, anything else times out unstarted", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const done = loop.createFuture<string>();
        done.setResult("ready");
        assert.equal(yield* waitFor(done, 0), "ready");
        assert.equal(yield* waitFor(done, -1), "ready");

        let started = false;
        function* tracked(): asyncio.Coro<void> {
          started = true;
        }
        const error = yield* caught(waitFor(tracked(), 0));
        assert.ok(error instanceof TimeoutError);
        assert.equal(started, false);

        const failed = loop.createFuture<string>();
        failed.setException(new RangeError("already failed"));
        assert.ok((yield* caught(waitFor(failed, 0))) instanceof RangeError);
      })(),
    );
  });

  it("an already-done future with a positive timeout returns without waiting", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const done = loop.createFuture<number>();
        done.setResult(5);
        assert.equal(yield* waitFor(done, 10), 5);
        assert.equal(loop.time(), 0);
      })(),
    );
  });

  it("a zero timeout on a task that swallows its cancellation gives the task's value", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(stubborn());
        yield* asyncio.sleep(0);
        assert.equal(yield* waitFor(task, 0), "kept");
      })(),
    );
  });

  it("work that swallows the timeout's cancellation and returns: that value is returned", async () => {
    await runVirtual(
      (function* () {
        assert.equal(yield* waitFor(stubborn(), 1), "kept");
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
      })(),
    );
  });

  it("an error raised while the work is being cancelled is re-raised", async () => {
    await runVirtual(
      (function* () {
        function* failsOnCancel(): asyncio.Coro<void> {
          try {
            yield* asyncio.sleep(10);
          } catch {
            throw new RangeError("during cancellation");
          }
        }
        assert.ok((yield* caught(waitFor(failsOnCancel(), 1))) instanceof RangeError);
      })(),
    );
  });

  it("cancelling the waiting task cancels the work, and CancelledError comes out", async () => {
    await runVirtual(
      (function* () {
        const work = asyncio.createTask(after(10, "work"));
        const waiter = asyncio.createTask(waitFor(work, 5));
        yield* asyncio.sleep(1);
        waiter.cancel();
        const error = yield* caught(waiter);
        assert.ok(error instanceof CancelledError);
        assert.equal(work.cancelled(), true);
      })(),
    );
  });

  it("a shielded task runs on after the timeout", async () => {
    await runVirtual(
      (function* () {
        const work = asyncio.createTask(after(2, "finished anyway"));
        const error = yield* caught(waitFor(asyncio.shield(work), 1));
        assert.ok(error instanceof TimeoutError);
        assert.equal(work.cancelled(), false);
        assert.equal(yield* work, "finished anyway");
      })(),
    );
  });

  it("the work finishing in the iteration the timeout fires: TimeoutError, nothing left cancelled", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const result = loop.createFuture<string>();
        loop.callAt(1, () => result.setResult("late"));
        const error = yield* caught(waitFor(result, 1));
        assert.ok(error instanceof TimeoutError);
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
        assert.equal(result.result(), "late");
      })(),
    );
  });

  it("refuses non-awaitables and bad timeouts", async () => {
    await runVirtual(
      (function* () {
        assert.throws(() => waitFor(5 as never, 1), /waitFor\(\) expects something awaitable/);
        assert.throws(() => waitFor(after as never, 1), /generator function 'after'/);
        assert.throws(() => waitFor(after(0, 1), Number.NaN), asyncio.ValueError);
        assert.throws(() => waitFor(after(0, 1), "5" as never), TypeError);
        assert.throws(() => waitFor(after(0, 1), undefined as never), TypeError);
      })(),
    );
  });
});
