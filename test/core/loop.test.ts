import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { captureLog, collectErrors } from "../helpers.ts";

/**
 * Runs a callback that reschedules itself (one per iteration) until a setImmediate made by
 * its first run gets a turn; returns how many runs came first (at most 100,000).
 */
async function spinUntilNodeTurn(loop: asyncio.EventLoop): Promise<number> {
  let spins = 0;
  let immediateSeenAfter = -1;
  const spin = () => {
    if (spins === 0) {
      setImmediate(() => {
        immediateSeenAfter = spins;
      });
    }
    spins++;
    if (immediateSeenAfter < 0 && spins < 100_000) loop.callSoon(spin);
    else loop.stop();
  };
  loop.callSoon(spin);
  await loop.runForever();
  return immediateSeenAfter;
}

describe("EventLoop scheduling", () => {
  it("runs callSoon callbacks FIFO with their arguments", async () => {
    const loop = asyncio.newEventLoop();
    const events: string[] = [];
    loop.callSoon((x: string) => events.push(`a${x}`), "1");
    loop.callSoon((x: string, y: string) => events.push(`b${x}${y}`), "2", "3");
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    assert.deepEqual(events, ["a1", "b23"]);
    loop.close();
  });

  it("runs what a callback schedules on the next iteration, after what was already ready", async () => {
    const loop = asyncio.newEventLoop();
    const events: string[] = [];
    loop.callSoon(() => {
      events.push("first");
      loop.callSoon(() => events.push("scheduled by first"));
    });
    loop.callSoon(() => events.push("second"));
    loop.callSoon(() => loop.callSoon(() => loop.callSoon(() => loop.stop())));
    await loop.runForever();
    assert.deepEqual(events, ["first", "second", "scheduled by first"]);
    loop.close();
  });

  it("stop() finishes the current iteration; the rest waits for the next run", async () => {
    const loop = asyncio.newEventLoop();
    const events: string[] = [];
    loop.callSoon(() => {
      events.push("a");
      loop.stop();
      loop.callSoon(() => events.push("next iteration"));
    });
    loop.callSoon(() => events.push("b, same iteration"));
    await loop.runForever();
    assert.deepEqual(events, ["a", "b, same iteration"]);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    assert.deepEqual(events, ["a", "b, same iteration", "next iteration"]);
    loop.close();
  });

  it("a cancelled handle does not run", async () => {
    const loop = asyncio.newEventLoop();
    const events: string[] = [];
    const handle = loop.callSoon(() => events.push("cancelled"));
    loop.callSoon(() => events.push("kept"));
    handle.cancel();
    assert.equal(handle.cancelled(), true);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    assert.deepEqual(events, ["kept"]);
    loop.close();
  });

  it("runs timers in deadline order, equal deadlines in scheduling order", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    const events: string[] = [];
    const t0 = loop.time();
    loop.callAt(t0 + 2, () => events.push("2a"));
    loop.callAt(t0 + 1, () => events.push("1a"));
    loop.callAt(t0 + 2, () => events.push("2b"));
    loop.callAt(t0 + 1, () => events.push("1b"));
    loop.callLater(1, () => events.push("1c"));
    loop.callAt(t0 + 3, () => loop.stop());
    await loop.runForever();
    assert.deepEqual(events, ["1a", "1b", "1c", "2a", "2b"]);
    assert.equal(loop.time(), t0 + 3);
    loop.close();
  });

  it("runs due timers after the callbacks already ready (asyncio's _run_once order)", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    const events: string[] = [];
    loop.callLater(0, () => events.push("timer"));
    loop.callSoon(() => events.push("soon 1"));
    loop.callSoon(() => {
      events.push("soon 2");
      loop.callSoon(() => events.push("soon from soon 2"));
    });
    loop.callLater(0.5, () => loop.stop());
    await loop.runForever();
    assert.deepEqual(events, ["soon 1", "soon 2", "timer", "soon from soon 2"]);
    loop.close();
  });

  it("a cancelled timer never fires, and many cancelled timers are compacted away", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    let fired = 0;
    const timers = [];
    for (let i = 0; i < 1000; i++) timers.push(loop.callLater(10 + i, () => fired++));
    for (const timer of timers.slice(0, 990)) timer.cancel();
    loop.callLater(5, () => {});
    loop.callLater(2000, () => loop.stop());
    await loop.runForever();
    assert.equal(fired, 10);
    assert.equal(loop._timers.length, 0);
    loop.close();
  });

  it("real clock: a timer fires no earlier than its deadline", async () => {
    const loop = asyncio.newEventLoop();
    const start = loop.time();
    let firedAt = 0;
    loop.callLater(0.02, () => {
      firedAt = loop.time();
      loop.stop();
    });
    await loop.runForever();
    assert.ok(firedAt - start >= 0.02, `fired after ${firedAt - start}s`);
    loop.close();
  });

  it("an error in a callback goes to the exception handler and the loop goes on", async () => {
    const loop = asyncio.newEventLoop();
    const errors = collectErrors(loop);
    const events: string[] = [];
    const boom = new Error("boom");
    loop.callSoon(function failing() {
      throw boom;
    });
    loop.callSoon(() => events.push("after"));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    assert.deepEqual(events, ["after"]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.exception, boom);
    assert.match(errors[0]!.message, /^Exception in callback failing\(\)/);
    assert.ok(errors[0]!.handle instanceof asyncio.Handle);
    loop.close();
  });

  it("an error in the exception handler is logged by the default handler", async () => {
    const loop = asyncio.newEventLoop();
    loop.setExceptionHandler(() => {
      throw new Error("handler broke");
    });
    const { lines } = await captureLog(async () => {
      loop.callSoon(() => {
        throw new Error("original");
      });
      loop.callSoon(() => loop.stop());
      await loop.runForever();
    });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /Unhandled error in exception handler/);
    assert.match(lines[0]!, /handler broke/);
    loop.close();
  });

  it("the default exception handler logs the message and the error", async () => {
    const loop = asyncio.newEventLoop();
    const { lines } = await captureLog(() =>
      loop.defaultExceptionHandler({
        message: "something failed",
        exception: new Error("x"),
        extra: 42,
      }),
    );
    assert.deepEqual(lines, ["ERROR something failed\nextra: 42 Error: x"]);
    loop.close();
  });

  it("reports isRunning / isClosed and refuses to close while running", async () => {
    const loop = asyncio.newEventLoop();
    assert.equal(loop.isRunning(), false);
    let closeError: unknown;
    loop.callSoon(() => {
      assert.equal(loop.isRunning(), true);
      assert.equal(asyncio.getRunningLoop(), loop);
      try {
        loop.close();
      } catch (error) {
        closeError = error;
      }
      loop.stop();
    });
    await loop.runForever();
    assert.ok(closeError instanceof asyncio.RuntimeError);
    assert.equal(loop.isRunning(), false);
    loop.close();
    assert.equal(loop.isClosed(), true);
    loop.close();
  });

  it("getRunningLoop() outside a loop is a RuntimeError that says what to do", () => {
    assert.throws(() => asyncio.getRunningLoop(), {
      name: "RuntimeError",
      message: /no running event loop/,
    });
  });

  it("rejects bad callbacks and scheduling on a closed loop with clear errors", () => {
    const loop = asyncio.newEventLoop();
    assert.throws(() => loop.callSoon("nope" as never), {
      name: "TypeError",
      message: /callSoon\(\) expects a function/,
    });
    assert.throws(() => loop.callLater(Number.NaN, () => {}), {
      name: "TypeError",
      message: /delay/,
    });
    assert.throws(() => loop.callAt("1" as never, () => {}), { name: "TypeError" });
    loop.close();
    assert.throws(() => loop.callSoon(() => {}), {
      name: "RuntimeError",
      message: /Event loop is closed/,
    });
    assert.throws(() => loop.createFuture(), { name: "RuntimeError", message: /closed/ });
  });

  it("refuses to run twice at once, or while another loop runs", async () => {
    const loop = asyncio.newEventLoop();
    const other = asyncio.newEventLoop();
    const errors: unknown[] = [];
    loop.callSoon(() => {
      loop.runForever().catch((error) => errors.push(error));
      other.runForever().catch((error) => errors.push(error));
      loop.stop();
    });
    await loop.runForever();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(errors.length, 2);
    assert.match(String(errors[0]), /already running/);
    assert.match(String(errors[1]), /another loop is running/);
    loop.close();
    other.close();
  });

  it("keeps one Node timer across ticks while its earliest timer stays the same", async () => {
    const realSetTimeout = globalThis.setTimeout;
    let armed = 0;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      armed++;
      return realSetTimeout(...args);
    }) as typeof setTimeout;
    let ticks = 0;
    try {
      await asyncio.run(
        (function* () {
          const sleeper = asyncio.createTask(asyncio.sleep(30));
          // Twenty ticks, each woken from outside the loop and each ending with the 30 s
          // timer still the earliest.
          for (; ticks < 20; ticks++) {
            yield* asyncio.fromPromise(new Promise<void>((resolve) => setImmediate(resolve)));
          }
          sleeper.cancel();
        })(),
      );
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    assert.equal(ticks, 20);
    assert.equal(armed, 1);
  });

  it("a timer earlier than the one its Node timer waits for fires on time", async () => {
    const elapsed = await asyncio.run(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const sleeper = asyncio.createTask(asyncio.sleep(5));
        // The tick ends waiting for Node: its Node timer is armed for the 5 s sleep.
        yield* asyncio.fromPromise(new Promise<void>((resolve) => setImmediate(resolve)));
        const started = loop.time();
        yield* asyncio.sleep(0.02);
        sleeper.cancel();
        return loop.time() - started;
      })(),
    );
    assert.ok(elapsed >= 0.02 && elapsed < 1, `slept ${elapsed} s for 0.02 s`);
  });

  it("batches iterations but still lets Node's I/O in between (bounded poll latency)", async () => {
    const loop = asyncio.newEventLoop();
    const immediateSeenAfter = await spinUntilNodeTurn(loop);
    assert.ok(immediateSeenAfter > 1, "the loop ran several iterations per macrotask");
    loop.close();
  });

  it("with ioPollInterval 0, Node gets a turn after every budget check (64 runnables)", async () => {
    const loop = asyncio.newEventLoop();
    loop.ioPollInterval = 0;
    assert.equal(await spinUntilNodeTurn(loop), 64);
    loop.close();
  });

  it("work made ready between _ioBegin and _ioEnd runs before _ioEnd returns (nested: the outermost)", async () => {
    const events = await asyncio.run(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const events: string[] = [];
        const first = loop.createFuture<string>();
        const second = loop.createFuture<string>();
        const waiter = (future: asyncio.Future<string>) =>
          asyncio.createTask(
            (function* () {
              events.push(`task got ${yield* future}`);
            })(),
          );
        const tasks = [waiter(first), waiter(second)];
        yield* asyncio.sleep(0);
        // A Node callback, outside any tick, as a worker's message event is.
        yield* asyncio.fromPromise(
          new Promise<void>((resolve) =>
            setImmediate(() => {
              loop._ioBegin();
              first.setResult("one");
              loop._ioBegin();
              second.setResult("two");
              loop._ioEnd();
              events.push("inner end");
              loop._ioEnd();
              events.push("outer end");
              resolve();
            }),
          ),
        );
        yield* asyncio.gather(...tasks);
        return events;
      })(),
    );
    assert.deepEqual(events, ["inner end", "task got one", "task got two", "outer end"]);
  });

  it("debug mode logs slow callbacks", async () => {
    const loop = asyncio.newEventLoop({ debug: true });
    loop.slowCallbackDuration = 0.1;
    const { lines } = await captureLog(async () => {
      loop.callSoon(function slow() {
        const until = performance.now() + 150;
        while (performance.now() < until) {}
      });
      loop.callSoon(() => loop.stop());
      await loop.runForever();
    });
    const slow = lines.filter((line) => line.includes("slow()"));
    assert.equal(slow.length, 1);
    assert.match(
      slow[0]!,
      /^WARNING Executing <Handle slow\(\) created at .*loop\.test\.ts.*> took \d\.\d{3} seconds$/,
    );
    loop.close();
  });

  it("debug mode logs slow task steps with the task's name", async () => {
    const { lines } = await captureLog(() =>
      asyncio.run(
        (function* () {
          asyncio.getRunningLoop().slowCallbackDuration = 0.1;
          const task = asyncio.createTask(
            (function* () {
              const until = performance.now() + 150;
              while (performance.now() < until) {}
              yield* asyncio.sleep(0);
            })(),
            { name: "busy-worker" },
          );
          yield* task;
        })(),
        { debug: true },
      ),
    );
    const busy = lines.filter((line) => line.includes("busy-worker"));
    assert.ok(busy.length >= 1, "the slow step was logged");
    assert.match(
      busy[0]!,
      /^WARNING Executing <Task pending name='busy-worker' created at .*> took \d\.\d{3} seconds$/,
    );
  });

  it("prints handles with their callback and state", () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    const handle = loop.callSoon(function greet(_name: string) {}, "ada");
    assert.equal(String(handle), '<Handle greet("ada")>');
    handle.cancel();
    assert.equal(String(handle), "<Handle cancelled>");
    const timer = loop.callLater(3, function later() {});
    assert.equal(String(timer), "<TimerHandle later() when=3>");
    assert.equal(timer.when(), 3);
    loop.close();
  });
});
