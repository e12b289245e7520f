/**
 * Worker threads that run out of memory (a `resourceLimits` cap), and workers that die while
 * idle: reported, replaced, and the pool goes on.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { captureLog } from "../helpers.ts";
import { failure, runMain, tasks } from "./helpers.ts";

let pool: asyncio.ThreadPoolExecutor;

before(() => {
  pool = new asyncio.ThreadPoolExecutor({
    maxWorkers: 1,
    resourceLimits: { maxOldGenerationSizeMb: 32 },
  });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

describe("ThreadPoolExecutor: memory and idle deaths", () => {
  it("reports a worker that ran out of memory", async () => {
    const error = (await runMain(() =>
      failure(() => pool.submit(tasks.fn("exhaustMemory"))),
    )) as asyncio.BrokenThreadPool;
    assert.ok(error instanceof asyncio.BrokenThreadPool);
    assert.match(error.message, /memory/i);
    assert.match(error.message, /ERR_WORKER_OUT_OF_MEMORY/);
  });

  it("logs a worker that dies while idle, and replaces it when work comes", async () => {
    const { result, lines } = await captureLog(() =>
      runMain(function* () {
        const background = yield* pool.submit(tasks.fn("crashWhenIdle"), 20);
        const stats = pool.statistics();
        while (pool.statistics().workerCrashes === stats.workerCrashes) {
          yield* asyncio.fromPromise(new Promise((resolve) => setTimeout(resolve, 10)));
        }
        return [background, yield* pool.submit(tasks.fn("add"), 1, 1)];
      }),
    );
    assert.deepEqual(result, ["scheduled", 2]);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^WARNING worker thread \d+ exited with code 1 while idle \(Error: thrown while idle\)/,
    );
  });
});
