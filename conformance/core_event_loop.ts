/**
 * Port of core_event_loop.py: driving a loop by hand. The Python program only sleeps, so the
 * loops use the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

function log(...parts: unknown[]): void {
  console.log(...parts);
}

async function runUntilComplete(): Promise<void> {
  const loop = asyncio.newEventLoop({ clock: "virtual" });
  console.log("running before:", py(loop.isRunning()));
  function* work(): asyncio.Coro<string> {
    console.log("running inside:", py(asyncio.getRunningLoop() === loop && loop.isRunning()));
    yield* asyncio.sleep(0.01);
    return "work result";
  }
  console.log("run_until_complete ->", await loop.runUntilComplete(work()));
  const fut = loop.createFuture<string>();
  loop.callSoon(() => fut.setResult("future result"));
  console.log("run_until_complete(future) ->", await loop.runUntilComplete(fut));
  console.log("already done ->", await loop.runUntilComplete(fut));
  function* fails(): asyncio.Coro<never> {
    throw new asyncio.ValueError("work failed");
  }
  try {
    await loop.runUntilComplete(fails());
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("run_until_complete raised ValueError", error.message);
  }
  loop.close();
  console.log("closed:", py(loop.isClosed()));
}

async function stopFinishesTheIteration(): Promise<void> {
  const loop = asyncio.newEventLoop({ clock: "virtual" });
  const stopper = () => {
    log("stopper calls stop()");
    loop.stop();
    loop.callSoon(log, "scheduled by stopper: waits for the next run");
  };
  loop.callSoon(log, "before stopper");
  loop.callSoon(stopper);
  loop.callSoon(log, "after stopper: same iteration, still runs");
  await loop.runForever();
  console.log("run_forever returned; running:", py(loop.isRunning()));
  loop.callSoon(() => loop.stop());
  await loop.runForever();
  console.log("second run_forever returned");
  loop.stop();
  loop.callSoon(log, "stop() before run_forever: one iteration runs");
  await loop.runForever();
  loop.close();
}

async function closedLoop(): Promise<void> {
  const loop = asyncio.newEventLoop({ clock: "virtual" });
  loop.close();
  loop.close();
  console.log("closing twice is fine");
  const calls: [string, () => unknown][] = [
    ["call_soon", () => loop.callSoon(log, "x")],
    ["call_later", () => loop.callLater(1, log, "x")],
    ["run_forever", () => loop.runForever()],
  ];
  for (const [name, call] of calls) {
    try {
      await call();
      console.log(name, "on a closed loop: no error");
    } catch (error) {
      if (!(error instanceof asyncio.RuntimeError)) throw error;
      console.log(name, "on a closed loop: RuntimeError");
    }
  }
}

async function runningLoopMisuse(): Promise<void> {
  const loop = asyncio.newEventLoop({ clock: "virtual" });
  function* misuse(): asyncio.Coro<void> {
    try {
      loop.close();
    } catch (error) {
      if (!(error instanceof asyncio.RuntimeError)) throw error;
      console.log("close() while running: RuntimeError");
    }
    try {
      yield* asyncio.fromPromise(asyncio.getRunningLoop().runForever());
    } catch (error) {
      if (!(error instanceof asyncio.RuntimeError)) throw error;
      console.log("run_forever() while running: RuntimeError");
    }
  }
  await loop.runUntilComplete(misuse());
  loop.close();
  try {
    asyncio.getRunningLoop();
  } catch (error) {
    if (!(error instanceof asyncio.RuntimeError)) throw error;
    console.log("get_running_loop() outside a loop: RuntimeError");
  }
}

async function callbackErrorsDoNotStopTheLoop(): Promise<void> {
  const loop = asyncio.newEventLoop({ clock: "virtual" });
  loop.setExceptionHandler((_loop, context) =>
    console.log("handler got", (context.exception as Error).name),
  );
  loop.callSoon(() => {
    throw new asyncio.ValueError("broken callback");
  });
  loop.callSoon(log, "the loop goes on");
  loop.callSoon(() => loop.stop());
  await loop.runForever();
  loop.close();
}

const scenarios: [string, () => Promise<void>][] = [
  ["run_until_complete", runUntilComplete],
  ["stop_finishes_the_iteration", stopFinishesTheIteration],
  ["closed_loop", closedLoop],
  ["running_loop_misuse", runningLoopMisuse],
  ["callback_errors_do_not_stop_the_loop", callbackErrorsDoNotStopTheLoop],
];
for (const [name, scenario] of scenarios) {
  console.log(`== ${name}`);
  await scenario();
}
console.log("== end");
