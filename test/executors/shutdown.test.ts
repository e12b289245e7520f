/**
 * Shutting executors down: waiting for queued and running work, `cancelFutures`, no new work
 * afterwards, and the timeout and cancelled waits that stop running work.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { failure, newGate, open, runMain, started, tasks, until } from "./helpers.ts";

describe("executor shutdown", () => {
  it("waits for queued and running work, then the workers exit; later submits fail", async () => {
    const [events, stats, error] = await runMain(function* () {
      const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      const events: string[] = [];
      const gate = newGate();
      const running = pool.submit(tasks.fn("block"), gate, 10_000);
      const queued = pool.submit(tasks.fn("add"), 1, 2);
      running.addDoneCallback(() => events.push("running done"));
      queued.addDoneCallback(() => events.push(`queued done: ${queued.result()}`));
      yield* until(() => started(gate) === 1);
      const shutdown = asyncio.createTask(
        (function* () {
          yield* pool.shutdown();
          events.push("shutdown done");
        })(),
      );
      yield* asyncio.sleep(0);
      events.push("opening");
      open(gate);
      yield* shutdown;
      const error = yield* failure(() => pool.submit(tasks.fn("add"), 1, 1));
      return [events, pool.statistics(), error] as const;
    });
    assert.deepEqual(events, ["opening", "running done", "queued done: 3", "shutdown done"]);
    assert.equal(stats.workers, 0);
    assert.ok(error instanceof asyncio.RuntimeError);
    assert.match((error as Error).message, /cannot schedule new futures after shutdown/);
  });

  it("cancelFutures cancels the queued items; the running one finishes", async () => {
    const [running, queued, byHand] = await runMain(function* () {
      const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      const gate = newGate();
      const running = pool.submit(tasks.fn("block"), gate, 10_000);
      const queued = pool.submit(tasks.fn("add"), 1, 2);
      // A queued item whose future someone completed by hand is dropped, not run.
      const completedByHand = pool.submit(tasks.fn("add"), 2, 2);
      completedByHand.setResult(0);
      yield* until(() => started(gate) === 1);
      const shutdown = pool.shutdown({ cancelFutures: true });
      const queuedState = queued.cancelled();
      open(gate);
      yield* shutdown;
      return [running.result(), queuedState, completedByHand.result()] as const;
    });
    assert.equal(running, "released");
    assert.equal(queued, true);
    assert.equal(byHand, 0);
  });

  it("stops work still running when the timeout passes: workers terminated, futures cancelled", async () => {
    const [elapsed, cancelled, message] = await runMain(function* () {
      const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      const gate = newGate();
      const running = pool.submit(tasks.fn("block"), gate, 20_000);
      yield* until(() => started(gate) === 1);
      const began = performance.now();
      yield* pool.shutdown({ timeout: 0.1 });
      const error = yield* failure(() => running);
      return [
        (performance.now() - began) / 1000,
        running.cancelled(),
        (error as Error).message,
      ] as const;
    });
    assert.ok(elapsed >= 0.09 && elapsed < 5, `stopped after the timeout (${elapsed} s)`);
    assert.equal(cancelled, true);
    assert.match(message, /shutdown timeout of 0\.1 seconds passed while the work still ran/);
  });

  it("cancelling the task waiting for shutdown stops the running work at once", async () => {
    const [cancelled, workers] = await runMain(function* () {
      const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1, cancelGracePeriod: 60 });
      const gate = newGate();
      const running = pool.submit(tasks.fn("block"), gate, 20_000);
      yield* until(() => started(gate) === 1);
      const waiter = asyncio.createTask(
        (function* () {
          yield* pool.shutdown();
        })(),
      );
      yield* asyncio.sleep(0);
      waiter.cancel();
      yield* failure(() => waiter);
      yield* until(() => pool.statistics().workers === 0);
      return [running.cancelled(), pool.statistics().workers] as const;
    });
    assert.equal(cancelled, true);
    assert.equal(workers, 0);
  });
});
