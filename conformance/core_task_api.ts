/**
 * Port of core_task_api.py: the Task API around the coroutine. The Python program only
 * sleeps: virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

const sortedNames = (tasks: Iterable<asyncio.Task<unknown>>): string =>
  `[${[...tasks]
    .map((task) => `'${task.getName()}'`)
    .sort()
    .join(", ")}]`;

/** The first section: the main task is the first task of the process. */
function* namesAndAllTasks(): asyncio.Coro<void> {
  function* idle(): asyncio.Coro<void> {
    yield* asyncio.sleep(1);
  }
  const me = asyncio.currentTask()!;
  const a = asyncio.createTask(idle(), { name: "idle-a" });
  const b = asyncio.createTask(idle());
  console.log("default names:", me.getName(), b.getName());
  me.setName("main");
  b.setName(42);
  console.log("names:", me.getName(), a.getName(), `'${b.getName()}'`);
  console.log("all_tasks:", sortedNames(asyncio.allTasks()));
  a.cancel();
  b.cancel();
  yield* asyncio.sleep(0);
  console.log("after cancelling both:", sortedNames(asyncio.allTasks()));
  console.log("get_coro() is the coroutine:", py(asyncio.isCoroutine(a.getCoro())));
}

function* resultsAndExceptions(): asyncio.Coro<void> {
  function* value(): asyncio.Coro<number> {
    yield* asyncio.sleep(0);
    return 42;
  }
  function* failure(): asyncio.Coro<never> {
    yield* asyncio.sleep(0);
    throw new asyncio.ValueError("task failed");
  }
  const ok = asyncio.createTask(value());
  const bad = asyncio.createTask(failure());
  try {
    ok.result();
  } catch (error) {
    if (!(error instanceof asyncio.InvalidStateError)) throw error;
    console.log("result() while pending: InvalidStateError");
  }
  console.log("await ok ->", yield* ok);
  try {
    yield* bad;
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("await bad raised ValueError", error.message);
  }
  console.log(
    "bad.exception():",
    (bad.exception() as Error).name,
    "done:",
    py(bad.done()),
    "cancelled:",
    py(bad.cancelled()),
  );
  const misuse: [string, () => void][] = [
    ["set_result", () => ok.setResult(0)],
    ["set_exception", () => ok.setException(null)],
  ];
  for (const [method, call] of misuse) {
    try {
      call();
    } catch (error) {
      if (!(error instanceof asyncio.RuntimeError)) throw error;
      console.log(`task.${method}(): RuntimeError`);
    }
  }
}

function* doneCallbacksOfATask(): asyncio.Coro<void> {
  function* work(): asyncio.Coro<string> {
    console.log("work runs");
    yield* asyncio.sleep(0);
    console.log("work returns");
    return "done";
  }
  function* waiter(task: asyncio.Task<string>): asyncio.Coro<void> {
    console.log("waiter got", yield* task);
  }
  const task = asyncio.createTask(work());
  task.addDoneCallback((t) => console.log("first done callback:", t.result()));
  const other = asyncio.createTask(waiter(task));
  yield* asyncio.sleep(0);
  task.addDoneCallback(() => console.log("second done callback"));
  yield* other;
}

function* awaitingItself(): asyncio.Coro<void> {
  function* selfish(): asyncio.Coro<string> {
    try {
      yield* asyncio.currentTask()!;
    } catch (error) {
      if (!(error instanceof asyncio.RuntimeError)) throw error;
      console.log("a task awaiting itself: RuntimeError");
    }
    return "recovered";
  }
  console.log("await ->", yield* asyncio.createTask(selfish()));
}

function* ensureFutureAndSleep(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<void>();
  console.log("ensure_future(future) is the same future:", py(asyncio.ensureFuture(fut) === fut));
  function* coro(): asyncio.Coro<string> {
    return "from a coroutine";
  }
  const task = asyncio.ensureFuture(coro());
  console.log("ensure_future(coro) is a Task:", py(task instanceof asyncio.Task));
  console.log("await ->", yield* task);
  console.log("sleep(0.01, result) ->", yield* asyncio.sleep(0.01, "slept"));
  console.log("sleep(0, result) ->", yield* asyncio.sleep(0, "yielded"));
  console.log("sleep(-1) acts as 0 ->", yield* asyncio.sleep(-1, "negative"));
  fut.cancel();
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["names_and_all_tasks", namesAndAllTasks],
    ["results_and_exceptions", resultsAndExceptions],
    ["done_callbacks_of_a_task", doneCallbacksOfATask],
    ["awaiting_itself", awaitingItself],
    ["ensure_future_and_sleep", ensureFutureAndSleep],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
