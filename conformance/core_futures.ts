/**
 * Port of core_futures.py: Future callbacks, states and misuse. The Python program only
 * sleeps and uses timers: virtual clock.
 */

import * as asyncio from "../src/index.ts";

function repr(value: unknown): string {
  if (value === true || value === false) return value ? "True" : "False";
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return `'${value}'`;
  return String(value);
}

/** What calling `call()` does: its value, or the class of what it threw. */
function outcome(call: () => unknown): string {
  try {
    return `returned ${repr(call())}`;
  } catch (error) {
    return `raised ${(error as Error).name}`;
  }
}

function* callbacksInOrder(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<string>();
  for (const name of ["first", "second", "third"]) {
    fut.addDoneCallback((f) => console.log(`${name} callback: result`, f.result()));
  }
  fut.setResult("value");
  console.log("set_result returned; no callback has run yet");
  yield* asyncio.sleep(0);
  console.log("one iteration later");
}

function* tasksAndCallbacksShareTheQueue(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const fut = loop.createFuture<number>();
  function* waiter(name: string): asyncio.Coro<void> {
    console.log(`${name} resumed with`, yield* fut);
  }
  fut.addDoneCallback(() => console.log("callback added before the waiters"));
  const tasks = [0, 1].map((i) => asyncio.createTask(waiter(`task ${i}`)));
  yield* asyncio.sleep(0);
  fut.addDoneCallback(() => console.log("callback added after the waiters"));
  loop.callSoon(console.log, "call_soon scheduled before set_result");
  fut.setResult(7);
  for (const task of tasks) yield* task;
}

function* removeDoneCallback(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<void>();
  const twice = () => console.log("never printed: removed");
  const kept = () => console.log("kept callback runs");
  fut.addDoneCallback(twice);
  fut.addDoneCallback(kept);
  fut.addDoneCallback(twice);
  console.log("removed", fut.removeDoneCallback(twice));
  console.log("removed again", fut.removeDoneCallback(twice));
  fut.setResult();
  console.log("removing after set_result", fut.removeDoneCallback(kept));
  yield* asyncio.sleep(0);
}

function* callbackOnADoneFuture(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<string>();
  fut.setResult("early");
  fut.addDoneCallback(() => console.log("late callback runs on the next iteration"));
  console.log("add_done_callback returned");
  yield* asyncio.sleep(0);
}

function* states(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const fut = loop.createFuture<number>();
  console.log("pending: done", repr(fut.done()), "cancelled", repr(fut.cancelled()));
  console.log(
    "pending result():",
    outcome(() => fut.result()),
  );
  console.log(
    "pending exception():",
    outcome(() => fut.exception()),
  );
  fut.setResult(1);
  console.log(
    "finished: done",
    repr(fut.done()),
    "result():",
    outcome(() => fut.result()),
    "exception():",
    outcome(() => fut.exception()),
  );
  console.log(
    "set_result again:",
    outcome(() => fut.setResult(2)),
  );
  console.log(
    "set_exception after done:",
    outcome(() => fut.setException(new asyncio.ValueError("x"))),
  );
  console.log("cancel() after done:", repr(fut.cancel()));

  const failed = loop.createFuture<number>();
  failed.setException(new asyncio.ValueError("broken"));
  const exception = failed.exception() as Error;
  console.log(
    "failed: result():",
    outcome(() => failed.result()),
    "exception():",
    exception.name,
    exception.message,
  );

  const cancelled = loop.createFuture<number>();
  console.log(
    "cancel():",
    repr(cancelled.cancel("no longer needed")),
    "again:",
    repr(cancelled.cancel()),
  );
  console.log("cancelled: done", repr(cancelled.done()), "cancelled", repr(cancelled.cancelled()));
  console.log(
    "cancelled result():",
    outcome(() => cancelled.result()),
    "exception():",
    outcome(() => cancelled.exception()),
  );
  console.log(
    "set_result on cancelled:",
    outcome(() => cancelled.setResult(3)),
  );
  console.log("get_loop() is the running loop:", repr(fut.getLoop() === loop));
}

function* awaitingFutures(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const ready = loop.createFuture<string>();
  loop.callLater(0.01, () => ready.setResult("later"));
  console.log("await ->", yield* ready);
  const failed = loop.createFuture<void>();
  loop.callSoon(() => failed.setException(new asyncio.ValueError("bad")));
  try {
    yield* failed;
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("await raised ValueError", error.message);
  }
  const cancelled = loop.createFuture<void>();
  loop.callSoon(() => cancelled.cancel("gone"));
  try {
    yield* cancelled;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("await raised CancelledError", repr(error.message));
  }
  console.log(
    "the awaiting task is not cancelled:",
    repr(asyncio.currentTask()!.cancelling() === 0),
  );
}

function* callbackErrors(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const fut = loop.createFuture<void>();
  loop.setExceptionHandler((_loop, context) => {
    console.log(
      "exception handler:",
      context.message.split(" ").slice(0, 3).join(" "),
      "...",
      (context.exception as Error).name,
    );
  });
  fut.addDoneCallback(() => {
    throw new asyncio.ValueError("callback broke");
  });
  fut.addDoneCallback(() => console.log("the next callback still runs"));
  fut.setResult();
  yield* asyncio.sleep(0);
  loop.setExceptionHandler(null);
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["callbacks_in_order", callbacksInOrder],
    ["tasks_and_callbacks_share_the_queue", tasksAndCallbacksShareTheQueue],
    ["remove_done_callback", removeDoneCallback],
    ["callback_on_a_done_future", callbackOnADoneFuture],
    ["states", states],
    ["awaiting_futures", awaitingFutures],
    ["callback_errors", callbackErrors],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
