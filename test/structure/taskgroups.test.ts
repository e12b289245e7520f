import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import {
  after,
  caught,
  collectErrors,
  failAfter,
  messageOutsideTask,
  runCollectingErrors,
  runVirtual,
  sleepLoggingFinally,
} from "../helpers.ts";

const { TaskGroup, ExceptionGroup, using } = asyncio;

/** The names of the errors in a group, nested groups as arrays. */
function kinds(error: unknown): unknown {
  if (error instanceof ExceptionGroup) return error.exceptions.map(kinds);
  return (error as Error).name;
}

describe("TaskGroup", () => {
  it("waits for every child before the block ends", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        let a!: asyncio.Task<string>;
        let b!: asyncio.Task<string>;
        yield* using(new TaskGroup(), function* (tg) {
          a = tg.createTask(after(1, "a"), { name: "a" });
          b = tg.createTask(after(2, "b"));
          events.push("body done");
        });
        events.push(`after block at ${loop.time()}: ${a.result()} ${b.result()}`);
        assert.equal(a.getName(), "a");
      })(),
    );
    assert.deepEqual(events, ["body done", "after block at 2: a b"]);
  });

  it("the first child error cancels the others and the body; errors come out as an ExceptionGroup", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        function* sibling(): asyncio.Coro<void> {
          try {
            yield* asyncio.sleep(10);
          } catch (error) {
            events.push(`sibling ${(error as Error).name}`);
            throw error;
          }
        }
        const error = yield* caught(
          using(new TaskGroup(), function* (tg) {
            tg.createTask(failAfter(1, new RangeError("boom")));
            tg.createTask(sibling());
            try {
              yield* asyncio.sleep(10);
            } catch (cancelled) {
              events.push(`body ${(cancelled as Error).name}`);
              throw cancelled;
            }
          }),
        );
        assert.ok(error instanceof ExceptionGroup);
        assert.equal(error.message, "unhandled errors in a TaskGroup");
        assert.deepEqual(kinds(error), ["RangeError"]);
        // The group withdrew the cancellation it sent to the parent: code after it runs.
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
        yield* asyncio.sleep(1);
        events.push("after");
      })(),
    );
    assert.deepEqual(events, ["sibling CancelledError", "body CancelledError", "after"]);
  });

  it("collects every child error, and the body's error after them", async () => {
    await runVirtual(
      (function* () {
        const error = yield* caught(
          using(new TaskGroup(), function* (tg) {
            function* failsWhenCancelled(): asyncio.Coro<void> {
              try {
                yield* asyncio.sleep(10);
              } finally {
                // biome-ignore lint/correctness/noUnsafeFinally: the case under test
                throw new SyntaxError("in cleanup");
              }
            }
            tg.createTask(failAfter(1, new RangeError("first")));
            tg.createTask(failsWhenCancelled());
            try {
              yield* asyncio.sleep(10);
            } finally {
              // biome-ignore lint/correctness/noUnsafeFinally: the case under test
              throw new TypeError("body");
            }
          }),
        );
        assert.deepEqual(kinds(error), ["RangeError", "SyntaxError", "TypeError"]);
      })(),
    );
  });

  it("a body error alone is wrapped in an ExceptionGroup and cancels the children", async () => {
    await runVirtual(
      (function* () {
        let child!: asyncio.Task<void>;
        const error = yield* caught(
          using(new TaskGroup(), function* (tg) {
            child = tg.createTask(asyncio.sleep(10));
            yield* asyncio.sleep(0);
            throw new TypeError("body failed");
          }),
        );
        assert.deepEqual(kinds(error), ["TypeError"]);
        assert.equal(child.cancelled(), true);
      })(),
    );
  });

  it("an outside cancellation cancels the children and stays a CancelledError", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const runner = asyncio.createTask(
          using(new TaskGroup(), function* (tg) {
            tg.createTask(sleepLoggingFinally("a", events));
            tg.createTask(sleepLoggingFinally("b", events));
            yield* asyncio.sleep(10);
          }),
        );
        yield* asyncio.sleep(1);
        runner.cancel();
        const error = yield* caught(runner);
        assert.ok(error instanceof asyncio.CancelledError);
        assert.equal(runner.cancelled(), true);
      })(),
    );
    assert.deepEqual(events, ["a finally", "b finally"]);
  });

  it("an outside cancellation while the block waits in aexit cancels the children", async () => {
    await runVirtual(
      (function* () {
        let child!: asyncio.Task<void>;
        const runner = asyncio.createTask(
          using(new TaskGroup(), function* (tg) {
            child = tg.createTask(asyncio.sleep(10));
          }),
        );
        yield* asyncio.sleep(1);
        runner.cancel();
        const error = yield* caught(runner);
        assert.ok(error instanceof asyncio.CancelledError);
        assert.equal(child.cancelled(), true);
      })(),
    );
  });

  it("a child failing while the parent is being cancelled: the errors win, the cancel count stays", async () => {
    await runVirtual(
      (function* () {
        const runner = asyncio.createTask(
          (function* () {
            yield* using(new TaskGroup(), function* (tg) {
              tg.createTask(failAfter(0.3, new RangeError("crash")));
              try {
                yield* asyncio.sleep(10);
              } catch (error) {
                yield* asyncio.sleep(0.5);
                throw error;
              }
            });
          })(),
        );
        yield* asyncio.sleep(0.1);
        runner.cancel();
        const error = yield* caught(runner);
        assert.deepEqual(kinds(error), ["RangeError"]);
        // The outside cancellation is still requested, so the task ended with the group error
        // but its count says it was asked to stop.
        assert.equal(runner.cancelling(), 1);
      })(),
    );
  });

  it("a body that turns the cancellation into an error reports that error", async () => {
    class MyError extends Error {}
    await runVirtual(
      (function* () {
        const runner = asyncio.createTask(
          using(new TaskGroup(), function* () {
            try {
              yield* asyncio.sleep(10);
            } catch {
              throw new MyError("converted");
            }
          }),
        );
        yield* asyncio.sleep(0.1);
        runner.cancel();
        const error = yield* caught(runner);
        assert.ok(error instanceof ExceptionGroup);
        assert.ok(error.exceptions[0] instanceof MyError);
      })(),
    );
  });

  it("nested groups: the inner child's error fails the inner group; the outer one sees that group", async () => {
    await runVirtual(
      (function* () {
        const error = yield* caught(
          using(new TaskGroup(), function* (outer) {
            outer.createTask(failAfter(10, new RangeError("late")));
            yield* using(new TaskGroup(), function* (inner) {
              inner.createTask(failAfter(0.1, new TypeError("early")));
            });
          }),
        );
        assert.deepEqual(kinds(error), [["TypeError"]]);
      })(),
    );
  });

  it("nested groups both cancelling the parent keep the cancel count right", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.currentTask()!;
        const outerError = yield* caught(
          using(new TaskGroup(), function* (outer) {
            const innerError = yield* caught(
              using(new TaskGroup(), function* (inner) {
                inner.createTask(failAfter(0, new TypeError("inner")));
                outer.createTask(failAfter(0, new RangeError("outer")));
                yield* asyncio.sleep(1);
              }),
            );
            assert.deepEqual(kinds(innerError), ["TypeError"]);
            assert.equal(task.cancelling(), 1);
          }),
        );
        assert.deepEqual(kinds(outerError), ["RangeError"]);
        assert.equal(task.cancelling(), 0);
      })(),
    );
  });

  it("an error and an outside cancel: the error group comes out, the cancel still applies after", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const started = asyncio.getRunningLoop().createFuture<void>();
        function* inner(): asyncio.Coro<void> {
          const error = yield* caught(
            using(new TaskGroup(), function* (tg) {
              tg.createTask(
                (function* () {
                  started.setResult(undefined);
                  yield* asyncio.sleep(0);
                  throw new TypeError("child");
                })(),
              );
              yield* asyncio.sleep(1);
              events.push("not reached: body");
            }),
          );
          events.push(
            `group ${JSON.stringify(kinds(error))} cancelling=${asyncio.currentTask()!.cancelling()}`,
          );
          yield* asyncio.sleep(1);
          events.push("not reached: after");
        }
        const task = asyncio.createTask(inner());
        yield* started;
        task.cancel();
        const error = yield* caught(task);
        events.push(`task ${(error as Error).name} cancelled=${task.cancelled()}`);
      })(),
    );
    assert.deepEqual(events, [
      'group ["TypeError"] cancelling=1',
      "task CancelledError cancelled=true",
    ]);
  });

  it("refuses createTask before entry, after the end, and while shutting down", async () => {
    await runVirtual(
      (function* () {
        const fresh = new TaskGroup();
        const unstarted = after(1, 1);
        assert.throws(() => fresh.createTask(unstarted), /has not been entered/);
        // The refused coroutine was closed: it can never run.
        assert.deepEqual(unstarted.next(), { done: true, value: undefined });

        const finished = new TaskGroup();
        yield* using(finished, function* () {});
        assert.throws(() => finished.createTask(after(1, 1)), /is finished/);

        const messages: string[] = [];
        yield* caught(
          using(new TaskGroup(), function* (tg) {
            tg.createTask(failAfter(0.1, new RangeError("x")));
            tg.createTask(
              (function* () {
                try {
                  yield* asyncio.sleep(1);
                } catch (error) {
                  try {
                    tg.createTask(after(1, 1));
                  } catch (refused) {
                    messages.push((refused as Error).message);
                  }
                  throw error;
                }
              })(),
            );
          }),
        );
        assert.equal(messages.length, 1);
        assert.match(messages[0]!, /is shutting down/);
      })(),
    );
  });

  it("can be entered once only", async () => {
    await runVirtual(
      (function* () {
        const tg = new TaskGroup();
        yield* using(tg, function* () {
          const error = yield* caught(using(tg, function* () {}));
          assert.match((error as Error).message, /has already been entered/);
        });
        const again = yield* caught(using(tg, function* () {}));
        assert.match((again as Error).message, /has already been entered/);
      })(),
    );
  });

  it("needs a parent task", async () => {
    assert.match(
      await messageOutsideTask(() => new TaskGroup().aenter()[Symbol.iterator]().next()),
      /cannot determine the parent task/,
    );
  });

  it("children may add children while the group runs (and after the body ended)", async () => {
    let count = 0;
    await runVirtual(
      (function* () {
        yield* using(new TaskGroup(), function* (tg) {
          function* spawn(depth: number): asyncio.Coro<void> {
            count++;
            yield* asyncio.sleep(0.1);
            if (depth < 3) {
              tg.createTask(spawn(depth + 1));
              tg.createTask(spawn(depth + 1));
            }
          }
          tg.createTask(spawn(0));
        });
      })(),
    );
    assert.equal(count, 15);
  });

  it("tasks run in the context given to createTask", async () => {
    const variable = new asyncio.ContextVar<number>("value", { default: 0 });
    await runVirtual(
      (function* () {
        const context = asyncio.copyContext();
        yield* using(new TaskGroup(), function* (tg) {
          yield* tg.createTask(
            (function* () {
              variable.set(7);
            })(),
            { context },
          );
        });
        assert.equal(context.get(variable), 7);
        assert.equal(variable.get(), 0);
      })(),
    );
  });

  it("prints its state and counts", async () => {
    await runVirtual(
      (function* () {
        const tg = new TaskGroup();
        assert.equal(String(tg), "<TaskGroup>");
        yield* using(tg, function* () {
          tg.createTask(asyncio.sleep(1));
          tg.createTask(asyncio.sleep(1));
          assert.equal(String(tg), "<TaskGroup tasks=2 entered>");
          assert.deepEqual(tg.statistics(), { tasks: 2, errors: 0, cancelling: false });
        });
        assert.equal(String(tg), "<TaskGroup entered>");
      })(),
    );
  });
});

describe("TaskGroup.cancel()", () => {
  it("ends the group early without an error; the code after the block runs", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const result = yield* using(new TaskGroup(), function* (tg) {
          tg.createTask(
            (function* () {
              try {
                yield* asyncio.sleep(10);
              } finally {
                events.push("child cancelled");
              }
            })(),
          );
          tg.createTask(
            (function* () {
              yield* asyncio.sleep(1);
              tg.cancel();
            })(),
          );
          yield* asyncio.sleep(10);
          events.push("not reached");
          return "body result";
        });
        events.push(`after: ${result} cancelling=${asyncio.currentTask()!.cancelling()}`);
      })(),
    );
    assert.deepEqual(events, ["child cancelled", "after: undefined cancelling=0"]);
  });

  it("before entry, the group cancels itself on entry; after the end it does nothing", async () => {
    await runVirtual(
      (function* () {
        const tg = new TaskGroup();
        tg.cancel();
        let reached = false;
        yield* using(tg, function* () {
          yield* asyncio.sleep(1);
          reached = true;
        });
        assert.equal(reached, false);
        tg.cancel();
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
      })(),
    );
  });

  it("from the body: children are cancelled, the block returns undefined", async () => {
    await runVirtual(
      (function* () {
        let child!: asyncio.Task<void>;
        const result = yield* using(new TaskGroup(), function* (tg) {
          child = tg.createTask(asyncio.sleep(10));
          yield* asyncio.sleep(0);
          tg.cancel();
          yield* asyncio.sleep(10);
          return 1;
        });
        assert.equal(result, undefined);
        assert.equal(child.cancelled(), true);
      })(),
    );
  });

  it("with an outside cancellation too, the CancelledError goes on", async () => {
    await runVirtual(
      (function* () {
        const runner = asyncio.createTask(
          using(new TaskGroup(), function* (tg) {
            tg.createTask(asyncio.sleep(10));
            yield* asyncio.sleep(1);
            tg.cancel();
            yield* asyncio.sleep(10);
          }),
        );
        yield* asyncio.sleep(1);
        runner.cancel();
        const error = yield* caught(runner);
        assert.ok(error instanceof asyncio.CancelledError);
      })(),
    );
  });
});

describe("TaskGroup edge cases", () => {
  it("an eager child that fails at once cancels the parent on the next iteration, not inside createTask", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const error = yield* caught(
          using(new TaskGroup(), function* (tg) {
            tg.createTask(
              (function* (): asyncio.Coro<void> {
                throw new RangeError("eager failure");
              })(),
              { eagerStart: true },
            );
            events.push("createTask returned");
            yield* asyncio.sleep(10);
          }),
        );
        assert.deepEqual(kinds(error), ["RangeError"]);
      })(),
    );
    assert.deepEqual(events, ["createTask returned"]);
  });

  it("a KeyboardInterrupt from a child ends the loop: run() rejects with it; the others are reported", async () => {
    // As asyncio (CPython's test_taskgroup_21a): the child's step lets it through the loop.
    const interrupt = new asyncio.KeyboardInterrupt("stop");
    let reported: asyncio.ExceptionContext[] = [];
    const loopFactory = () => {
      const loop = asyncio.newEventLoop({ clock: "virtual" });
      reported = collectErrors(loop);
      return loop;
    };
    const main = using(new TaskGroup(), function* (tg) {
      tg.createTask(failAfter(0.1, interrupt));
      tg.createTask(
        (function* () {
          try {
            yield* asyncio.sleep(1);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: the case under test
            throw new TypeError("lost otherwise");
          }
        })(),
      );
    });
    await assert.rejects(asyncio.run(main, { loopFactory }), (error) => error === interrupt);
    const typeErrors = reported.filter((context) => context.exception instanceof TypeError);
    assert.equal(typeErrors.length, 1);
  });

  it("a manager inside the group whose exit fails: both errors are in the group, the count is clean", async () => {
    class CustomError extends Error {}
    const database = asyncio.asyncContextManager(function* () {
      try {
        yield* asyncio.emit(undefined);
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: the case under test
        throw new CustomError("exit failed");
      }
    });
    await runVirtual(
      (function* () {
        const error = yield* caught(
          using(new TaskGroup(), function* (tg) {
            yield* using(database(), function* () {
              tg.createTask(
                (function* (): asyncio.Coro<void> {
                  throw new CustomError("child");
                })(),
              );
              yield* asyncio.sleep(1);
            });
          }),
        );
        assert.ok(error instanceof ExceptionGroup);
        assert.equal(error.exceptions.length, 2);
        assert.ok(error.exceptions.every((e) => e instanceof CustomError));
        assert.equal(asyncio.currentTask()!.cancelling(), 0);
      })(),
    );
  });

  it("a group inside an async generator: aclose() cancels the children and closes cleanly", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const gen = asyncio.asyncGenerator(function* () {
          yield* using(new TaskGroup(), function* (tg) {
            tg.createTask(
              (function* () {
                try {
                  yield* asyncio.sleep(10);
                } finally {
                  events.push("child finally");
                }
              })(),
            );
            yield* asyncio.sleep(0);
            yield* asyncio.emit("first");
          });
        })();
        const step = yield* gen.next();
        events.push(`got ${step.value}`);
        yield* gen.aclose();
        events.push("closed");
      })(),
    );
    assert.deepEqual(events, ["got first", "child finally", "closed"]);
  });

  it("a failed child whose error was collected is not reported as never retrieved", async () => {
    const { errors: reported } = await runCollectingErrors(
      caught(
        using(new TaskGroup(), function* (tg) {
          tg.createTask(failAfter(0.1, new RangeError("x")));
        }),
      ),
    );
    assert.deepEqual(reported, []);
  });
});
