/**
 * Cancelling work: a queued item is dropped at once; a running one gets its AbortSignal
 * (cooperative), then after the grace period its worker is terminated and replaced; a forced
 * stop never touches another item's worker. (timeouts.test.ts: timers and timeouts.)
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { newGate, open, realSleep, runMain, started, tasks, until } from "./helpers.ts";

let pool: asyncio.ThreadPoolExecutor;

before(() => {
  pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 2, cancelGracePeriod: 0.2 });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

describe("cancelling executor work", () => {
  it("drops a queued item at once: it never runs", async () => {
    const [runningGate, queuedGate, stats, outcome] = await runMain(function* () {
      const one = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      try {
        const runningGate = newGate();
        const queuedGate = newGate();
        const running = one.submit(tasks.fn("block"), runningGate, 5000);
        const queued = one.submit(tasks.fn("block"), queuedGate, 5000);
        yield* until(() => started(runningGate) === 1);
        assert.equal(one.statistics().queued, 1);
        assert.equal(queued.cancel(), true);
        const stats = one.statistics();
        open(runningGate);
        const outcome = yield* running;
        yield* one.shutdown();
        return [
          runningGate,
          queuedGate,
          stats,
          `${outcome}, queued cancelled: ${queued.cancelled()}`,
        ];
      } finally {
        yield* one.shutdown({ timeout: 1 });
      }
    });
    assert.equal(stats.queued, 0);
    assert.equal(stats.cancelled, 1);
    assert.equal(outcome, "released, queued cancelled: true");
    assert.equal(started(runningGate), 1);
    assert.equal(started(queuedGate), 0, "the cancelled item never started");
  });

  it("aborts the running item's signal; work that stops by itself keeps its worker", async () => {
    const [sawAbort, replaced, outcome] = await runMain(function* () {
      const flags = newGate();
      const waiting = asyncio.createTask(
        (function* () {
          return yield* pool.submit(tasks.fn("cooperative"), flags, 10_000);
        })(),
      );
      yield* until(() => started(flags) === 1);
      const startedBefore = pool.statistics().workersStarted;
      waiting.cancel();
      try {
        yield* waiting;
      } catch (error) {
        assert.ok(error instanceof asyncio.CancelledError);
      }
      yield* until(() => Atomics.load(flags, 0) === 1);
      yield* until(() => pool.statistics().busy === 0);
      yield* realSleep(0.3);
      const outcome = yield* pool.submit(tasks.fn("add"), 1, 2);
      return [Atomics.load(flags, 0), pool.statistics().workersStarted - startedBefore, outcome];
    });
    assert.equal(sawAbort, 1, "the work saw its signal abort");
    assert.equal(replaced, 0, "its worker was not terminated, so none was started");
    assert.equal(outcome, 3);
  });

  it("terminates the worker of work that ignores its signal after the grace period, and replaces it", async () => {
    const [elapsed, replaced, outcome] = await runMain(function* () {
      const gate = newGate();
      const blocked = pool.submit(tasks.fn("block"), gate, 10_000);
      yield* until(() => started(gate) === 1);
      const startedBefore = pool.statistics().workersStarted;
      const crashesBefore = pool.statistics().workerCrashes;
      const cancelledAt = performance.now();
      blocked.cancel();
      yield* until(
        () => pool.statistics().workersStarted > startedBefore || pool.statistics().busy === 0,
      );
      yield* until(() => pool.statistics().busy === 0);
      const elapsed = (performance.now() - cancelledAt) / 1000;
      const outcome = yield* pool.submit(tasks.fn("add"), 2, 2);
      return [
        elapsed,
        pool.statistics().workerCrashes === crashesBefore,
        `${outcome}, gate still closed: ${Atomics.load(gate, 0) === 0}`,
      ];
    });
    assert.ok(elapsed >= 0.19, `terminated after the grace period (${elapsed} s)`);
    assert.ok(elapsed < 3, `terminated soon after the grace period (${elapsed} s)`);
    assert.equal(replaced, true, "a termination is not counted as a crash");
    assert.equal(outcome, "4, gate still closed: true");
  });

  it("never terminates a worker that runs another item", async () => {
    const results = await runMain(function* () {
      const mine = newGate();
      const theirs = newGate();
      const cancelled = pool.submit(tasks.fn("block"), mine, 10_000);
      const other = pool.submit(tasks.fn("block"), theirs, 10_000);
      yield* until(() => started(mine) === 1 && started(theirs) === 1);
      cancelled.cancel();
      yield* until(() => pool.statistics().busy === 1);
      yield* realSleep(0.1);
      assert.equal(other.done(), false, "the other item still runs");
      open(theirs);
      return yield* other;
    });
    assert.equal(results, "released");
  });
});
