/**
 * Workers that keep failing at start-up (here: an initializer that throws) break the pool with
 * a clear error, instead of being restarted forever.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { failure, runMain, tasks } from "./helpers.ts";

describe("ThreadPoolExecutor: workers failing at start-up", () => {
  it("breaks the pool after three failures in a row, failing queued and later work with a clear error", async () => {
    const [queued, later, text] = await runMain(function* () {
      const broken = new asyncio.ThreadPoolExecutor({
        maxWorkers: 1,
        initializer: tasks.fn("failingSetup"),
      });
      const queued = yield* failure(() => broken.submit(tasks.fn("add"), 1, 1));
      const later = yield* failure(() => broken.submit(tasks.fn("add"), 1, 1));
      const text = String(broken);
      yield* broken.shutdown();
      return [queued, later, text] as const;
    });
    assert.ok(queued instanceof asyncio.BrokenThreadPool);
    assert.match(
      (queued as Error).message,
      /^ThreadPoolExecutor is broken: 3 workers in a row failed to start; the last one failed with Error: setup failed$/,
    );
    assert.equal(later, queued, "submitting to a broken pool throws the same error");
    assert.match(text, /^<ThreadPoolExecutor broken /);
  });
});
