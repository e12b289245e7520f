/**
 * Port of core_run_cleanup.py: what `run()` does after the main coroutine ends. The Python
 * program only sleeps, so each run uses the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const keepAlive: unknown[] = [];
const setting = new asyncio.ContextVar<string>("setting", { default: "unset" });

async function pendingChain(): Promise<void> {
  function* inner(): asyncio.Coro<void> {
    try {
      yield* asyncio.sleep(10);
    } finally {
      console.log(
        "inner finally: cancelled ->",
        asyncio.currentTask()!.cancelling() > 0 ? "True" : "False",
      );
      yield* asyncio.sleep(0.01);
      console.log("inner cleanup awaited a sleep");
    }
  }
  function* middle(child: asyncio.Task<void>): asyncio.Coro<void> {
    try {
      yield* child;
    } finally {
      console.log("middle finally");
    }
  }
  function* outer(child: asyncio.Task<void>): asyncio.Coro<void> {
    try {
      yield* child;
    } catch (error) {
      if (asyncio.isCancelledError(error)) console.log("outer caught CancelledError");
      throw error;
    } finally {
      console.log("outer finally");
    }
  }
  function* main(): asyncio.Coro<string> {
    const loop = asyncio.getRunningLoop();
    keepAlive.push(loop);
    const innerTask = asyncio.createTask(inner());
    const middleTask = asyncio.createTask(middle(innerTask));
    asyncio.createTask(outer(middleTask));
    yield* asyncio.sleep(0);
    try {
      console.log("main returns");
      return "main result";
    } finally {
      console.log("main finally");
    }
  }
  console.log("run ->", await asyncio.run(main(), { clock: "virtual" }));
  const loop = keepAlive.pop() as asyncio.EventLoop;
  console.log("loop closed ->", loop.isClosed() ? "True" : "False");
}

const numbers = asyncio.asyncGenerator(function* (label: string) {
  try {
    for (let i = 0; i < 10; i++) yield* asyncio.emit(i);
  } finally {
    console.log(`${label} finally starts`);
    yield* asyncio.sleep(0);
    console.log(`${label} finally awaited`);
  }
});

async function asyncGenerators(): Promise<void> {
  function* main(): asyncio.Coro<void> {
    const suspended = numbers("suspended generator");
    keepAlive.push(suspended);
    const first = yield* suspended.next();
    const second = yield* suspended.next();
    console.log("first values:", first.value, second.value);
    const exhausted = numbers("exhausted generator");
    const values: number[] = [];
    for (let step = yield* exhausted.next(); !step.done; step = yield* exhausted.next()) {
      values.push(step.value);
    }
    console.log(`all values: [${values.join(", ")}]`);
    const neverStarted = numbers("never started generator");
    keepAlive.push(neverStarted);
    console.log("main returns");
  }
  await asyncio.run(main(), { clock: "virtual" });
  console.log("after run");
  keepAlive.length = 0;
}

async function generatorInsideAPendingTask(): Promise<void> {
  const ticker = asyncio.asyncGenerator(function* () {
    try {
      for (;;) {
        yield* asyncio.sleep(0.1);
        yield* asyncio.emit("tick");
      }
    } finally {
      console.log("ticker finally (the sleep inside it was cancelled)");
    }
  });
  function* consumer(): asyncio.Coro<void> {
    try {
      const ticks = ticker();
      for (let step = yield* ticks.next(); !step.done; step = yield* ticks.next()) {
        console.log("consumer got", step.value);
      }
    } finally {
      console.log("consumer finally");
    }
  }
  function* main(): asyncio.Coro<void> {
    asyncio.createTask(consumer());
    yield* asyncio.sleep(0.15);
    console.log("main returns");
  }
  await asyncio.run(main(), { clock: "virtual" });
  console.log("after run");
}

async function mainRaises(): Promise<void> {
  function* worker(): asyncio.Coro<void> {
    try {
      yield* asyncio.sleep(10);
    } finally {
      console.log("worker finally");
    }
  }
  function* main(): asyncio.Coro<void> {
    asyncio.createTask(worker());
    yield* asyncio.sleep(0);
    throw new asyncio.ValueError("main failed");
  }
  try {
    await asyncio.run(main(), { clock: "virtual" });
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("run raised ValueError:", error.message);
  }
}

async function shutdownOutcomes(): Promise<void> {
  function* swallows(): asyncio.Coro<string | undefined> {
    try {
      yield* asyncio.sleep(10);
    } catch (error) {
      if (!asyncio.isCancelledError(error)) throw error;
      console.log("swallows: caught the shutdown cancellation, returns");
      return "ignored";
    }
    return undefined;
  }
  function* fails(child: asyncio.Task<string | undefined>): asyncio.Coro<void> {
    console.log("fails: child returned", `'${yield* child}'`);
    throw new asyncio.RuntimeError("cleanup failed");
  }
  const handler: asyncio.ExceptionHandler = (_loop, context) => {
    const error = context.exception as Error;
    console.log("exception handler:", context.message, "-", error.name, error.message);
  };
  function* main(): asyncio.Coro<void> {
    asyncio.getRunningLoop().setExceptionHandler(handler);
    const child = asyncio.createTask(swallows());
    asyncio.createTask(fails(child));
    yield* asyncio.sleep(0);
    console.log("main returns");
  }
  await asyncio.run(main(), { clock: "virtual" });
  console.log("after run");
}

async function generatorFailsToClose(): Promise<void> {
  const emitsInFinally = asyncio.asyncGenerator(function* () {
    try {
      yield* asyncio.emit(1);
    } finally {
      console.log("generator finally tries to yield");
      yield* asyncio.emit(2);
    }
  });
  const handler: asyncio.ExceptionHandler = (_loop, context) => {
    const message = context.message.split(" <")[0];
    console.log("exception handler:", message, "-", (context.exception as Error).name);
  };
  function* main(): asyncio.Coro<void> {
    asyncio.getRunningLoop().setExceptionHandler(handler);
    const gen = emitsInFinally();
    keepAlive.push(gen);
    console.log("first value:", (yield* gen.next()).value);
  }
  await asyncio.run(main(), { clock: "virtual" });
  console.log("after run");
  keepAlive.length = 0;
}

/**
 * Shutdown cancels the tasks pending when main ended; one started later runs while the loop
 * still runs, and is left pending when it closes.
 */
async function taskStartedDuringShutdown(): Promise<void> {
  function* late(): asyncio.Coro<void> {
    console.log("late task starts during shutdown");
    yield* asyncio.sleep(0);
    console.log("late task after one step");
    yield* asyncio.sleep(10);
    console.log("never printed");
  }
  function* worker(): asyncio.Coro<void> {
    try {
      yield* asyncio.sleep(10);
    } finally {
      console.log("worker finally starts a new task");
      keepAlive.push(asyncio.createTask(late()));
      yield* asyncio.sleep(0);
      console.log("worker finally ends");
    }
  }
  function* main(): asyncio.Coro<void> {
    asyncio.createTask(worker());
    yield* asyncio.sleep(0);
    console.log("main returns");
  }
  await asyncio.run(main(), { clock: "virtual" });
  const lateTask = keepAlive.pop() as asyncio.Task<void>;
  console.log("after run; the late task is done ->", lateTask.done() ? "True" : "False");
}

async function runnerRunsShareALoopAndContext(): Promise<void> {
  function* background(): asyncio.Coro<void> {
    try {
      for (let tick = 0; tick < 3; tick++) {
        console.log("background tick", tick, "sees", setting.get());
        yield* asyncio.sleep(0.1);
      }
      yield* asyncio.sleep(10);
    } finally {
      console.log("background finally: cancelled when the runner closes");
    }
  }
  function* first(): asyncio.Coro<void> {
    setting.set("set in run 1");
    asyncio.createTask(background());
    yield* asyncio.sleep(0.05);
    console.log("run 1 ends");
  }
  function* second(): asyncio.Coro<void> {
    console.log("run 2 sees", setting.get());
    yield* asyncio.sleep(0.3);
    console.log("run 2 ends");
  }
  const runner = new asyncio.Runner({ clock: "virtual" });
  try {
    await runner.run(first());
    console.log("between runs");
    await runner.run(second());
    console.log("closing the runner");
  } finally {
    await runner.close();
  }
  console.log("runner closed");
}

const scenarios: [string, () => Promise<void>][] = [
  ["pending_chain", pendingChain],
  ["async_generators", asyncGenerators],
  ["generator_inside_a_pending_task", generatorInsideAPendingTask],
  ["main_raises", mainRaises],
  ["shutdown_outcomes", shutdownOutcomes],
  ["generator_fails_to_close", generatorFailsToClose],
  ["task_started_during_shutdown", taskStartedDuringShutdown],
  ["runner_runs_share_a_loop_and_context", runnerRunsShareALoopAndContext],
];
for (const [name, scenario] of scenarios) {
  console.log(`== ${name}`);
  await scenario();
}
console.log("== end");
