import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { caught, messageOutsideTask, runVirtual } from "../helpers.ts";

const { timeout, timeoutAt, using, TimeoutError, CancelledError } = asyncio;

describe("timeout", () => {
  it("cancels the body at the deadline and throws TimeoutError caused by the CancelledError", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const deadline = timeout(1.5);
        const error = yield* caught(
          using(deadline, function* () {
            try {
              yield* asyncio.sleep(10);
            } catch (cancelled) {
              events.push(`body got ${(cancelled as Error).name} at ${loop.time()}`);
              throw cancelled;
            }
          }),
        );
        assert.ok(error instanceof TimeoutError);
        assert.ok((error as Error).cause instanceof CancelledError);
        assert.match((error as Error).message, /timed out after 1.5 seconds/);
        assert.equal(deadline.expired(), true);
        assert.equal(deadline.when(), 1.5);
        assert.equal(String(deadline), "<Timeout [expired]>");
        // The task itself is not left cancelled.
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
      })(),
    );
    assert.deepEqual(events, ["body got CancelledError at 1.5"]);
  });

  it("a body that finishes in time returns its result; the timer is gone", async () => {
    await runVirtual(
      (function* () {
        const deadline = timeout(10);
        const result = yield* using(deadline, function* () {
          yield* asyncio.sleep(1);
          return "fast";
        });
        assert.equal(result, "fast");
        assert.equal(deadline.expired(), false);
        assert.equal(String(deadline), "<Timeout [finished]>");
        // Nothing left to wake the loop at t=10: the next sleep starts at 1.
        yield* asyncio.sleep(0.5);
        assert.equal(asyncio.getRunningLoop().time(), 1.5);
      })(),
    );
  });

  it("timeoutAt takes a loop time; null disables", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const at = timeoutAt(loop.time() + 2);
        const error = yield* caught(using(at, () => asyncio.sleep(10)));
        assert.ok(error instanceof TimeoutError);
        assert.equal(at.when(), 2);
        assert.match((error as Error).message, /deadline \(loop time 2\)/);

        const none = timeout(null);
        yield* using(none, function* () {
          assert.equal(String(none), "<Timeout [active] when=null>");
          yield* asyncio.sleep(100);
        });
        assert.equal(none.expired(), false);
        assert.equal(none.when(), null);
        assert.equal(timeoutAt(null).when(), null);
      })(),
    );
  });

  it("zero and negative delays expire on the next iteration, even around sleep(0)", async () => {
    await runVirtual(
      (function* () {
        for (const delay of [0, -11]) {
          const deadline = timeout(delay);
          const error = yield* caught(using(deadline, () => asyncio.sleep(0)));
          assert.ok(error instanceof TimeoutError);
          assert.equal(deadline.expired(), true);
        }
      })(),
    );
  });

  it("an error from the body passes through; the timeout is not expired", async () => {
    await runVirtual(
      (function* () {
        const deadline = timeout(1);
        const error = yield* caught(
          using(deadline, function* () {
            throw new RangeError("own");
          }),
        );
        assert.ok(error instanceof RangeError);
        assert.equal(deadline.expired(), false);
      })(),
    );
  });

  it("an error raised while being cancelled by the timeout replaces the TimeoutError", async () => {
    await runVirtual(
      (function* () {
        const error = yield* caught(
          using(timeout(0.01), function* () {
            try {
              yield* asyncio.sleep(1);
            } finally {
              // biome-ignore lint/correctness/noUnsafeFinally: the case under test
              throw new RangeError("in cleanup");
            }
          }),
        );
        assert.ok(error instanceof RangeError);
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
      })(),
    );
  });

  it("an outside cancellation stays a CancelledError when the timeout did not expire", async () => {
    await runVirtual(
      (function* () {
        const deadline = timeout(10);
        const error = yield* caught(
          using(deadline, function* () {
            asyncio.currentTask()!.cancel();
            yield* asyncio.sleep(10);
          }),
        );
        assert.ok(error instanceof CancelledError);
        assert.equal(deadline.expired(), false);
        asyncio.currentTask()!.uncancel();
      })(),
    );
  });

  it("an outside cancellation at the moment the timeout expires stays a CancelledError", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const task = asyncio.createTask(using(timeout(1), () => asyncio.sleep(10)));
        // Cancel from a timer due at the same instant as the timeout, scheduled after it.
        yield* asyncio.sleep(0);
        loop.callAt(1, () => task.cancel());
        const error = yield* caught(task);
        assert.ok(error instanceof CancelledError);
        assert.equal(task.cancelled(), true);
      })(),
    );
  });

  it("nested timeouts with the same deadline: only the outer one throws TimeoutError", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const when = loop.time() + 0.01;
        const outer = timeoutAt(when);
        let inner!: asyncio.Timeout;
        const error = yield* caught(
          using(outer, function* () {
            try {
              inner = timeoutAt(when);
              yield* using(inner, () => asyncio.sleep(10));
            } catch (innerError) {
              events.push(`inner block threw ${(innerError as Error).name}`);
              throw innerError;
            }
          }),
        );
        assert.ok(error instanceof TimeoutError);
        assert.equal(outer.expired(), true);
        assert.equal(inner.expired(), true);
      })(),
    );
    assert.deepEqual(events, ["inner block threw CancelledError"]);
  });

  it("nested timeouts: the inner one expiring first is caught inside; the outer one still fires", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const error = yield* caught(
          using(timeout(1), function* () {
            const inner = yield* caught(using(timeout(0.5), () => asyncio.sleep(10)));
            assert.ok(inner instanceof TimeoutError);
            assert.equal(loop.time(), 0.5);
            yield* asyncio.sleep(10);
          }),
        );
        assert.ok(error instanceof TimeoutError);
        assert.equal(loop.time(), 1);
      })(),
    );
  });

  it("the outer timeout expiring first propagates through the inner one as CancelledError", async () => {
    await runVirtual(
      (function* () {
        let innerSaw: unknown;
        const error = yield* caught(
          using(timeout(0.5), function* () {
            innerSaw = yield* caught(using(timeout(5), () => asyncio.sleep(10)));
            throw innerSaw;
          }),
        );
        assert.ok(innerSaw instanceof CancelledError);
        assert.ok(error instanceof TimeoutError);
      })(),
    );
  });

  it("the awaited result arriving in the iteration the timeout fires: TimeoutError, counts clean", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const result = loop.createFuture<string>();
        // Due at the same time as the timeout and scheduled first: the task is woken, then the
        // timeout cancels it before it runs, and the result is not taken.
        loop.callAt(1, () => result.setResult("in time?"));
        const error = yield* caught(using(timeout(1), () => result));
        assert.ok(error instanceof TimeoutError);
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
        yield* asyncio.sleep(0.1);
      })(),
    );
  });

  it("a body that swallows the timeout's cancellation and returns: no error, result kept", async () => {
    await runVirtual(
      (function* () {
        const deadline = timeout(1);
        const result = yield* using(deadline, function* () {
          try {
            yield* asyncio.sleep(10);
          } catch {
            return "swallowed";
          }
          return "slept";
        });
        assert.equal(result, "swallowed");
        assert.equal(deadline.expired(), true);
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
        yield* asyncio.sleep(0.1);
      })(),
    );
  });

  it("reschedule moves the deadline; null disables it; it works only while active", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const deadline = timeout(1);
        assert.throws(() => deadline.reschedule(2), /has not been entered/);
        const error = yield* caught(
          using(deadline, function* () {
            deadline.reschedule(null);
            assert.equal(deadline.when(), null);
            yield* asyncio.sleep(2);
            deadline.reschedule(loop.time() + 3);
            assert.equal(String(deadline), "<Timeout [active] when=5>");
            yield* asyncio.sleep(10);
          }),
        );
        assert.ok(error instanceof TimeoutError);
        assert.equal(loop.time(), 5);
        assert.throws(() => deadline.reschedule(9), /Cannot change state of expired Timeout/);

        const finished = timeout(1);
        yield* using(finished, function* () {});
        assert.throws(() => finished.reschedule(9), /finished/);

        yield* using(timeout(0.5), function* (expiring) {
          yield* caught(asyncio.sleep(1));
          assert.throws(() => expiring.reschedule(9), /expiring/);
          asyncio.currentTask()!.uncancel();
        });
      })(),
    );
  });

  it("a deadline already past on reschedule expires on the next iteration", async () => {
    await runVirtual(
      (function* () {
        const error = yield* caught(
          using(timeout(10), function* (deadline) {
            deadline.reschedule(asyncio.getRunningLoop().time() - 1);
            yield* asyncio.sleep(0);
            yield* asyncio.sleep(0);
          }),
        );
        assert.ok(error instanceof TimeoutError);
      })(),
    );
  });

  it("a timeout in a finally block after a cancellation that was caught", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.currentTask()!;
        try {
          task.cancel();
          yield* asyncio.sleep(1);
        } catch {
          // The cancellation is handled here, on purpose.
        } finally {
          const error = yield* caught(using(timeout(0), () => asyncio.sleep(1)));
          assert.ok(error instanceof TimeoutError);
          task.uncancel();
        }
      })(),
    );
  });

  it("a cancellation inside a timeout after an earlier caught cancellation stays a CancelledError", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.currentTask()!;
        try {
          task.cancel();
          yield* asyncio.sleep(1);
        } catch {
          // handled
        }
        const error = yield* caught(
          using(timeout(1), function* () {
            task.cancel();
            yield* asyncio.sleep(2);
          }),
        );
        assert.ok(error instanceof CancelledError);
        task.uncancel();
        task.uncancel();
      })(),
    );
  });

  it("the outer task is not left cancelled after a TimeoutError", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(caught(using(timeout(0.01), () => asyncio.sleep(10))));
        const error = yield* task;
        assert.ok(error instanceof TimeoutError);
        assert.equal(task.cancelled(), false);
      })(),
    );
  });

  it("with a TaskGroup inside: a child's error in cleanup comes out in the group", async () => {
    await runVirtual(
      (function* () {
        const error = yield* caught(
          using(timeout(0.01), function* () {
            yield* using(new asyncio.TaskGroup(), function* (tg) {
              tg.createTask(
                (function* () {
                  try {
                    yield* asyncio.sleep(2);
                  } finally {
                    // biome-ignore lint/correctness/noUnsafeFinally: the case under test
                    throw new RangeError("crash in cleanup");
                  }
                })(),
              );
              yield* asyncio.sleep(1);
            });
          }),
        );
        assert.ok(error instanceof asyncio.ExceptionGroup);
        assert.equal(error.exceptions.length, 1);
        assert.ok(error.exceptions[0] instanceof RangeError);
      })(),
    );
  });

  it("can be entered once, inside a task only", async () => {
    await runVirtual(
      (function* () {
        const deadline = timeout(1);
        yield* using(deadline, function* () {
          const again = yield* caught(using(deadline, function* () {}));
          assert.match((again as Error).message, /has already been entered/);
        });
      })(),
    );
    assert.match(
      await messageOutsideTask(() => timeout(1).aenter()[Symbol.iterator]().next()),
      /inside a task/,
    );
  });

  it("rejects NaN and non-numbers; Infinity never expires", async () => {
    await runVirtual(
      (function* () {
        assert.throws(() => timeout(Number.NaN), asyncio.ValueError);
        assert.throws(() => timeout("1" as never), TypeError);
        assert.throws(() => timeoutAt(Number.NaN), asyncio.ValueError);
        yield* using(timeout(Number.POSITIVE_INFINITY), () => asyncio.sleep(5));
        yield* using(timeout(1), function* (deadline) {
          assert.throws(() => deadline.reschedule(Number.NaN), asyncio.ValueError);
        });
      })(),
    );
  });
});
