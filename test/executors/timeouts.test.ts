/**
 * Timeouts stop executor work: a timer that cancels the waiting task, `waitFor()` and
 * `timeout()` end the computation itself (its worker is terminated after the grace period).
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { realSleep, runMain, tasks, until } from "./helpers.ts";

let pool: asyncio.ThreadPoolExecutor;

before(() => {
  pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1, cancelGracePeriod: 0.1 });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

describe("timeouts on executor work", () => {
  it("a timer cancelling the waiting task stops the computation itself", async () => {
    const [error, atCancel, later] = await runMain(function* () {
      const loop = asyncio.getRunningLoop();
      const counter = new Int32Array(new SharedArrayBuffer(4));
      const task = asyncio.createTask(
        (function* () {
          return yield* loop.runInExecutor(pool, tasks.fn("busyCount"), counter, 20_000);
        })(),
      );
      yield* until(() => Atomics.load(counter, 0) > 0);
      loop.callLater(0.05, () => task.cancel());
      let error: unknown = null;
      try {
        yield* task;
      } catch (caught) {
        error = caught;
      }
      yield* until(() => pool.statistics().busy === 0);
      const atCancel = Atomics.load(counter, 0);
      yield* realSleep(0.2);
      return [error, atCancel, Atomics.load(counter, 0)];
    });
    assert.ok(error instanceof asyncio.CancelledError);
    assert.equal(later, atCancel, "the counting stopped: the worker was terminated");
  });

  it("waitFor() and timeout() stop the computation when time is up", async () => {
    const [errors, stopped] = await runMain(function* () {
      const loop = asyncio.getRunningLoop();
      const errors: string[] = [];
      const stopped: boolean[] = [];
      for (const style of ["waitFor", "timeout"]) {
        // A worker is ready (the last test's was terminated), so the work starts at once.
        yield* pool.submit(tasks.fn("add"), 0, 0);
        const counter = new Int32Array(new SharedArrayBuffer(4));
        const computation = () => loop.runInExecutor(pool, tasks.fn("busyCount"), counter, 20_000);
        try {
          if (style === "waitFor") yield* asyncio.waitFor(computation(), 0.2);
          else {
            yield* asyncio.using(asyncio.timeout(0.2), function* () {
              yield* computation();
            });
          }
        } catch (error) {
          errors.push(`${style}: ${(error as Error).name}`);
        }
        yield* until(() => pool.statistics().busy === 0);
        const atStop = Atomics.load(counter, 0);
        yield* realSleep(0.1);
        stopped.push(atStop > 0 && Atomics.load(counter, 0) === atStop);
      }
      return [errors, stopped] as const;
    });
    assert.deepEqual(errors, ["waitFor: TimeoutError", "timeout: TimeoutError"]);
    assert.deepEqual(stopped, [true, true]);
  });
});
