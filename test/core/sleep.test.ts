import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

describe("sleep", () => {
  it("waits delay seconds of loop time and evaluates to the result", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const start = loop.time();
        const value: string = yield* asyncio.sleep(2.5, "woke");
        assert.equal(value, "woke");
        assert.equal(loop.time() - start, 2.5);
        const nothing: void = yield* asyncio.sleep(1);
        assert.equal(nothing, undefined);
      })(),
    );
  });

  it("sleep(0) and negative delays yield once without advancing time", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const start = loop.time();
        const other = asyncio.createTask(
          (function* () {
            events.push("other ran");
          })(),
        );
        events.push(`result ${yield* asyncio.sleep(-5, "neg")}`);
        assert.equal(loop.time(), start);
        yield* other;
      })(),
    );
    assert.deepEqual(events, ["other ran", "result neg"]);
  });

  it("NaN is a ValueError and a non-number a TypeError", async () => {
    assert.throws(() => asyncio.sleep(Number.NaN), { name: "ValueError", message: /NaN/ });
    assert.throws(() => asyncio.sleep("1" as never), { name: "TypeError" });
  });

  it("starts timing when awaited, as a coroutine would", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const start = loop.time();
        const later = asyncio.sleep(1);
        yield* asyncio.sleep(5);
        yield* later;
        assert.equal(loop.time() - start, 6);
      })(),
    );
  });

  it("works as the awaitable of runUntilComplete before any loop runs", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    assert.equal(await loop.runUntilComplete(asyncio.sleep(3, "ok")), "ok");
    assert.equal(loop.time(), 3);
    loop.close();
  });

  it("sleep(Infinity) waits until cancelled", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(asyncio.sleep(Number.POSITIVE_INFINITY));
        yield* asyncio.sleep(1e9);
        assert.equal(task.done(), false);
        task.cancel();
        try {
          yield* task;
        } catch {}
        assert.equal(task.cancelled(), true);
      })(),
    );
  });

  it("a cancelled sleep leaves no live timer behind", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const tasks = Array.from({ length: 300 }, () => asyncio.createTask(asyncio.sleep(100)));
        yield* asyncio.sleep(0);
        for (const task of tasks) task.cancel();
        yield* asyncio.sleep(1);
        assert.ok(loop._timers.length < 300, `heap still holds ${loop._timers.length}`);
      })(),
    );
  });
});

describe("virtual clock", () => {
  it("a 10-minute scenario of sleeps and cancellations runs in milliseconds", async () => {
    const started = performance.now();
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const poller = asyncio.createTask(
          (function* () {
            for (let i = 0; ; i++) {
              yield* asyncio.sleep(30);
              log.push(`poll ${i} at ${loop.time()}`);
            }
          })(),
        );
        const workers = Array.from({ length: 100 }, (_, i) =>
          asyncio.createTask(
            (function* () {
              for (let round = 0; round < 20; round++) yield* asyncio.sleep(1 + (i % 7));
            })(),
          ),
        );
        for (const worker of workers) yield* worker;
        yield* asyncio.sleep(600 - loop.time());
        poller.cancel();
        log.push(`end at ${loop.time()}`);
      })(),
    );
    assert.equal(log.length, 20);
    assert.equal(log.at(-2), "poll 18 at 570");
    assert.equal(log[0], "poll 0 at 30");
    assert.equal(log.at(-1), "end at 600");
    assert.ok(performance.now() - started < 2000);
  });

  it("waits for a pending promise before jumping time (up to autojumpThreshold)", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        loop.autojumpThreshold = 60;
        const timer = asyncio.createTask(
          (function* () {
            yield* asyncio.sleep(100);
            events.push(`timer at ${loop.time()}`);
          })(),
        );
        const value = yield* asyncio.fromPromise(
          new Promise<string>((resolve) => setTimeout(() => resolve("io"), 20)),
        );
        events.push(`${value} at ${loop.time()}`);
        yield* timer;
      })(),
    );
    assert.deepEqual(events, ["io at 0", "timer at 100"]);
  });

  it("lets Promise reactions run before time jumps", async () => {
    const seen = await runVirtual(
      (function* (): asyncio.Coro<number[]> {
        const loop = asyncio.getRunningLoop();
        const seen: number[] = [];
        const task = asyncio.createTask(asyncio.sleep(1, "x"));
        void (async () => {
          await task;
          seen.push(loop.time());
          loop.callSoon(() => seen.push(loop.time()));
        })();
        yield* asyncio.sleep(5);
        return seen;
      })(),
    );
    assert.deepEqual(seen, [1, 1]);
  });

  it("jumps after autojumpThreshold when a pending promise waits on a virtual timer", async () => {
    const value = await runVirtual(
      (function* (): asyncio.Coro<number> {
        const task = asyncio.createTask(asyncio.sleep(1000, 10));
        const viaAsync = (async () => (await task) * 2)();
        return yield* asyncio.fromPromise(viaAsync);
      })(),
    );
    assert.equal(value, 20);
  });
});
