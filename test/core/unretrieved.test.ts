/**
 * "Exception was never retrieved": failed futures and tasks nobody looked at are reported when
 * they are collected, while their loop runs, and are not kept alive by the report; a future
 * cancelled after its exception was set is never reported. Needs `--expose-gc`.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { collectErrors } from "../helpers.ts";

const gc = globalThis.gc;

/**
 * Collects garbage and gives Node turns so finalization callbacks run, until `until()` holds.
 * `until()` runs in another Node turn than `gc()`: a WeakRef read keeps its target alive for
 * the rest of the turn.
 */
function* collectUntil(until: () => boolean, turns = 50): asyncio.Coro<void> {
  for (let turn = 0; turn < turns; turn++) {
    yield* asyncio.sleep(0.002);
    gc!();
    yield* asyncio.sleep(0.002);
    if (until()) return;
  }
}

describe("unretrieved exceptions", { skip: gc === undefined ? "needs --expose-gc" : false }, () => {
  it("100,000 failing fire-and-forget tasks: each reported while the loop runs, heap bounded", async () => {
    const total = 100_000;
    const batch = 10_000;
    const seen = new Set<string>();
    let reportedWhileRunning = 0;
    function* fail(index: number): asyncio.Coro<void> {
      throw new Error(`job ${index} failed`);
    }
    function* main(): asyncio.Coro<number[]> {
      const loop = asyncio.getRunningLoop();
      loop.setExceptionHandler((_loop, context) => {
        assert.equal(context.message, "Task exception was never retrieved");
        seen.add((context.exception as Error).message);
      });
      const heaps: number[] = [];
      for (let started = 0; started < total; started += batch) {
        for (let index = started; index < started + batch; index++) asyncio.createTask(fail(index));
        yield* collectUntil(() => seen.size === started + batch);
        heaps.push(process.memoryUsage().heapUsed);
      }
      reportedWhileRunning = seen.size;
      return heaps;
    }
    const heaps = await asyncio.run(main());
    assert.equal(reportedWhileRunning, total);
    for (let index = 0; index < total; index++) assert.ok(seen.has(`job ${index} failed`));
    // Held failed tasks cost over 1 KB each: 90,000 of them would add about 100 MB.
    const growth = heaps[heaps.length - 1]! - heaps[0]!;
    assert.ok(growth < 20e6, `heap grew by ${(growth / 1e6).toFixed(1)} MB`);
  });

  it("a future given an exception and then cancelled is never reported, and is collected", async () => {
    const loop = asyncio.newEventLoop();
    const errors = collectErrors(loop);
    let ref: WeakRef<object> | null = null;
    await loop.runUntilComplete(
      (function* () {
        ref = (() => {
          const future = loop.createFuture<void>();
          future.setException(new Error("set, then cancelled"));
          assert.equal(future.cancel(), false);
          return new WeakRef(future);
        })();
        yield* collectUntil(() => ref!.deref() === undefined);
      })(),
    );
    loop.close();
    assert.equal(ref!.deref(), undefined);
    assert.deepEqual(errors, []);
  });

  it("a task that failed and was then cancelled is never reported, and is collected", async () => {
    const loop = asyncio.newEventLoop();
    const errors = collectErrors(loop);
    let ref: WeakRef<object> | null = null;
    await loop.runUntilComplete(
      (function* () {
        const tasks = [
          loop.createTask(
            (function* (): asyncio.Coro<void> {
              throw new Error("failed, then cancelled");
            })(),
          ),
        ];
        yield* asyncio.sleep(0);
        ref = new WeakRef(tasks[0]!);
        assert.equal(tasks[0]!.done(), true);
        assert.equal(tasks.pop()!.cancel(), false);
        yield* collectUntil(() => ref!.deref() === undefined);
      })(),
    );
    loop.close();
    assert.equal(ref!.deref(), undefined);
    assert.deepEqual(errors, []);
  });

  it("a failed future nobody looked at is reported once it is collected, before the loop closes", async () => {
    const loop = asyncio.newEventLoop();
    const errors = collectErrors(loop);
    await loop.runUntilComplete(
      (function* () {
        loop.createFuture<void>().setException(new Error("dropped"));
        yield* collectUntil(() => errors.length > 0);
        assert.equal(errors.length, 1);
      })(),
    );
    loop.close();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, "Future exception was never retrieved");
    assert.equal((errors[0]!.exception as Error).message, "dropped");
  });
});
