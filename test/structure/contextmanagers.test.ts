import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

/** A manager that records what happens to it and suppresses errors when told to. */
class Recorder implements asyncio.AsyncContextManager<string, boolean> {
  readonly events: string[];
  constructor(
    readonly name: string,
    events: string[],
    readonly suppress = false,
  ) {
    this.events = events;
  }
  *aenter(): asyncio.Coro<string> {
    yield* asyncio.sleep(0);
    this.events.push(`enter ${this.name}`);
    return `value ${this.name}`;
  }
  *aexit(error: unknown): asyncio.Coro<boolean> {
    yield* asyncio.sleep(0);
    this.events.push(
      `exit ${this.name} ${error === undefined ? "ok" : error instanceof Error ? error.name : String(error)}`,
    );
    return this.suppress;
  }
}

describe("using", () => {
  it("runs the body between aenter and aexit(undefined) and returns the body's result", async () => {
    const events: string[] = [];
    const result = await runVirtual(
      (function* () {
        return yield* asyncio.using(new Recorder("a", events), function* (value) {
          events.push(`body ${value}`);
          yield* asyncio.sleep(1);
          return 42;
        });
      })(),
    );
    assert.equal(result, 42);
    assert.deepEqual(events, ["enter a", "body value a", "exit a ok"]);
  });

  it("aexit sees the body's error; false lets it propagate", async () => {
    const events: string[] = [];
    const boom = new RangeError("boom");
    await assert.rejects(
      runVirtual(
        (function* () {
          yield* asyncio.using(new Recorder("a", events), function* () {
            throw boom;
          });
        })(),
      ),
      (error) => error === boom,
    );
    assert.deepEqual(events, ["enter a", "exit a RangeError"]);
  });

  it("aexit returning true suppresses the error; using returns undefined", async () => {
    const events: string[] = [];
    const result = await runVirtual(
      (function* () {
        const value = yield* asyncio.using(new Recorder("a", events, true), function* () {
          throw new Error("swallowed");
        });
        events.push(`after ${value}`);
        return "done";
      })(),
    );
    assert.equal(result, "done");
    assert.deepEqual(events, ["enter a", "exit a Error", "after undefined"]);
  });

  it("aexit sees CancelledError when the task is cancelled in the body", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          asyncio.using(new Recorder("a", events), function* () {
            yield* asyncio.sleep(10);
          }),
        );
        yield* asyncio.sleep(1);
        task.cancel();
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        assert.equal(task.cancelled(), true);
      })(),
    );
    assert.deepEqual(events, ["enter a", "exit a CancelledError"]);
  });

  it("several managers nest: entered left to right, exited right to left, values in order", async () => {
    const events: string[] = [];
    const result = await runVirtual(
      (function* () {
        return yield* asyncio.using(
          new Recorder("a", events),
          new Recorder("b", events),
          new Recorder("c", events),
          function* (a, b, c) {
            events.push(`body ${a}, ${b}, ${c}`);
            return 3;
          },
        );
      })(),
    );
    assert.equal(result, 3);
    assert.deepEqual(events, [
      "enter a",
      "enter b",
      "enter c",
      "body value a, value b, value c",
      "exit c ok",
      "exit b ok",
      "exit a ok",
    ]);
  });

  it("with nested managers an inner suppression hides the error from the outer ones", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        yield* asyncio.using(
          new Recorder("outer", events),
          new Recorder("inner", events, true),
          function* () {
            throw new TypeError("x");
          },
        );
      })(),
    );
    assert.deepEqual(events, [
      "enter outer",
      "enter inner",
      "exit inner TypeError",
      "exit outer ok",
    ]);
  });

  it("an error thrown by aexit replaces the body's error", async () => {
    const replaced = new Error("from aexit");
    const manager: asyncio.AsyncContextManager<void, false> = {
      *aenter() {},
      *aexit() {
        throw replaced;
      },
    };
    await assert.rejects(
      runVirtual(
        asyncio.using(manager, function* () {
          throw new Error("from body");
        }),
      ),
      (error) => error === replaced,
    );
  });

  it("aenter failing skips the body and aexit", async () => {
    const events: string[] = [];
    const manager: asyncio.AsyncContextManager<void, false> = {
      *aenter() {
        throw new Error("cannot enter");
      },
      *aexit() {
        events.push("aexit");
        return false;
      },
    };
    await assert.rejects(
      runVirtual(
        asyncio.using(manager, function* () {
          events.push("body");
        }),
      ),
      /cannot enter/,
    );
    assert.deepEqual(events, []);
  });

  it("a thrown undefined reaches aexit as a TypeError, and that TypeError propagates", async () => {
    let seen: unknown = "nothing";
    const manager: asyncio.AsyncContextManager<void, false> = {
      *aenter() {},
      *aexit(error) {
        seen = error;
        return false;
      },
    };
    await assert.rejects(
      runVirtual(
        asyncio.using(manager, function* () {
          throw undefined;
        }),
      ),
      (error) =>
        error === seen && error instanceof TypeError && /threw undefined/.test(error.message),
    );
  });

  it("cancellation during aexit: cleanup is interrupted and CancelledError propagates", async () => {
    const events: string[] = [];
    const manager: asyncio.AsyncContextManager<void, false> = {
      *aenter() {},
      *aexit(error) {
        events.push(`aexit ${error === undefined ? "ok" : (error as Error).name}`);
        try {
          yield* asyncio.sleep(10);
          events.push("cleanup finished");
        } finally {
          events.push("cleanup interrupted");
        }
        return false;
      },
    };
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(asyncio.using(manager, function* () {}));
        yield* asyncio.sleep(1);
        task.cancel();
        try {
          yield* task;
        } catch (error) {
          events.push(`task ${(error as Error).name}`);
        }
      })(),
    );
    assert.deepEqual(events, ["aexit ok", "cleanup interrupted", "task CancelledError"]);
  });

  it("an async generator closed inside the body still exits its managers (GeneratorExit)", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const gen = asyncio.asyncGenerator(function* () {
          yield* asyncio.using(new Recorder("m", events), function* () {
            yield* asyncio.emit(1);
            yield* asyncio.emit(2);
          });
        })();
        const first = yield* gen.next();
        events.push(`got ${first.value}`);
        yield* gen.aclose();
        events.push("closed");
      })(),
    );
    assert.deepEqual(events, ["enter m", "got 1", "exit m GeneratorExit", "closed"]);
  });

  it("rejects objects without the protocol and bodies that are not functions", () => {
    assert.throws(
      () => asyncio.using({} as never, function* () {}),
      /using\(\) expects an async context manager \(an object with aenter\(\) and aexit\(error\) methods\)/,
    );
    assert.throws(() => asyncio.using(null as never, function* () {}), TypeError);
    assert.throws(
      () => asyncio.using(new Recorder("a", []), "body" as never),
      /last argument to be the body/,
    );
    assert.throws(() => (asyncio.using as (...args: unknown[]) => unknown)(), /one or more/);
    assert.throws(
      () => asyncio.using(new Recorder("a", []), {} as never, function* () {}),
      /argument 2/,
    );
  });

  it("accepts a plain function body returning an awaitable", async () => {
    const result = await runVirtual(
      asyncio.using(new Recorder("a", []), () => asyncio.sleep(1, "slept")),
    );
    assert.equal(result, "slept");
  });
});

describe("asyncContextManager", () => {
  const resource = asyncio.asyncContextManager(function* (name: string, events: string[]) {
    events.push(`open ${name}`);
    yield* asyncio.sleep(0);
    try {
      yield* asyncio.emit(`${name}-handle`);
      events.push(`close ${name} ok`);
    } catch (error) {
      events.push(`close ${name} after ${(error as Error).name}`);
      if (error instanceof RangeError) return;
      throw error;
    } finally {
      yield* asyncio.sleep(0);
      events.push(`finally ${name}`);
    }
  });

  it("sets up, gives the emitted value, and tears down after the body", async () => {
    const events: string[] = [];
    const result = await runVirtual(
      asyncio.using(resource("db", events), function* (handle) {
        events.push(`use ${handle}`);
        return handle.length;
      }),
    );
    assert.equal(result, "db-handle".length);
    assert.deepEqual(events, ["open db", "use db-handle", "close db ok", "finally db"]);
  });

  it("throws the body's error in at the emit; catching it suppresses it", async () => {
    const events: string[] = [];
    const result = await runVirtual(
      asyncio.using(resource("db", events), function* () {
        throw new RangeError("handled by the manager");
      }),
    );
    assert.equal(result, undefined);
    assert.deepEqual(events, ["open db", "close db after RangeError", "finally db"]);
  });

  it("an error the generator re-throws propagates as it is", async () => {
    const events: string[] = [];
    const boom = new TypeError("boom");
    await assert.rejects(
      runVirtual(
        asyncio.using(resource("db", events), function* () {
          throw boom;
        }),
      ),
      (error) => error === boom,
    );
    assert.deepEqual(events, ["open db", "close db after TypeError", "finally db"]);
  });

  it("a generator that never emits, or emits twice, is a RuntimeError", async () => {
    const silent = asyncio.asyncContextManager(function* () {});
    await assert.rejects(
      runVirtual(asyncio.using(silent(), function* () {})),
      /did not emit a value/,
    );
    const twice = asyncio.asyncContextManager(function* () {
      yield* asyncio.emit(1);
      yield* asyncio.emit(2);
    });
    await assert.rejects(
      runVirtual(asyncio.using(twice(), function* () {})),
      /emitted a second value/,
    );
  });

  it("refuses a function that is not a generator function", () => {
    assert.throws(() => asyncio.asyncContextManager((() => {}) as never), /generator function/);
  });
});
