/**
 * Port of core_timers_due_together.py: timers that fall due in the same iteration. Runs on the
 * real clock, because a callback blocks the loop (as `time.sleep` does) to make them fall due.
 */

import * as asyncio from "../src/index.ts";

const log = console.log;

/** time.sleep(): blocks the whole thread. */
function blockFor(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

function* readyBeforeDueTimers(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  const base = loop.time();
  const timerA = () => {
    log("timer a (50ms): schedules a callback");
    loop.callSoon(log, "callback from timer a: after timer b, same iteration as b");
  };
  const blocker = () => {
    log("blocker: schedules a callback, then blocks 200ms so both timers fall due");
    loop.callSoon(log, "callback from blocker: before both due timers");
    blockFor(0.2);
  };
  loop.callAt(base + 0.1, log, "timer b (100ms)");
  loop.callAt(base + 0.05, timerA);
  loop.callSoon(blocker);
  loop.callAt(base + 0.3, () => done.setResult());
  yield* done;
}

function* cancelledWhileQueued(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  const base = loop.time();
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
  const timerA = loop.callAt(base + 0.05, log, "never runs: timer a");
  loop.callAt(base + 0.1, timerB);
  const timerC = loop.callAt(base + 0.15, log, "never runs: timer c");
  loop.callSoon(blocker);
  loop.callAt(base + 0.3, () => done.setResult());
  yield* done;
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
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
