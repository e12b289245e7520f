/**
 * Port of core_uncancel.py: cancelling() and uncancel(). The Python program only sleeps and
 * uses timers, so this runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

function* outcome(task: asyncio.Task<unknown>): asyncio.Coro<string> {
  let result: unknown;
  try {
    result = yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    return `raised CancelledError('${error.message}')`;
  }
  return `returned ${result === undefined ? "None" : `'${result}'`}`;
}

function* catchAndContinue(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<string> {
    const me = asyncio.currentTask()!;
    try {
      yield* asyncio.sleep(1);
    } catch (error) {
      if (!asyncio.isCancelledError(error)) throw error;
      console.log("caught; cancelling() ->", me.cancelling());
      console.log("uncancel() ->", me.uncancel());
    }
    console.log("carries on; cancelling() ->", me.cancelling());
    yield* asyncio.sleep(0.01);
    console.log("slept again after the cancellation");
    return "finished normally";
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  task.cancel();
  console.log("await ->", yield* outcome(task));
  console.log("cancelled() ->", py(task.cancelled()), "cancelling() ->", task.cancelling());
}

function* catchWithoutUncancel(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<string> {
    try {
      yield* asyncio.sleep(1);
    } catch (error) {
      if (!asyncio.isCancelledError(error)) throw error;
      console.log("caught and swallowed");
    }
    yield* asyncio.sleep(0);
    console.log("cancelling() still ->", asyncio.currentTask()!.cancelling());
    return "returned anyway";
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  task.cancel();
  console.log("await ->", yield* outcome(task));
  console.log("cancelled() ->", py(task.cancelled()));
}

function* countingRequests(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<void> {
    yield* asyncio.sleep(1);
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  console.log("cancelling() before ->", task.cancelling());
  for (let i = 0; i < 3; i++) task.cancel();
  console.log("after three cancel() ->", task.cancelling());
  console.log("uncancel() ->", task.uncancel());
  console.log("uncancel() ->", task.uncancel());
  console.log("uncancel() ->", task.uncancel());
  console.log("uncancel() at zero ->", task.uncancel());
  console.log("await ->", yield* outcome(task));
  console.log("cancelled() ->", py(task.cancelled()));
}

function* withdrawnBeforeFirstStep(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<string> {
    console.log("body runs: the request was withdrawn");
    return "ran";
  }
  const task = asyncio.createTask(body());
  task.cancel();
  console.log("cancel() then uncancel() ->", task.uncancel());
  console.log("await ->", yield* outcome(task));
}

function* withdrawnAfterTheFutureWasCancelled(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<void> {
    try {
      yield* asyncio.sleep(1);
    } catch (error) {
      if (asyncio.isCancelledError(error)) {
        console.log("body still gets CancelledError: the sleep was already cancelled");
      }
      throw error;
    }
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  task.cancel();
  console.log("uncancel() ->", task.uncancel());
  console.log("await ->", yield* outcome(task));
}

function* withdrawnAfterTheFutureCompleted(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<string>();
  function* body(): asyncio.Coro<void> {
    console.log("body got", yield* fut, "as if never cancelled");
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  fut.setResult("the value");
  console.log("cancel() ->", py(task.cancel()), "uncancel() ->", task.uncancel());
  console.log("await ->", yield* outcome(task));
}

/** What asyncio.timeout does by hand: cancel ourselves later, tell our cancellation apart. */
function* deadlinePattern(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const me = asyncio.currentTask()!;
  const handle = loop.callLater(0.01, () => me.cancel());
  try {
    yield* asyncio.sleep(1);
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    if (me.uncancel() === 0) {
      console.log("our own deadline fired; cancelling() ->", me.cancelling());
    } else {
      throw error;
    }
  } finally {
    handle.cancel();
  }
  console.log("main carries on");
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["catch_and_continue", catchAndContinue],
    ["catch_without_uncancel", catchWithoutUncancel],
    ["counting_requests", countingRequests],
    ["withdrawn_before_first_step", withdrawnBeforeFirstStep],
    ["withdrawn_after_the_future_was_cancelled", withdrawnAfterTheFutureWasCancelled],
    ["withdrawn_after_the_future_completed", withdrawnAfterTheFutureCompleted],
    ["deadline_pattern", deadlinePattern],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
