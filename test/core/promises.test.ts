import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";

describe("fromPromise and abortable", () => {
  it("fromPromise waits for a Promise and evaluates to its value or throws its error", async () => {
    await asyncio.run(
      (function* () {
        const value: number = yield* asyncio.fromPromise(Promise.resolve(3));
        assert.equal(value, 3);
        const plain: string = yield* asyncio.fromPromise("not a promise");
        assert.equal(plain, "not a promise");
        try {
          yield* asyncio.fromPromise(Promise.reject(new Error("rejected")));
          assert.fail("should throw");
        } catch (error) {
          assert.equal((error as Error).message, "rejected");
        }
      })(),
    );
  });

  it("a promise that rejects after its waiter was cancelled is not an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let reject!: (error: Error) => void;
      const promise = new Promise<number>((_, r) => {
        reject = r;
      });
      await asyncio.run(
        (function* () {
          const task = asyncio.createTask(
            (function* () {
              return yield* asyncio.fromPromise(promise);
            })(),
          );
          yield* asyncio.sleep(0);
          task.cancel();
          try {
            yield* task;
          } catch {}
          assert.equal(task.cancelled(), true);
        })(),
      );
      reject(new Error("too late"));
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("abortable aborts its signal when the waiting task is cancelled", async () => {
    const events: string[] = [];
    await asyncio.run(
      (function* () {
        const task = asyncio.createTask(
          (function* () {
            return yield* asyncio.abortable(
              (signal) =>
                new Promise<string>((resolve, reject) => {
                  const timer = setTimeout(() => resolve("finished"), 10_000);
                  signal.addEventListener("abort", () => {
                    clearTimeout(timer);
                    events.push(`aborted: ${signal.reason.name} ${signal.reason.message}`);
                    reject(signal.reason);
                  });
                }),
            );
          })(),
        );
        yield* asyncio.sleep(0.01);
        task.cancel("user gave up");
        try {
          yield* task;
        } catch (error) {
          events.push(`task: ${(error as Error).name}`);
        }
      })(),
    );
    assert.deepEqual(events, ["aborted: CancelledError user gave up", "task: CancelledError"]);
  });

  it("abortable passes a value through, and a synchronous throw becomes the error", async () => {
    await asyncio.run(
      (function* () {
        assert.equal(yield* asyncio.abortable(async () => 5), 5);
        try {
          yield* asyncio.abortable(() => {
            throw new Error("sync failure");
          });
          assert.fail("should throw");
        } catch (error) {
          assert.equal((error as Error).message, "sync failure");
        }
        assert.throws(() => asyncio.abortable(42 as never), TypeError);
      })(),
    );
  });
});
