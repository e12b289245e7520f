/**
 * lowlevel's introspection accessors (what `asyncio-ts ps` reads): the live loops, what a task
 * waits on, where a future was made, a loop's ready and timer counts, and whether (and for how
 * long) a step is running.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";

const { lowlevel } = asyncio;

describe("lowlevel introspection", () => {
  it("liveLoops lists the loops made and not closed, oldest first", () => {
    const first = asyncio.newEventLoop();
    const second = asyncio.newEventLoop({ clock: "virtual" });
    const loops = lowlevel.liveLoops();
    assert.ok(loops.indexOf(first) >= 0);
    assert.ok(loops.indexOf(second) > loops.indexOf(first));
    first.close();
    assert.ok(!lowlevel.liveLoops().includes(first));
    assert.ok(lowlevel.liveLoops().includes(second));
    second.close();
    assert.ok(!lowlevel.liveLoops().includes(second));
  });

  it("waitingOn is the future a suspended task waits on, null while it runs or once done", async () => {
    const seen: unknown[] = [];
    function* main(): asyncio.Coro<void> {
      const loop = asyncio.getRunningLoop();
      const gate = loop.createFuture<number>();
      const child = asyncio.createTask(
        (function* () {
          seen.push(lowlevel.waitingOn(asyncio.currentTask()!));
          return yield* gate;
        })(),
      );
      seen.push(lowlevel.waitingOn(child));
      yield* asyncio.sleep(0);
      seen.push(lowlevel.waitingOn(child) === gate);
      gate.setResult(7);
      yield* child;
      seen.push(lowlevel.waitingOn(child));
    }
    await asyncio.run(main(), { clock: "virtual" });
    assert.deepEqual(seen, [null, null, true, null]);
  });

  it("creationSiteOf names the caller's frame in debug mode, and is null otherwise", async () => {
    function* makeBoth(): asyncio.Coro<(string | null)[]> {
      const future = asyncio.getRunningLoop().createFuture<void>();
      const task = asyncio.createTask(asyncio.sleep(0));
      yield* task;
      return [lowlevel.creationSiteOf(future), lowlevel.creationSiteOf(task)];
    }
    const debug = await asyncio.run(makeBoth(), { clock: "virtual", debug: true });
    for (const site of debug)
      assert.match(site ?? "", /makeBoth .*introspection\.test\.ts:\d+:\d+/);
    assert.deepEqual(await asyncio.run(makeBoth(), { clock: "virtual" }), [null, null]);
  });

  it("readyCount and timerCount count what is scheduled, not cancelled timers", () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    assert.deepEqual([lowlevel.readyCount(loop), lowlevel.timerCount(loop)], [0, 0]);
    loop.callSoon(() => {});
    loop.callSoon(() => {});
    const timers = [1, 2, 3].map((delay) => loop.callLater(delay, () => {}));
    timers[1]!.cancel();
    assert.deepEqual([lowlevel.readyCount(loop), lowlevel.timerCount(loop)], [2, 2]);
    loop.close();
  });

  it("inIteration is true only inside a step; stepSeconds times it in debug mode only", async () => {
    const seen: unknown[] = [];
    const observe = (loop: asyncio.EventLoop) => {
      const seconds = lowlevel.stepSeconds(loop);
      seen.push(lowlevel.inIteration(loop), seconds === null ? null : seconds >= 0);
    };
    for (const debug of [true, false]) {
      const loop = asyncio.newEventLoop({ clock: "virtual", debug });
      observe(loop);
      loop.callSoon(() => {
        observe(loop);
        loop.stop();
      });
      await loop.runForever();
      observe(loop);
      loop.close();
    }
    assert.deepEqual(seen, [
      false,
      null,
      true,
      true,
      false,
      null,
      false,
      null,
      true,
      null,
      false,
      null,
    ]);
  });
});
