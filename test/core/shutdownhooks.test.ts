/**
 * The loop's shutdown hooks: `Runner.close()` (so `run()`) runs them after closing async
 * generators and before closing the loop, each once, in order. The executors layer shuts the
 * default executor down through one.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";

describe("loop._shutdownHooks", () => {
  it("run after the leftover tasks and async generators are closed, before the loop closes, in order", async () => {
    const events: string[] = [];
    const ticker = asyncio.asyncGenerator(function* () {
      try {
        for (;;) yield* asyncio.emit(1);
      } finally {
        events.push("asyncgen closed");
      }
    });
    function* leftover(): asyncio.Coro<void> {
      try {
        yield* asyncio.sleep(100);
      } finally {
        events.push("task cancelled");
      }
    }
    // Held until the end: a generator that is garbage collected while suspended is not closed
    // (asyncgen.ts), and this test is about the order, not about collection.
    let suspended: asyncio.AsyncGen<number> | undefined;
    function* main(): asyncio.Coro<void> {
      const loop = asyncio.getRunningLoop();
      for (const name of ["first", "second"]) {
        loop._shutdownHooks.push(function* () {
          yield* asyncio.sleep(1);
          events.push(`${name} hook done, loop closed: ${loop.isClosed()}`);
        });
      }
      asyncio.createTask(leftover());
      suspended = ticker();
      yield* suspended.next();
      yield* asyncio.sleep(0);
    }
    await asyncio.run(main(), { clock: "virtual" });
    assert.ok(suspended);
    assert.deepEqual(events, [
      "task cancelled",
      "asyncgen closed",
      "first hook done, loop closed: false",
      "second hook done, loop closed: false",
    ]);
  });

  it("run once: a Runner closed twice does not run them again", async () => {
    let runs = 0;
    const runner = new asyncio.Runner({ clock: "virtual" });
    runner.getLoop()._shutdownHooks.push(function* () {
      runs++;
    });
    await runner.run(
      (function* () {
        yield* asyncio.sleep(0);
      })(),
    );
    await runner.close();
    await runner.close();
    assert.equal(runs, 1);
  });
});
