import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { captureLog, collectErrors, runVirtual } from "../helpers.ts";

describe("Task", () => {
  it("runs a coroutine and resolves with its return value", async () => {
    function* child(): asyncio.Coro<number> {
      yield* asyncio.sleep(1);
      return 5;
    }
    const result = await runVirtual(
      (function* () {
        const task = asyncio.createTask(child());
        assert.equal(task.done(), false);
        const value: number = yield* task;
        assert.equal(task.result(), 5);
        return value;
      })(),
    );
    assert.equal(result, 5);
  });

  it("calling a coroutine function runs nothing until a task drives it", async () => {
    const events: string[] = [];
    function* body(): asyncio.Coro<void> {
      events.push("body");
    }
    await runVirtual(
      (function* () {
        const coro = body();
        events.push("created");
        const task = asyncio.createTask(coro);
        events.push("scheduled");
        yield* task;
      })(),
    );
    assert.deepEqual(events, ["created", "scheduled", "body"]);
  });

  it("interleaves tasks in scheduling order at each sleep(0)", async () => {
    const events: string[] = [];
    function* worker(name: string, steps: number): asyncio.Coro<void> {
      for (let i = 0; i < steps; i++) {
        events.push(`${name}${i}`);
        yield* asyncio.sleep(0);
      }
    }
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(worker("a", 3));
        const b = asyncio.createTask(worker("b", 2));
        const c = asyncio.createTask(worker("c", 1));
        yield* a;
        yield* b;
        yield* c;
      })(),
    );
    assert.deepEqual(events, ["a0", "b0", "c0", "a1", "b1", "a2"]);
  });

  it("a bare yield is sleep(0)", async () => {
    const events: string[] = [];
    function* bare(): asyncio.Coro<void> {
      events.push("bare 1");
      yield;
      events.push("bare 2");
    }
    function* other(): asyncio.Coro<void> {
      events.push("other");
    }
    await runVirtual(
      (function* () {
        const a = asyncio.createTask(bare());
        const b = asyncio.createTask(other());
        yield* a;
        yield* b;
      })(),
    );
    assert.deepEqual(events, ["bare 1", "other", "bare 2"]);
  });

  it("names tasks Task-N by default; getName/setName; prints its state", async () => {
    await runVirtual(
      (function* () {
        const named = asyncio.createTask(asyncio.sleep(1), { name: "worker-3" });
        assert.equal(named.getName(), "worker-3");
        assert.equal(String(named), "<Task pending name='worker-3'>");
        yield* asyncio.sleep(0);
        assert.match(
          String(named),
          /^<Task pending name='worker-3' wait_for=<SleepFuture pending>>$/,
        );
        named.setName("renamed");
        assert.equal(named.getName(), "renamed");
        const unnamed = asyncio.createTask(asyncio.sleep(0));
        assert.match(unnamed.getName(), /^Task-\d+$/);
        yield* named;
        assert.equal(String(named), "<Task finished name='renamed' result=undefined>");
      })(),
    );
  });

  it("currentTask() is the running task; allTasks() the pending ones", async () => {
    await runVirtual(
      (function* () {
        const main = asyncio.currentTask();
        assert.ok(main instanceof asyncio.Task);
        let seen: asyncio.Task<unknown> | null = null;
        const child = asyncio.createTask(
          (function* () {
            seen = asyncio.currentTask();
            yield* asyncio.sleep(1);
          })(),
        );
        assert.deepEqual(asyncio.allTasks(), new Set([main, child]));
        yield* asyncio.sleep(0);
        assert.equal(seen, child);
        yield* child;
        assert.deepEqual(asyncio.allTasks(), new Set([main]));
      })(),
    );
  });

  it("currentTask() is null in a plain callback", async () => {
    const loop = asyncio.newEventLoop();
    let seen: unknown = "unset";
    loop.callSoon(() => {
      seen = asyncio.currentTask();
      loop.stop();
    });
    await loop.runForever();
    assert.equal(seen, null);
    loop.close();
  });

  it("a task nobody references runs to completion (the loop holds it)", async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    let finished = false;
    await asyncio.run(
      (function* () {
        asyncio.createTask(
          (function* () {
            yield* asyncio.sleep(0.02);
            finished = true;
          })(),
        );
        for (let i = 0; i < 5; i++) {
          gc?.();
          yield* asyncio.sleep(0.01);
        }
      })(),
    );
    assert.equal(finished, true);
  });

  it("setResult / setException on a task are RuntimeErrors", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(asyncio.sleep(1));
        assert.throws(() => task.setResult(undefined), asyncio.RuntimeError);
        assert.throws(() => task.setException(new Error()), asyncio.RuntimeError);
        task.cancel();
      })(),
    );
  });

  it("a task cannot await itself", async () => {
    const caught = await runVirtual(
      (function* () {
        const holder: { task?: asyncio.Task<unknown> } = {};
        holder.task = asyncio.createTask(
          (function* (): asyncio.Coro<unknown> {
            yield* asyncio.sleep(0);
            try {
              yield* holder.task!;
            } catch (error) {
              return error;
            }
            return null;
          })(),
        );
        return yield* holder.task;
      })(),
    );
    assert.match(String(caught), /Task cannot await on itself/);
  });

  it("an error thrown by the coroutine fails the task and reaches the awaiter", async () => {
    const error = new Error("child failed");
    function* failing(): asyncio.Coro<number> {
      yield* asyncio.sleep(0);
      throw error;
    }
    const caught = await runVirtual(
      (function* () {
        const task = asyncio.createTask(failing());
        try {
          yield* task;
        } catch (e) {
          assert.equal(task.exception(), error);
          return e;
        }
        return null;
      })(),
    );
    assert.equal(caught, error);
  });

  it("reports 'Task exception was never retrieved' when the loop closes", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    const errors = collectErrors(loop);
    function* failing(): asyncio.Coro<void> {
      throw new Error("nobody looks");
    }
    const task = loop.createTask(failing(), { name: "forgotten" });
    await loop.runUntilComplete(asyncio.sleep(1));
    assert.equal(task.done(), true);
    loop.close();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, "Task exception was never retrieved");
    assert.equal(errors[0]!.task, task);
  });

  it("rejects what is not a coroutine with an error that names the fix", async () => {
    await runVirtual(
      (function* () {
        function* gen(): asyncio.Coro<void> {}
        assert.throws(() => asyncio.createTask(gen as never), {
          name: "TypeError",
          message: /got the generator function 'gen': call it/,
        });
        assert.throws(() => asyncio.createTask(Promise.resolve(1) as never), {
          name: "TypeError",
          message: /got a Promise: wrap it with asyncio.fromPromise/,
        });
        assert.throws(() => asyncio.createTask(42 as never), {
          name: "TypeError",
          message: /number 42/,
        });
        const coro = gen();
        asyncio.createTask(coro);
        assert.throws(() => asyncio.createTask(coro), {
          name: "RuntimeError",
          message: /already driven by <Task/,
        });
        yield* asyncio.sleep(0);
      })(),
    );
  });

  it("a yielded Promise or coroutine is a TypeError thrown into the coroutine", async () => {
    const messages = await runVirtual(
      (function* () {
        const messages: string[] = [];
        function* inner(): asyncio.Coro<void> {}
        for (const bad of [Promise.resolve(1), inner(), 42]) {
          try {
            yield bad as never;
          } catch (error) {
            messages.push(String(error));
          }
        }
        return messages;
      })(),
    );
    assert.match(messages[0]!, /a Promise was yielded .*yield\* asyncio.fromPromise/);
    assert.match(messages[1]!, /yield was used instead of yield\* for a coroutine/);
    assert.match(messages[2]!, /Task got bad yield .*: 42/);
  });

  it("yield* on a Promise fails the task with a TypeError naming fromPromise", async () => {
    async function fetchCount(): Promise<number> {
      return 1;
    }
    function* inner(): asyncio.Coro<number> {
      return yield* fetchCount() as never as asyncio.Awaitable<number>;
    }
    function* outer(): asyncio.Coro<number> {
      return yield* asyncio.createTask(inner());
    }
    const error = await runVirtual(outer()).then(
      () => assert.fail("resolved"),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof TypeError);
    // Explained once, though it passed through two tasks; the stack still names the coroutine.
    assert.match(
      error.message,
      /^yield\* .* is not iterable: yield\* takes asyncio awaitables \(coroutines, Futures, Tasks, sleep\(\)\); for a Promise write yield\* asyncio\.fromPromise\(promise\)$/,
    );
    assert.match(String(error.stack), /fromPromise\(promise\)\n\s+at inner /);
  });

  it("createTask also takes a Future or sleep()", async () => {
    const value = await runVirtual(
      (function* () {
        const task = asyncio.createTask(asyncio.sleep(1, "slept"));
        return yield* task;
      })(),
    );
    assert.equal(value, "slept");
  });
});

describe("Task cancellation", () => {
  it("cancelled before its first step: the body never runs", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* () {
            events.push("body ran");
          })(),
        );
        assert.equal(task.cancel(), true);
        assert.equal(task.cancelling(), 1);
        try {
          yield* task;
        } catch (error) {
          events.push(`awaiter got ${(error as Error).name}`);
        }
        assert.equal(task.cancelled(), true);
      })(),
    );
    assert.deepEqual(events, ["awaiter got CancelledError"]);
  });

  it("cancelled while waiting on a future: that future is cancelled, finally blocks run", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const waitedOn = loop.createFuture<number>();
        const task = asyncio.createTask(
          (function* () {
            try {
              yield* waitedOn;
            } finally {
              events.push("finally");
            }
          })(),
        );
        yield* asyncio.sleep(0);
        task.cancel("shutting down");
        assert.equal(waitedOn.cancelled(), true);
        try {
          yield* task;
        } catch (error) {
          events.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
      })(),
    );
    assert.deepEqual(events, ["finally", "CancelledError: shutting down"]);
  });

  it("the message travels to the coroutine and to the awaiter", async () => {
    const seen: string[] = [];
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* () {
            try {
              yield* asyncio.sleep(10);
            } catch (error) {
              seen.push(`inside: ${(error as Error).message}`);
              throw error;
            }
          })(),
        );
        yield* asyncio.sleep(1);
        task.cancel("deadline");
        try {
          yield* task;
        } catch (error) {
          seen.push(`outside: ${(error as Error).message}`);
        }
      })(),
    );
    assert.deepEqual(seen, ["inside: deadline", "outside: deadline"]);
  });

  it("a task that cancels itself and returns ends cancelled", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* () {
            asyncio.currentTask()!.cancel();
            return "returned";
          })(),
        );
        yield* asyncio.sleep(0);
        assert.equal(task.cancelled(), true);
      })(),
    );
  });

  it("catch-and-continue with uncancel(): the task finishes normally", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* (): asyncio.Coro<string> {
            try {
              yield* asyncio.sleep(10);
            } catch (error) {
              asyncio.rethrowIfCancelled(new Error("not a cancellation"));
              events.push(
                `caught ${(error as Error).name}, cancelling=${asyncio.currentTask()!.cancelling()}`,
              );
              asyncio.currentTask()!.uncancel();
            }
            yield* asyncio.sleep(1);
            return "carried on";
          })(),
        );
        yield* asyncio.sleep(1);
        task.cancel();
        events.push(`result ${yield* task}, cancelling=${task.cancelling()}`);
      })(),
    );
    assert.deepEqual(events, [
      "caught CancelledError, cancelling=1",
      "result carried on, cancelling=0",
    ]);
  });

  it("cancelling() counts requests; uncancel() withdraws them; cancel of a done task is false", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(asyncio.sleep(10));
        yield* asyncio.sleep(0);
        assert.equal(task.cancel(), true);
        assert.equal(task.cancel(), true);
        assert.equal(task.cancelling(), 2);
        assert.equal(task.uncancel(), 1);
        try {
          yield* task;
        } catch {}
        assert.equal(task.cancelled(), true);
        assert.equal(task.cancel(), false);
      })(),
    );
  });

  it("uncancel() down to zero before the first step withdraws the pending cancellation", async () => {
    const value = await runVirtual(
      (function* () {
        const task = asyncio.createTask(asyncio.sleep(1, "ran"));
        task.cancel();
        task.uncancel();
        return yield* task;
      })(),
    );
    assert.equal(value, "ran");
  });

  it("cancelling a task that waits on another task cancels that task too", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const inner = asyncio.createTask(
          (function* () {
            try {
              yield* asyncio.sleep(10);
            } finally {
              events.push("inner finally");
            }
          })(),
        );
        const outer = asyncio.createTask(
          (function* () {
            try {
              yield* inner;
            } finally {
              events.push("outer finally");
            }
          })(),
        );
        yield* asyncio.sleep(1);
        outer.cancel();
        try {
          yield* outer;
        } catch {}
        events.push(`inner cancelled=${inner.cancelled()} outer cancelled=${outer.cancelled()}`);
      })(),
    );
    assert.deepEqual(events, [
      "inner finally",
      "outer finally",
      "inner cancelled=true outer cancelled=true",
    ]);
  });

  it("an inner task that refuses cancellation keeps the outer one waiting", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const stubborn = asyncio.createTask(
          (function* (): asyncio.Coro<string> {
            try {
              yield* asyncio.sleep(10);
            } catch {
              asyncio.currentTask()!.uncancel();
              events.push("stubborn refused");
            }
            yield* asyncio.sleep(1);
            return "stubborn done";
          })(),
        );
        const outer = asyncio.createTask(
          (function* (): asyncio.Coro<string> {
            return yield* stubborn;
          })(),
        );
        yield* asyncio.sleep(1);
        outer.cancel();
        events.push(`outer result: ${yield* outer}`);
      })(),
    );
    assert.deepEqual(events, ["stubborn refused", "outer result: stubborn done"]);
  });

  it("cancelled twice while waiting: the waited future's CancelledError (first message) surfaces", async () => {
    const seen: string[] = [];
    await runVirtual(
      (function* () {
        const future = asyncio.getRunningLoop().createFuture<void>();
        const task = asyncio.createTask(
          (function* () {
            try {
              yield* future;
            } catch (error) {
              seen.push(`inside: ${(error as Error).message}`);
              throw error;
            }
          })(),
        );
        yield* asyncio.sleep(0);
        task.cancel("first");
        task.cancel("second");
        assert.equal(task.cancelling(), 2);
        try {
          yield* task;
        } catch (error) {
          seen.push(`outside: ${(error as Error).message}`);
        }
      })(),
    );
    assert.deepEqual(seen, ["inside: first", "outside: first"]);
  });

  it("cancel while scheduled after a bare yield throws at the next step", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* () {
            try {
              events.push("step 1");
              yield;
              events.push("never");
            } catch (error) {
              events.push(`got ${(error as Error).name}`);
              throw error;
            }
          })(),
        );
        yield* asyncio.sleep(0);
        task.cancel();
        try {
          yield* task;
        } catch {}
      })(),
    );
    assert.deepEqual(events, ["step 1", "got CancelledError"]);
  });

  it("the awaiter gets the very CancelledError the coroutine ended with", async () => {
    await runVirtual(
      (function* () {
        const own = new asyncio.CancelledError("raised by the coroutine");
        const task = asyncio.createTask(
          (function* () {
            yield* asyncio.sleep(0);
            throw own;
          })(),
        );
        try {
          yield* task;
        } catch (error) {
          assert.equal(error, own);
        }
        assert.equal(task.cancelled(), true);
      })(),
    );
  });

  it("debug mode warns when a cancelled task swallows its CancelledError", async () => {
    const { lines } = await captureLog(() =>
      runVirtual(
        (function* () {
          const task = asyncio.createTask(
            (function* () {
              try {
                yield* asyncio.sleep(10);
              } catch {}
              return "swallowed";
            })(),
            { name: "careless" },
          );
          yield* asyncio.sleep(1);
          task.cancel();
          yield* task;
        })(),
        { debug: true },
      ),
    );
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^WARNING <Task cancelling name='careless'.*> was cancelled \(cancelling\(\)=1\) but returned normally/,
    );
  });
});

describe("isCoroutineFunction", () => {
  it("is true for generator functions only, as asyncio.iscoroutinefunction", () => {
    function* job(): asyncio.Coro<number> {
      return 1;
    }
    class Worker {
      *run(): asyncio.Coro<void> {}
    }
    assert.equal(asyncio.isCoroutineFunction(job), true);
    assert.equal(asyncio.isCoroutineFunction(new Worker().run), true);
    const coro = job();
    assert.equal(asyncio.isCoroutineFunction(coro), false);
    coro.return(0);
    for (const value of [async () => {}, () => job(), Worker, null, undefined, 1, "job"]) {
      assert.equal(asyncio.isCoroutineFunction(value), false, String(value));
    }
  });
});

describe("a task being cancelled", () => {
  it('prints "cancelling" in place of "pending" until it is done, as CPython\'s repr', async () => {
    await runVirtual(
      (function* () {
        const waiting = asyncio.createTask(asyncio.sleep(1), { name: "w" });
        yield* asyncio.sleep(0);
        waiting.cancel();
        assert.match(String(waiting), /^<Task cancelling name='w' wait_for=<SleepFuture cancelled/);
        const fresh = asyncio.createTask(asyncio.sleep(1), { name: "x" });
        fresh.cancel("bye");
        assert.equal(String(fresh), "<Task cancelling name='x'>");
        yield* asyncio.sleep(0);
        assert.equal(String(waiting), "<Task cancelled name='w'>");
        assert.equal(String(fresh), "<Task cancelled name='x' message=\"bye\">");
        const kept = asyncio.createTask(asyncio.sleep(1), { name: "kept" });
        kept.cancel();
        kept.uncancel();
        assert.equal(String(kept), "<Task pending name='kept'>");
        kept.cancel();
        yield* asyncio.sleep(0);
      })(),
    );
  });
});

describe("eager tasks", () => {
  it("eagerStart runs the coroutine synchronously up to its first suspension", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* () {
            events.push("eager part");
            yield* asyncio.sleep(0);
            events.push("rest");
          })(),
          { eagerStart: true },
        );
        events.push("createTask returned");
        yield* task;
      })(),
    );
    assert.deepEqual(events, ["eager part", "createTask returned", "rest"]);
  });

  it("an eager coroutine that never suspends is done when createTask returns", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* (): asyncio.Coro<number> {
            return 7;
          })(),
          { eagerStart: true },
        );
        assert.equal(task.done(), true);
        assert.equal(task.result(), 7);
        assert.equal(asyncio.allTasks().has(task), false);
      })(),
    );
  });

  it("eagerTaskFactory makes every createTask eager, and currentTask is right inside and after", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        loop.setTaskFactory(asyncio.eagerTaskFactory);
        assert.equal(loop.getTaskFactory(), asyncio.eagerTaskFactory);
        const outer = asyncio.currentTask();
        const task = asyncio.createTask(
          (function* () {
            events.push(`inside is child: ${asyncio.currentTask() !== outer}`);
            yield* asyncio.sleep(0);
          })(),
        );
        events.push(`after is outer: ${asyncio.currentTask() === outer}`);
        yield* task;
        loop.setTaskFactory(null);
      })(),
    );
    assert.deepEqual(events, ["inside is child: true", "after is outer: true"]);
  });

  it("createEagerTaskFactory makes every task with the given class, started eagerly", async () => {
    class TracedTask<T> extends asyncio.Task<T> {}
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        loop.setTaskFactory(asyncio.createEagerTaskFactory(TracedTask));
        const task = asyncio.createTask(
          (function* () {
            events.push("ran eagerly");
            yield* asyncio.sleep(0);
            return 7;
          })(),
          { name: "traced" },
        );
        events.push("createTask returned");
        assert.ok(task instanceof TracedTask);
        assert.equal(task.getName(), "traced");
        events.push(`result ${yield* task}`);
        loop.setTaskFactory(null);
      })(),
    );
    assert.deepEqual(events, ["ran eagerly", "createTask returned", "result 7"]);
    assert.throws(
      () => asyncio.createEagerTaskFactory("Task" as never),
      (error: unknown) =>
        error instanceof TypeError && /taskConstructor must be a Task class/.test(String(error)),
    );
  });

  it("an eager task cancelled during its eager step ends cancelled", async () => {
    await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* () {
            asyncio.currentTask()!.cancel();
            yield* asyncio.sleep(0);
          })(),
          { eagerStart: true },
        );
        try {
          yield* task;
        } catch {}
        assert.equal(task.cancelled(), true);
      })(),
    );
  });
});

describe("Task completed from outside, BaseException-like errors", () => {
  function* tenLater(): asyncio.Coro<number> {
    yield* asyncio.sleep(0.1);
    return 10;
  }

  it("Future.prototype.setResult on a task: it keeps that result and the stray step is reported", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    const errors = collectErrors(loop);
    const task = loop.createTask(tenLater());
    asyncio.Future.prototype.setResult.call(task, "spam");
    assert.equal(await loop.runUntilComplete(task), "spam");
    assert.equal(errors.length, 1);
    assert.ok(errors[0]!.exception instanceof asyncio.InvalidStateError);
    assert.match(String(errors[0]!.exception), /step\(\): already done: <Task finished/);
    assert.equal(errors[0]!.task, task);
    loop.close();
    assert.equal(errors.length, 1);
  });

  it("Future.prototype.setException on a task: it ends with that error, the step is reported", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    const errors = collectErrors(loop);
    const task = loop.createTask(tenLater());
    const error = new Error("from outside");
    asyncio.Future.prototype.setException.call(task, error);
    await assert.rejects(loop.runUntilComplete(task), (thrown) => thrown === error);
    assert.equal(task.exception(), error);
    assert.equal(errors.length, 1);
    assert.ok(errors[0]!.exception instanceof asyncio.InvalidStateError);
    loop.close();
    assert.equal(errors.length, 1);
  });

  it("a KeyboardInterrupt thrown while handling cancellation fails the task and ends the loop", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    const interrupt = new asyncio.KeyboardInterrupt();
    const order: string[] = [];
    function* handlesCancel(): asyncio.Coro<void> {
      try {
        yield* asyncio.sleep(10);
      } catch (error) {
        order.push("cancelled");
        if (error instanceof asyncio.CancelledError) throw interrupt;
        throw error;
      }
    }
    const task = loop.createTask(handlesCancel());
    const other = loop.createTask(asyncio.sleep(5));
    await loop.runUntilComplete(asyncio.sleep(0));
    task.cancel();
    assert.equal(task.done(), false);
    await assert.rejects(loop.runUntilComplete(asyncio.sleep(1)), (thrown) => thrown === interrupt);
    assert.deepEqual(order, ["cancelled"]);
    assert.equal(task.done(), true);
    assert.equal(task.cancelled(), false);
    assert.equal(task.exception(), interrupt);
    assert.equal(other.done(), false);
    other.cancel();
    await loop.runUntilComplete(asyncio.sleep(0));
    loop.close();
  });

  it("a KeyboardInterrupt thrown by a loop callback ends the loop instead of being reported", async () => {
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    const errors = collectErrors(loop);
    const interrupt = new asyncio.KeyboardInterrupt();
    loop.callSoon(() => {
      throw interrupt;
    });
    await assert.rejects(loop.runUntilComplete(asyncio.sleep(1)), (thrown) => thrown === interrupt);
    assert.deepEqual(errors, []);
    loop.close();
  });
});
