/**
 * Port of core_callbacks.py: callback and timer ordering. Runs on the real clock, because one
 * section blocks the loop so that two timers fall due in the same iteration.
 */

import * as asyncio from "../src/index.ts";

function log(...parts: unknown[]): void {
  console.log(
    parts
      .map((part) => (typeof part === "boolean" ? (part ? "True" : "False") : String(part)))
      .join(" "),
  );
}

/** time.sleep(): blocks the whole thread. */
function blockFor(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

function* callSoonFifo(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  for (const name of ["a", "b", "c"]) loop.callSoon(log, "call_soon", name);
  loop.callSoon(log, "call_soon with args", 1, 2);
  const cancelled = loop.callSoon(log, "never runs");
  cancelled.cancel();
  log("cancelled handle:", cancelled.cancelled());
  loop.callSoon(() => done.setResult());
  yield* done;
}

function* callLaterOrder(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  loop.callLater(0.15, log, "timer 150ms");
  loop.callLater(0.05, log, "timer 50ms");
  loop.callLater(0.1, log, "timer 100ms");
  const skipped = loop.callLater(0.075, log, "cancelled timer never runs");
  loop.callLater(0, log, "timer 0ms");
  loop.callAt(loop.time() + 0.125, log, "call_at 125ms");
  loop.callSoon(log, "call_soon runs before any timer");
  skipped.cancel();
  log("cancelled timer:", skipped.cancelled());
  loop.callLater(0.2, () => done.setResult());
  yield* done;
}

function* whatACallbackSchedules(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  const first = () => {
    log("first: schedules a callback and a 0-delay timer");
    loop.callSoon(log, "scheduled by first: next iteration");
    loop.callLater(0, log, "0-delay timer scheduled by first: after that callback");
  };
  loop.callSoon(first);
  loop.callSoon(log, "second: same iteration as first");
  loop.callLater(0.01, () => done.setResult());
  yield* done;
}

function* readyBeforeDueTimers(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  const timerA = () => {
    log("timer a (50ms): schedules a callback");
    loop.callSoon(log, "callback from timer a: after timer b, same iteration as b");
  };
  const blocker = () => {
    log("blocker: schedules a callback, then blocks 200ms so both timers fall due");
    loop.callSoon(log, "callback from blocker: before both due timers");
    blockFor(0.2);
  };
  loop.callLater(0.1, log, "timer b (100ms)");
  loop.callLater(0.05, timerA);
  loop.callSoon(blocker);
  loop.callLater(0.3, () => done.setResult());
  yield* done;
}

function* cancelledWhileQueued(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  const blocker = () => {
    log("blocker: blocks 200ms so three timers fall due");
    loop.callSoon(cancelA);
    blockFor(0.2);
  };
  const cancelA = () => {
    log("callback cancels timer a, already due and queued");
    timerA.cancel();
  };
  const timerB = () => {
    log("timer b cancels timer c, queued after it");
    timerC.cancel();
  };
  const timerA = loop.callLater(0.05, log, "never runs: timer a");
  loop.callLater(0.1, timerB);
  const timerC = loop.callLater(0.15, log, "never runs: timer c");
  loop.callSoon(blocker);
  loop.callLater(0.3, () => done.setResult());
  yield* done;
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["call_soon_fifo", callSoonFifo],
    ["call_later_order", callLaterOrder],
    ["what_a_callback_schedules", whatACallbackSchedules],
    ["ready_before_due_timers", readyBeforeDueTimers],
    ["cancelled_while_queued", cancelledWhileQueued],
  ];
  for (const [name, section] of sections) {
    log(`== ${name}`);
    yield* section();
  }
  log("== end");
}

await asyncio.run(main());
