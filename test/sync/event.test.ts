import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

describe("Event", () => {
  it("wait() blocks until set(), which wakes every waiter in the order they came", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const event = new asyncio.Event();
        function* waiter(name: string): asyncio.Coro<void> {
          events.push(`${name} waits`);
          const value: true = yield* event.wait();
          events.push(`${name} woke ${value}`);
        }
        const tasks = ["a", "b", "c"].map((name) => asyncio.createTask(waiter(name)));
        yield* asyncio.sleep(1);
        assert.equal(event.isSet(), false);
        events.push("set");
        event.set();
        assert.equal(event.isSet(), true);
        for (const task of tasks) yield* task;
      })(),
    );
    assert.deepEqual(events, [
      "a waits",
      "b waits",
      "c waits",
      "set",
      "a woke true",
      "b woke true",
      "c woke true",
    ]);
  });

  it("wait() on a set event returns at once, without suspending", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const event = new asyncio.Event();
        event.set();
        asyncio.createTask(
          (function* () {
            events.push("other");
          })(),
        );
        assert.equal(yield* event.wait(), true);
        events.push("passed");
        yield* asyncio.sleep(0);
      })(),
    );
    assert.deepEqual(events, ["passed", "other"]);
  });

  it("clear() lowers the flag; tasks woken before it still return", async () => {
    await runVirtual(
      (function* () {
        const event = new asyncio.Event();
        const woken = asyncio.createTask(event.wait());
        yield* asyncio.sleep(0);
        event.set();
        event.clear();
        assert.equal(event.isSet(), false);
        assert.equal(yield* woken, true);
        const blocked = asyncio.createTask(event.wait());
        yield* asyncio.sleep(1);
        assert.equal(blocked.done(), false);
        event.set();
        yield* blocked;
      })(),
    );
  });

  it("set() twice does nothing the second time", async () => {
    await runVirtual(
      (function* () {
        const event = new asyncio.Event();
        const task = asyncio.createTask(event.wait());
        yield* asyncio.sleep(0);
        event.set();
        event.set();
        assert.equal(yield* task, true);
      })(),
    );
  });

  it("a cancelled waiter leaves; the others still wake", async () => {
    await runVirtual(
      (function* () {
        const event = new asyncio.Event();
        const cancelled = asyncio.createTask(event.wait());
        const other = asyncio.createTask(event.wait());
        yield* asyncio.sleep(0);
        cancelled.cancel();
        yield* asyncio.sleep(0);
        assert.equal(cancelled.cancelled(), true);
        assert.equal(event._waiters.length, 1);
        event.set();
        assert.equal(yield* other, true);
        assert.equal(event._waiters.length, 0);
      })(),
    );
  });

  it("statistics, toString and inspect show the flag and the waiters", async () => {
    await runVirtual(
      (function* () {
        const event = new asyncio.Event();
        assert.equal(String(event), "<Event [unset]>");
        const tasks = [asyncio.createTask(event.wait()), asyncio.createTask(event.wait())];
        yield* asyncio.sleep(0);
        assert.deepEqual(event.statistics(), { set: false, waiters: 2 });
        assert.equal(inspect(event), "<Event [unset, waiters:2]>");
        event.set();
        assert.deepEqual(event.statistics(), { set: true, waiters: 0 });
        assert.equal(String(event), "<Event [set]>");
        for (const task of tasks) yield* task;
      })(),
    );
  });
});
