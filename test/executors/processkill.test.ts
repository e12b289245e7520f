/**
 * Worker processes that are killed: cancelled work that does not stop by itself (the process
 * is killed after the grace period and replaced), and a process that runs out of memory.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { failure, runMain, tasks, until } from "./helpers.ts";

let pool: asyncio.ProcessPoolExecutor;

before(() => {
  pool = new asyncio.ProcessPoolExecutor({
    maxWorkers: 1,
    cancelGracePeriod: 0.1,
    execArgv: ["--max-old-space-size=32"],
  });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

describe("ProcessPoolExecutor: killed processes", () => {
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

  it("reports a process that ran out of memory, quoting V8's last words, and replaces it", async () => {
    const [error, next] = await runMain(function* () {
      return [
        yield* failure(() => pool.submit(tasks.fn("exhaustMemory"))),
        yield* pool.submit(tasks.fn("add"), 1, 1),
      ] as const;
    });
    assert.ok(error instanceof asyncio.BrokenProcessPool);
    assert.equal(error.signal, "SIGABRT");
    assert.match(error.message, /was killed by signal SIGABRT while running exhaustMemory/);
    assert.match(error.message, /JavaScript heap out of memory/);
    assert.equal(next, 2);
  });

  it("quotes a dying process's last words, not the native stack trace after them", async () => {
    const error = await runMain(() => failure(() => pool.submit(tasks.fn("dieAfterNativeStack"))));
    assert.ok(error instanceof asyncio.BrokenProcessPool);
    assert.match((error as Error).message, /exit code 70|exited with code 70/);
    assert.match((error as Error).message, /its last output: FATAL ERROR: the last words\)/);
    assert.doesNotMatch((error as Error).message, /Native stack trace|frame/);
  });
});
