/**
 * Type tests for BullMQExecutor: it is an Executor, and work submitted to it keeps the typing
 * of `workModule<typeof mod>(...).fn(name)`: results inferred, wrong names and arguments
 * rejected. Checked by `tsc`; the runtime test builds the executor without connecting.
 */

import assert from "node:assert/strict";
import { it } from "node:test";
import { BullMQExecutor, type BullMQExecutorStatistics } from "../../src/bullmq/index.ts";
import * as asyncio from "../../src/index.ts";
import type * as work from "../bullmq/fixtures/work.ts";
import type { Equal } from "./equal.ts";

const tasks = asyncio.workModule<typeof work>(
  new URL("../bullmq/fixtures/work.ts", import.meta.url),
);

function* typed(executor: BullMQExecutor): asyncio.Coro<void> {
  const sum = yield* executor.submit(tasks.fn("add"), 1, 2);
  const who = yield* executor.submitWait(tasks.fn("slowWhoRuns"), 10);
  const viaLoop = yield* asyncio.getRunningLoop().runInExecutor(executor, tasks.fn("square"), 3);
  const squares = executor.map(tasks.fn("square"), [1, 2]);
  const asExecutor: asyncio.Executor = executor;
  // @ts-expect-error: add takes numbers
  executor.submit(tasks.fn("add"), "1", 2);
  // @ts-expect-error: no such export
  tasks.fn("substract");
  const checks: [
    Equal<typeof sum, number>,
    Equal<typeof who, asyncio.Future<{ pid: number; ms: number }>>,
    Equal<typeof viaLoop, number>,
    Equal<typeof squares, asyncio.AsyncGen<number, void>>,
    Equal<ReturnType<BullMQExecutor["statistics"]>, BullMQExecutorStatistics>,
  ] = [true, true, true, true, true];
  assert.ok(checks && asExecutor);
}

it("BullMQExecutor is an Executor and keeps work's typing; bad options fail clearly", () => {
  assert.equal(typeof typed, "function");
  const executor = new BullMQExecutor({ queue: "typed", root: new URL("../", import.meta.url) });
  assert.equal(executor.queue, "typed");
  assert.throws(() => new BullMQExecutor({ queue: "a:b" }), /without ':'/);
  assert.throws(
    () => new BullMQExecutor({ queue: "q", connection: "http://x" }),
    /redis:\/\/ or rediss:\/\/ URL/,
  );
  assert.throws(
    () => new BullMQExecutor({ queue: "q", attempts: 0 }),
    /attempts must be an integer >= 1/,
  );
  assert.throws(() => new BullMQExecutor({ queue: "q", backoff: -1 }), /backoff must be seconds/);
});
