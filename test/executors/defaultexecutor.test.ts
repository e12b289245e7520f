/**
 * The loop's executor methods: `runInExecutor(null, …)` makes the default ThreadPoolExecutor
 * on first use, `toThread` uses it, `setDefaultExecutor` replaces it, `run()` shuts it down
 * (through the loop's shutdown hooks), `shutdownDefaultExecutor(timeout)` bounds the wait.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { captureLog } from "../helpers.ts";
import { failure, newGate, runMain, started, tasks, until } from "./helpers.ts";

describe("the default executor", () => {
  it("is a ThreadPoolExecutor made on first use; toThread uses it; run() shuts it down", async () => {
    let executor: asyncio.Executor | null = null;
    const [value, viaToThread, stateDuringRun] = await runMain(function* () {
      const loop = asyncio.getRunningLoop();
      const value = yield* loop.runInExecutor(null, tasks.fn("add"), 20, 1);
      const viaToThread = yield* asyncio.toThread(tasks.fn("add"), 20, 2);
      const custom = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      loop.setDefaultExecutor(custom);
      executor = custom;
      yield* asyncio.toThread(tasks.fn("fib"), 5);
      return [value, viaToThread, String(custom)] as const;
    });
    assert.equal(value, 21);
    assert.equal(viaToThread, 22);
    assert.match(stateDuringRun, /^<ThreadPoolExecutor running/);
    assert.equal(String(executor), "<ThreadPoolExecutor shut down workers=0/1 busy=0 queued=0>");
  });

  it("runInExecutor(null, …) fails after shutdownDefaultExecutor(); an executor of one's own still works", async () => {
    const [error, own] = await runMain(function* () {
      const loop = asyncio.getRunningLoop();
      yield* loop.shutdownDefaultExecutor();
      const error = yield* failure(() => loop.runInExecutor(null, tasks.fn("add"), 1, 1));
      const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      try {
        return [error, yield* loop.runInExecutor(pool, tasks.fn("add"), 1, 1)] as const;
      } finally {
        yield* pool.shutdown();
      }
    });
    assert.ok(error instanceof asyncio.RuntimeError);
    assert.match((error as Error).message, /^Executor shutdown has been called/);
    assert.equal(own, 2);
  });

  it("shutdownDefaultExecutor(timeout) terminates work still running then, with a warning", async () => {
    const { result, lines } = await captureLog(() =>
      runMain(function* () {
        const loop = asyncio.getRunningLoop();
        loop.setDefaultExecutor(new asyncio.ThreadPoolExecutor({ maxWorkers: 1 }));
        const gate = newGate();
        const running = loop.runInExecutor(null, tasks.fn("block"), gate, 20_000);
        yield* until(() => started(gate) === 1);
        const began = performance.now();
        yield* loop.shutdownDefaultExecutor(0.1);
        return [(performance.now() - began) / 1000, running.cancelled()] as const;
      }),
    );
    const [elapsed, cancelled] = result;
    assert.ok(elapsed >= 0.09 && elapsed < 5, `bounded by the timeout (${elapsed} s)`);
    assert.equal(cancelled, true);
    assert.deepEqual(lines, [
      "WARNING The default executor did not finish its work within 0.1 seconds; the work still running was terminated",
    ]);
  });

  it("accepts any object with submit() and shutdown(), and rejects anything else", async () => {
    const calls: string[] = [];
    const result = await runMain(function* () {
      const loop = asyncio.getRunningLoop();
      const recording = {
        submit(fn: asyncio.WorkFn<[number, number], number>, a: number, b: number) {
          calls.push(`submit ${fn.name}(${a}, ${b})`);
          const future = loop.createFuture<number>();
          future.setResult(a + b);
          return future;
        },
        shutdown() {
          calls.push("shutdown");
          const done = loop.createFuture<void>();
          done.setResult(undefined);
          return done;
        },
      } as unknown as asyncio.Executor;
      assert.throws(() => loop.setDefaultExecutor({} as asyncio.Executor), /expects an executor/);
      loop.setDefaultExecutor(recording);
      return yield* asyncio.toThread(tasks.fn("add"), 3, 4);
    });
    assert.equal(result, 7);
    assert.deepEqual(calls, ["submit add(3, 4)", "shutdown"]);
  });
});
