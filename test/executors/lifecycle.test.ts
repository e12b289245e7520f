/**
 * An executor's life around its work: `shutdown({ wait: false })`, awaiting shutdown from async
 * code, the async context manager protocol (`using`), and idle workers that do not keep a
 * program alive.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as asyncio from "../../src/index.ts";
import { newGate, open, runMain, started, tasks, until } from "./helpers.ts";

describe("executor lifecycle", () => {
  it("wait: false returns at once while the work goes on; await works from async code", async () => {
    const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
    const [immediate, value] = await runMain(function* () {
      const gate = newGate();
      const future = pool.submit(tasks.fn("block"), gate, 10_000);
      yield* until(() => started(gate) === 1);
      yield* pool.shutdown({ wait: false });
      const immediate = future.done();
      open(gate);
      return [immediate, yield* future] as const;
    });
    await pool.shutdown();
    assert.equal(immediate, false);
    assert.equal(value, "released");
    assert.equal(pool.statistics().workers, 0);
  });

  it("is an async context manager: aexit shuts down and waits, and never suppresses the error", async () => {
    const [entered, suppressed, state] = await runMain(function* () {
      const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      const entered = (yield* pool.aenter()) === pool;
      const future = pool.submit(tasks.fn("add"), 2, 2);
      const suppressed = yield* pool.aexit(new Error("body failed"));
      return [entered, suppressed, `${future.result()} ${pool}`] as const;
    });
    assert.equal(entered, true);
    assert.equal(suppressed, false);
    assert.equal(state, "4 <ThreadPoolExecutor shut down workers=0/1 busy=0 queued=0>");
  });

  it("using() shuts the executor down when the block ends, and waits for its work", async () => {
    const [value, state] = await runMain(function* () {
      const executor = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      const value = yield* asyncio.using(executor, function* (pool) {
        const first = pool.submit(tasks.fn("sleepSync"), 30);
        const second = pool.submit(tasks.fn("fib"), 12);
        first.addDoneCallback(() => {});
        return second;
      });
      return [value.done() ? value.result() : "not done", String(executor)] as const;
    });
    assert.equal(value, 144);
    assert.equal(state, "<ThreadPoolExecutor shut down workers=0/1 busy=0 queued=0>");
  });

  it("idle workers do not keep a program alive that forgot to shut its pool down", () => {
    const script = fileURLToPath(new URL("./fixtures/forgetful.ts", import.meta.url));
    const child = spawnSync(process.execPath, ["--import", "tsx", script], {
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), "result 55");
  });
});
