import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

const ticks = asyncio.asyncGenerator(function* (count: number, log: string[]) {
  try {
    for (let i = 0; i < count; i++) {
      yield* asyncio.sleep(1);
      yield* asyncio.emit(i);
    }
    return "exhausted";
  } finally {
    log.push("ticks finally");
  }
});

describe("async generators", () => {
  it("a coroutine pulls values with yield* gen.next(), then the return value", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const gen = ticks(3, log);
        for (let step = yield* gen.next(); !step.done; step = yield* gen.next()) {
          const value: number = step.value;
          log.push(`${value} at ${loop.time()}`);
        }
        const after = yield* gen.next();
        assert.deepEqual(after, { done: true, value: undefined });
      })(),
    );
    assert.deepEqual(log, ["0 at 1", "1 at 2", "2 at 3", "ticks finally"]);
  });

  it("reports the return value when the body finishes", async () => {
    await runVirtual(
      (function* () {
        const gen = ticks(1, []);
        assert.deepEqual(yield* gen.next(), { done: false, value: 0 });
        assert.deepEqual(yield* gen.next(), { done: true, value: "exhausted" });
      })(),
    );
  });

  it("asend delivers a value as the result of emit; athrow throws at the emit", async () => {
    const echo = asyncio.asyncGenerator(function* () {
      let received: unknown = "start";
      for (;;) {
        try {
          received = yield* asyncio.emit(`got ${String(received)}`);
        } catch (error) {
          received = `error ${(error as Error).message}`;
        }
      }
    });
    await runVirtual(
      (function* () {
        const gen = echo();
        assert.deepEqual(yield* gen.next(), { done: false, value: "got start" });
        assert.deepEqual(yield* gen.asend("x"), { done: false, value: "got x" });
        assert.deepEqual(yield* gen.athrow(new Error("e")), { done: false, value: "got error e" });
        yield* gen.aclose();
        assert.deepEqual(yield* gen.next(), { done: true, value: undefined });
      })(),
    );
  });

  it("aclose runs finally blocks, which may wait; emitting while closing is an error", async () => {
    const log: string[] = [];
    const waitsInFinally = asyncio.asyncGenerator(function* () {
      try {
        yield* asyncio.emit(1);
        yield* asyncio.emit(2);
      } finally {
        yield* asyncio.sleep(5);
        log.push(`cleanup done at ${asyncio.getRunningLoop().time()}`);
      }
    });
    const stubborn = asyncio.asyncGenerator(function* () {
      try {
        yield* asyncio.emit(1);
      } finally {
        yield* asyncio.emit(2);
      }
    });
    await runVirtual(
      (function* () {
        const gen = waitsInFinally();
        yield* gen.next();
        yield* gen.aclose();
        const bad = stubborn();
        yield* bad.next();
        try {
          yield* bad.aclose();
          assert.fail("should throw");
        } catch (error) {
          log.push(String(error));
        }
      })(),
    );
    assert.equal(log[0], "cleanup done at 5");
    assert.match(log[1]!, /RuntimeError: .* emitted a value while being closed/);
  });

  it("run() closes generators still open at shutdown", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const gen = ticks(10, log);
        yield* gen.next();
        log.push("main returns");
      })(),
    );
    assert.deepEqual(log, ["main returns", "ticks finally"]);
  });

  it("cannot be stepped twice at once", async () => {
    await runVirtual(
      (function* () {
        const gen = ticks(2, []);
        const first = asyncio.createTask(gen.next());
        yield* asyncio.sleep(0);
        try {
          yield* gen.next();
          assert.fail("should throw");
        } catch (error) {
          assert.match(String(error), /already running/);
        }
        yield* first;
      })(),
    );
  });

  it("for await works from async code while the loop runs", async () => {
    const values: number[] = [];
    await runVirtual(
      (function* () {
        const gen = ticks(3, []);
        const consumer = (async () => {
          for await (const value of gen) values.push(value);
        })();
        yield* asyncio.fromPromise(consumer);
      })(),
    );
    assert.deepEqual(values, [0, 1, 2]);
  });

  it("asyncGenerator rejects what is not a generator function", () => {
    assert.throws(() => asyncio.asyncGenerator((() => {}) as never), TypeError);
  });
});
