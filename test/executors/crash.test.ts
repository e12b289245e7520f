/**
 * Worker threads that die while running work: `process.exit` in the work, an uncaught error.
 * The item fails with BrokenThreadPool naming the exit code and cause, the worker is replaced,
 * and the pool goes on. (memory.test.ts and startup.test.ts have the other ways to die.)
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { failure, runMain, tasks } from "./helpers.ts";

let pool: asyncio.ThreadPoolExecutor;

before(() => {
  pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

describe("ThreadPoolExecutor: dead workers", () => {
  it("fails the item with BrokenThreadPool naming the exit code when work calls process.exit; the pool goes on", async () => {
    const [error, next, stats] = await runMain(function* () {
      const error = yield* failure(() => pool.submit(tasks.fn("exitWith"), 3));
      return [error, yield* pool.submit(tasks.fn("add"), 2, 3), pool.statistics()] as const;
    });
    assert.ok(error instanceof asyncio.BrokenThreadPool);
    assert.ok(error instanceof asyncio.BrokenExecutor);
    assert.equal(error.exitCode, 3);
    assert.equal(error.signal, null);
    assert.match(
      error.message,
      /^worker thread \d+ exited with code 3 while running exitWith \(work\.ts\); the pool replaces it$/,
    );
    assert.equal(next, 5);
    assert.equal(stats.workerCrashes, 1);
    assert.equal(stats.workersStarted, 2);
  });

  it("names the uncaught error that killed the worker", async () => {
    const error = (await runMain(() =>
      failure(() => pool.submit(tasks.fn("throwLater"))),
    )) as asyncio.BrokenThreadPool;
    assert.ok(error instanceof asyncio.BrokenThreadPool);
    assert.equal(error.exitCode, 1);
    assert.match(
      error.message,
      /exited with code 1 while running throwLater .*\(Error: thrown from a timer\)/,
    );
    assert.match(String((error.cause as Error).message), /thrown from a timer/);
  });
});
