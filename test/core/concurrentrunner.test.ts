/**
 * ConcurrentRunner: overlapping runs from ordinary async code on one shared loop, sharing its
 * primitives; cancellation by AbortSignal; close() cancelling what is left; refused calls.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A coroutine that sleeps `seconds`, then returns `value`. */
function* after<T>(seconds: number, value: T): asyncio.Coro<T> {
  return yield* asyncio.sleep(seconds, value);
}

describe("ConcurrentRunner", () => {
  it("runs overlapping coroutines concurrently on one loop, sharing a Lock", async () => {
    const runner = new asyncio.ConcurrentRunner({ clock: "virtual" });
    const lock = new asyncio.Lock();
    const events: string[] = [];
    function* job(name: string, seconds: number): asyncio.Coro<string> {
      events.push(`${name} start`);
      yield* asyncio.using(lock, function* () {
        events.push(`${name} has the lock`);
        yield* asyncio.sleep(seconds);
      });
      events.push(`${name} end at ${asyncio.getRunningLoop().time()}`);
      return name;
    }
    try {
      const results = await Promise.all([runner.run(job("a", 2)), runner.run(job("b", 1))]);
      assert.deepEqual(results, ["a", "b"]);
      assert.deepEqual(events, [
        "a start",
        "a has the lock",
        "b start",
        "a end at 2",
        "b has the lock",
        "b end at 3",
      ]);
      // A later run, after ordinary async code went on meanwhile, uses the same loop.
      await new Promise((resolve) => setImmediate(resolve));
      const loop = runner.getLoop();
      assert.equal(await runner.run(after(0, "again")), "again");
      assert.equal(runner.getLoop(), loop);
    } finally {
      await runner.close();
    }
  });

  it("an AbortSignal cancels its run: finally blocks run and run() rejects with CancelledError", async () => {
    const runner = new asyncio.ConcurrentRunner({ clock: "virtual" });
    const events: string[] = [];
    function* slow(): asyncio.Coro<void> {
      try {
        yield* asyncio.sleep(100);
        events.push("slept");
      } finally {
        events.push("finally");
      }
    }
    try {
      const controller = new AbortController();
      const running = runner.run(slow(), { signal: controller.signal, name: "slow" });
      const other = runner.run(after(1, "other ran on"));
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort(new Error("client went away"));
      await assert.rejects(running, {
        name: "CancelledError",
        message: "aborted by its AbortSignal: client went away",
      });
      assert.deepEqual(events, ["finally"]);
      assert.equal(await other, "other ran on");

      const already = AbortSignal.abort("too late");
      let started = false;
      await assert.rejects(
        runner.run(
          (function* () {
            started = true;
          })(),
          { signal: already },
        ),
        { name: "CancelledError", message: "aborted by its AbortSignal: too late" },
      );
      assert.equal(started, false);
    } finally {
      await runner.close();
    }
  });

  it("close() cancels the runs in progress and other tasks, waits for their finally blocks, closes the loop", async () => {
    const runner = new asyncio.ConcurrentRunner({ clock: "virtual" });
    const events: string[] = [];
    function* guarded(name: string): asyncio.Coro<void> {
      try {
        yield* asyncio.sleep(100);
      } finally {
        yield* asyncio.sleep(1);
        events.push(`${name} cleaned up`);
      }
    }
    const inProgress = runner.run(
      (function* () {
        asyncio.createTask(guarded("background"));
        yield* guarded("run");
      })(),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const loop = runner.getLoop();
    const rejected = assert.rejects(inProgress, { name: "CancelledError" });
    await runner.close();
    await rejected;
    assert.deepEqual(events.sort(), ["background cleaned up", "run cleaned up"]);
    assert.equal(loop.isClosed(), true);
    assert.equal(loop.isRunning(), false);
    await runner.close();
    await assert.rejects(runner.run(after(0, null)), {
      name: "RuntimeError",
      message: "ConcurrentRunner.run() was called after close(): make a new ConcurrentRunner",
    });
  });

  it("refuses bad input without starting anything", async () => {
    const runner = new asyncio.ConcurrentRunner({ clock: "virtual" });
    function* job(): asyncio.Coro<void> {}
    await assert.rejects(runner.run(job as never), {
      name: "ValueError",
      message:
        "ConcurrentRunner.run() expects a coroutine object, got the generator function 'job': call it, as in ConcurrentRunner.run(job())",
    });
    await assert.rejects(runner.run(job(), { signal: "stop" as never }), {
      name: "TypeError",
      message:
        "ConcurrentRunner.run(): signal must be an AbortSignal (such as new AbortController().signal), got string stop",
    });
    await assert.rejects(runner.run(job(), { context: {} as never }), {
      name: "TypeError",
      message:
        /^ConcurrentRunner.run\(\): context must be a Context \(asyncio.copyContext\(\)\), got /,
    });
    await assert.rejects(runner.run(job(), { timeout: 1 } as never), {
      name: "TypeError",
      message:
        'ConcurrentRunner.run(): unknown option "timeout"; the options are signal, name, context',
    });
    assert.throws(() => new asyncio.ConcurrentRunner({ debug: "yes" } as never), {
      name: "TypeError",
    });
    assert.equal(runner.getLoop().isRunning(), false);
    assert.equal(asyncio.allTasks(runner.getLoop()).size, 0);
    await runner.close();
  });

  it("cannot start while another loop runs, nor be closed from its own coroutine", async () => {
    const runner = new asyncio.ConcurrentRunner({ clock: "virtual" });
    const message = await runVirtual(
      (function* () {
        try {
          yield* asyncio.fromPromise(runner.run(after(0, null)));
          return "no error";
        } catch (error) {
          return String(error);
        }
      })(),
    );
    assert.match(
      message,
      /^RuntimeError: ConcurrentRunner.run\(\) cannot start its loop while another event loop runs/,
    );
    const closing = await runner.run(
      (function* () {
        return yield* asyncio.fromPromise(runner.close().then(() => "closed", String));
      })(),
    );
    assert.match(closing, /cannot be called from a coroutine running on its loop/);
    await runner.close();
  });

  it("a run whose coroutine waits on what can never happen rejects with DeadlockError", () => {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", fixture("concurrentrunner_deadlock.ts")],
      { encoding: "utf8", timeout: 20_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.split("\n"), [
      "DeadlockError: deadlock: 1 task waits and nothing can wake them (no callback ready, no timer, nothing left in Node's event loop): |   stuck waits on <Future pending> | (run with debug: true to see where each task and future was created)",
      "next run",
      "stuck finally ran",
      "closed",
      "",
    ]);
  });
});
