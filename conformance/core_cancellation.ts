/**
 * Port of core_cancellation.py: every form of task cancellation. The Python program only
 * sleeps, so this runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

function describe(error: unknown): string {
  const { name, message } = error as Error;
  return `${name}('${message}')`;
}

/** How `yield* task` ends, without letting a CancelledError through. */
function* outcome(task: asyncio.Task<unknown>): asyncio.Coro<string> {
  let result: unknown;
  try {
    result = yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    return `raised ${describe(error)}`;
  }
  return `returned ${typeof result === "string" ? `'${result}'` : String(result)}`;
}

function* beforeFirstStep(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<void> {
    console.log("body runs (never printed)");
  }
  const task = asyncio.createTask(body());
  console.log("cancel() ->", py(task.cancel()));
  console.log("cancelling() ->", task.cancelling());
  console.log("await ->", yield* outcome(task));
  console.log("cancelled() ->", py(task.cancelled()));
}

function* whileWaitingOnAFuture(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<void>();
  function* body(): asyncio.Coro<void> {
    try {
      yield* fut;
    } catch (error) {
      if (asyncio.isCancelledError(error)) console.log("body caught", describe(error));
      throw error;
    } finally {
      console.log("body finally");
    }
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  console.log("cancel() ->", py(task.cancel()));
  console.log("future cancelled right away ->", py(fut.cancelled()));
  console.log("task done yet ->", py(task.done()));
  console.log("await ->", yield* outcome(task));
  console.log("task cancelled() ->", py(task.cancelled()));
}

function* withAMessage(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<void> {
    try {
      yield* asyncio.sleep(1);
    } catch (error) {
      if (asyncio.isCancelledError(error)) console.log("body caught", describe(error));
      throw error;
    }
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  task.cancel("shutting down");
  console.log("await ->", yield* outcome(task));
  try {
    task.result();
  } catch (error) {
    console.log("result() raised", (error as Error).name);
  }
  try {
    task.exception();
  } catch (error) {
    console.log("exception() raised", (error as Error).name);
  }
}

function* cancelBeforeFirstStepWithMessage(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<void> {
    console.log("never printed");
  }
  const task = asyncio.createTask(body());
  task.cancel("early");
  console.log("await ->", yield* outcome(task));
}

function* cancelsItselfAndReturns(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<string> {
    console.log("body cancels itself:", py(asyncio.currentTask()!.cancel()));
    console.log("cancelling() inside ->", asyncio.currentTask()!.cancelling());
    return "a value nobody gets";
  }
  const task = asyncio.createTask(body());
  console.log("await ->", yield* outcome(task));
  console.log("cancelled() ->", py(task.cancelled()));
}

function* cancelsItselfThenAwaits(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<void>();
  function* body(): asyncio.Coro<void> {
    asyncio.currentTask()!.cancel("self");
    try {
      yield* fut;
    } catch (error) {
      if (asyncio.isCancelledError(error)) console.log("body caught", describe(error));
      throw error;
    }
  }
  const task = asyncio.createTask(body());
  console.log("await ->", yield* outcome(task));
  console.log("the awaited future was cancelled ->", py(fut.cancelled()));
}

function* cancelADoneTask(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<number> {
    return 42;
  }
  const task = asyncio.createTask(body());
  console.log("await ->", yield* outcome(task));
  console.log("cancel() on a done task ->", py(task.cancel()));
  console.log("cancelling() ->", task.cancelling());
  console.log("cancelled() ->", py(task.cancelled()), "result() ->", task.result());
}

function* futureCompletedThenCancelled(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<string>();
  function* body(): asyncio.Coro<void> {
    try {
      const value = yield* fut;
      console.log("body got", value, "(never printed)");
    } catch (error) {
      if (asyncio.isCancelledError(error)) {
        console.log("body caught", describe(error), "although the future has a result");
      }
      throw error;
    }
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  fut.setResult("value");
  console.log("cancel() after the future completed ->", py(task.cancel("late")));
  console.log("await ->", yield* outcome(task));
}

function* propagatesToAwaitedTask(): asyncio.Coro<void> {
  function* inner(): asyncio.Coro<void> {
    try {
      yield* asyncio.sleep(1);
    } catch (error) {
      if (asyncio.isCancelledError(error)) console.log("inner caught", describe(error));
      throw error;
    } finally {
      console.log("inner finally");
    }
  }
  function* outer(child: asyncio.Task<void>): asyncio.Coro<void> {
    try {
      yield* child;
    } catch (error) {
      if (asyncio.isCancelledError(error)) console.log("outer caught", describe(error));
      throw error;
    } finally {
      console.log("outer finally");
    }
  }
  const child = asyncio.createTask(inner(), { name: "inner" });
  const parent = asyncio.createTask(outer(child), { name: "outer" });
  yield* asyncio.sleep(0);
  console.log("cancel outer ->", py(parent.cancel("stop")));
  console.log(
    "inner cancelling() ->",
    child.cancelling(),
    "outer cancelling() ->",
    parent.cancelling(),
  );
  console.log("await outer ->", yield* outcome(parent));
  console.log(
    "inner cancelled() ->",
    py(child.cancelled()),
    "outer cancelled() ->",
    py(parent.cancelled()),
  );
}

function* cancelTwiceWhileWaiting(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<void>();
  function* body(): asyncio.Coro<void> {
    try {
      yield* fut;
    } catch (error) {
      if (asyncio.isCancelledError(error)) console.log("body caught", describe(error));
      throw error;
    }
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  console.log(
    "first cancel ->",
    py(task.cancel("first")),
    "second cancel ->",
    py(task.cancel("second")),
  );
  console.log("cancelling() ->", task.cancelling());
  console.log("await ->", yield* outcome(task));
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["before_first_step", beforeFirstStep],
    ["while_waiting_on_a_future", whileWaitingOnAFuture],
    ["with_a_message", withAMessage],
    ["cancel_before_first_step_with_message", cancelBeforeFirstStepWithMessage],
    ["cancels_itself_and_returns", cancelsItselfAndReturns],
    ["cancels_itself_then_awaits", cancelsItselfThenAwaits],
    ["cancel_a_done_task", cancelADoneTask],
    ["future_completed_then_cancelled", futureCompletedThenCancelled],
    ["propagates_to_awaited_task", propagatesToAwaitedTask],
    ["cancel_twice_while_waiting", cancelTwiceWhileWaiting],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
