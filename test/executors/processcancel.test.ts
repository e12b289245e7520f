/**
 * Cancelling work running in a worker process that does not stop by itself: the process is
 * killed after the grace period and replaced.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { runMain, tasks, until } from "./helpers.ts";

let pool: asyncio.ProcessPoolExecutor;

before(() => {
  pool = new asyncio.ProcessPoolExecutor({ maxWorkers: 1, cancelGracePeriod: 0.1 });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

describe("ProcessPoolExecutor: cancelling running work", () => {
  it("kills the process of cancelled work that does not stop, after the grace period, and replaces it", async () => {
    const [elapsed, before, afterwards, crashes] = await runMain(function* () {
      const before = (yield* pool.submit(tasks.fn("whereAmI"))).pid;
      const sleeping = pool.submit(tasks.fn("sleepSync"), 20_000);
      yield* until(() => pool.statistics().busy === 1);
      const cancelledAt = performance.now();
      sleeping.cancel();
      yield* until(() => pool.statistics().busy === 0);
      const elapsed = (performance.now() - cancelledAt) / 1000;
      const afterwards = (yield* pool.submit(tasks.fn("whereAmI"))).pid;
      return [elapsed, before, afterwards, pool.statistics().workerCrashes] as const;
    });
    assert.ok(elapsed >= 0.09 && elapsed < 5, `killed after the grace period (${elapsed} s)`);
    assert.notEqual(afterwards, before);
    assert.equal(crashes, 0);
  });
});
