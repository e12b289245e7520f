/**
 * The snapshot hook `asyncio-ts ps` calls (inspect/snapshot.ts), called in-process: every loop
 * in the process, the running step seen as "blocked", who awaits whom through gather and
 * TaskGroup, executors' statistics, and the fallback timer that closes the inspector.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import type { InspectHook, ProcessSnapshot } from "../../src/inspect/snapshot.ts";

const hook = (globalThis as { [key: symbol]: unknown })[
  Symbol.for("asyncio-ts.inspect")
] as InspectHook;

function loopOf(snapshot: ProcessSnapshot, taskName: string) {
  const loop = snapshot.loops.find((l) => l.tasks.some((t) => t.name === taskName));
  assert.ok(loop, `a loop with task ${taskName}`);
  return loop;
}

describe("inspect hook", () => {
  it("is defined by importing the library, and answers with plain JSON", () => {
    assert.equal(typeof hook.snapshot, "function");
    const snapshot = hook.snapshot();
    assert.equal(snapshot.version, 1);
    assert.equal(snapshot.pid, process.pid);
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });

  it("lists every loop: the running one blocked in the current task, another stopped, none closed", async () => {
    const idle = asyncio.newEventLoop({ clock: "virtual" });
    const closed = asyncio.newEventLoop();
    closed.close();
    let seen: ProcessSnapshot | null = null;
    function* child(): asyncio.Coro<void> {
      yield* asyncio.sleep(10);
    }
    function* main(): asyncio.Coro<void> {
      yield* asyncio.using(new asyncio.TaskGroup(), function* (group) {
        group.createTask(child(), { name: "grouped" });
        asyncio.createTask(
          (function* () {
            yield* asyncio.sleep(0);
            seen = hook.snapshot();
          })(),
          { name: "looker" },
        );
        yield* asyncio.gather(asyncio.createTask(child(), { name: "gathered" }), asyncio.sleep(1));
      });
    }
    await asyncio.run(main(), { clock: "virtual", debug: true });
    idle.close();
    const snapshot = seen as unknown as ProcessSnapshot;
    const loop = loopOf(snapshot, "looker");
    assert.equal(loop.state, "blocked");
    assert.equal(loop.clock, "virtual");
    assert.equal(loop.debug, true);
    assert.equal(typeof loop.blockedSeconds, "number");
    const byName = new Map(loop.tasks.map((t) => [t.name, t]));
    const looker = byName.get("looker")!;
    assert.equal(loop.runningTask, looker.id);
    assert.equal(looker.state, "running");
    const top = loop.tasks[0]!;
    assert.equal(top.state, "waiting");
    assert.match(top.waitsOn ?? "", /Future/);
    assert.deepEqual(looker.awaitedBy, [], "nobody awaits it");
    assert.deepEqual(byName.get("grouped")!.awaitedBy, [top.id], "through the TaskGroup");
    assert.deepEqual(byName.get("gathered")!.awaitedBy, [top.id], "through gather");
    assert.equal(byName.get("grouped")!.waitsOn, "SleepFuture");
    assert.match(looker.createdAt ?? "", /snapshot\.test\.ts/);
    const others = snapshot.loops.filter((l) => l !== loop);
    assert.ok(
      others.some((l) => l.state === "stopped" && l.clock === "virtual"),
      "the idle loop",
    );
    assert.ok(
      hook.snapshot().loops.every((l) => l.state !== "blocked"),
      "closed loops are gone, and outside a step nothing is blocked",
    );
  });

  it("shows executors' statistics", async () => {
    const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 3 });
    try {
      const entry = hook.snapshot().executors.find((e) => e.maxWorkers === 3);
      assert.ok(entry);
      assert.equal(entry.kind, "ThreadPoolExecutor");
      assert.equal(entry.busy, 0);
    } finally {
      await pool.shutdown();
    }
  });

  it("closes an open inspector after closeAfterMs, unless release() disarms it first", async () => {
    const inspector = await import("node:inspector");
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    inspector.open(0, "127.0.0.1");
    try {
      hook.snapshot({ closeAfterMs: 20 });
      hook.release();
      await pause(150);
      assert.notEqual(inspector.url(), undefined, "released: the inspector stays open");
      hook.snapshot({ closeAfterMs: 20 });
      await pause(150);
      assert.equal(inspector.url(), undefined, "the timer closed it");
    } finally {
      inspector.close();
    }
  });
});
