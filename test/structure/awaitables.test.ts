/**
 * Anything `yield*` can wait on (the library's `Awaitable`: an object with only a
 * `[Symbol.iterator]` method is one) is accepted wherever an awaitable is: createTask,
 * ensureFuture, waitFor, gather, shield, asCompleted, and wait once wrapped as a future, as
 * CPython's wait() takes only futures. `StreamWriter.drain()`'s awaitable is the library's own
 * such object.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { portOf, runVirtual } from "../helpers.ts";

/** An awaitable with nothing but `[Symbol.iterator]`: waits `seconds`, then gives `value`. */
function iterableOnly<T>(seconds: number, value: T, events: string[]): asyncio.Awaitable<T> {
  return {
    *[Symbol.iterator]() {
      events.push(`start ${String(value)}`);
      yield* asyncio.sleep(seconds);
      events.push(`end ${String(value)}`);
      return value;
    },
  };
}

describe("awaitables with only [Symbol.iterator]", () => {
  it("createTask and ensureFuture run one as a task", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(iterableOnly(1, "a", events));
        const future = asyncio.ensureFuture(iterableOnly(2, "b", events));
        assert.ok(future instanceof asyncio.Task);
        assert.equal(yield* task, "a");
        assert.equal(yield* future, "b");
        assert.equal(asyncio.getRunningLoop().time(), 2);
      })(),
    );
    assert.deepEqual(events, ["start a", "start b", "end a", "end b"]);
  });

  it("gather, waitFor, shield and asCompleted take one", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const results = yield* asyncio.gather(
          iterableOnly(2, "g1", events),
          iterableOnly(1, "g2", events),
        );
        assert.deepEqual(results, ["g1", "g2"]);
        assert.equal(yield* asyncio.waitFor(iterableOnly(1, "w", events), 5), "w");
        assert.equal(yield* asyncio.shield(iterableOnly(1, "s", events)), "s");
        const order: string[] = [];
        for (const next of asyncio.asCompleted([
          iterableOnly(2, "slow", events),
          iterableOnly(1, "fast", events),
        ])) {
          order.push(yield* next);
        }
        assert.deepEqual(order, ["fast", "slow"]);
        const [done] = yield* asyncio.wait([asyncio.ensureFuture(iterableOnly(1, "x", events))]);
        assert.deepEqual(
          [...done].map((future) => future.result()),
          ["x"],
        );
      })(),
    );
    assert.deepEqual(events, [
      "start g1",
      "start g2",
      "end g2",
      "end g1",
      "start w",
      "end w",
      "start s",
      "end s",
      "start slow",
      "start fast",
      "end fast",
      "end slow",
      "start x",
      "end x",
    ]);
  });

  it("waitFor times one out and stops it", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        try {
          yield* asyncio.waitFor(iterableOnly(5, "late", events), 1);
          assert.fail("waitFor should have timed out");
        } catch (error) {
          assert.ok(error instanceof asyncio.TimeoutError);
        }
        assert.equal(asyncio.getRunningLoop().time(), 1);
      })(),
    );
    assert.deepEqual(events, ["start late"]);
  });

  it("collections are iterable but not awaitable: refused before anything starts", async () => {
    await runVirtual(
      (function* () {
        const events: string[] = [];
        assert.throws(
          () => asyncio.gather([[iterableOnly(1, "a", events)]] as never),
          /gather\(\) item 1 is not awaitable/,
        );
        assert.throws(() => asyncio.ensureFuture(new Set() as never), TypeError);
        assert.throws(() => asyncio.createTask(new Map() as never), TypeError);
        assert.deepEqual(events, []);
      })(),
    );
  });
});

describe("StreamWriter.drain()'s awaitable", () => {
  it("is accepted by createTask, ensureFuture, waitFor, gather, shield and asCompleted", async () => {
    await asyncio.run(
      (function* () {
        const server = yield* asyncio.startServer(
          function* (_reader, writer) {
            writer.close();
            yield* writer.waitClosed();
          },
          "127.0.0.1",
          0,
        );
        const [, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
        writer.write("ping");
        assert.equal(yield* asyncio.createTask(writer.drain()), undefined);
        assert.equal(yield* asyncio.ensureFuture(writer.drain()), undefined);
        assert.equal(yield* asyncio.waitFor(writer.drain(), 5), undefined);
        assert.deepEqual(yield* asyncio.gather(writer.drain(), writer.drain()), [
          undefined,
          undefined,
        ]);
        assert.equal(yield* asyncio.shield(writer.drain()), undefined);
        for (const next of asyncio.asCompleted([writer.drain()])) {
          assert.equal(yield* next, undefined);
        }
        writer.close();
        yield* writer.waitClosed();
        server.close();
        yield* server.waitClosed();
      })(),
    );
  });
});
