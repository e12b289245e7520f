/**
 * Port of core_callbacks.py: callback and timer ordering. The Python program only uses timers,
 * so this runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

function log(...parts: unknown[]): void {
  console.log(
    parts
      .map((part) => (typeof part === "boolean" ? (part ? "True" : "False") : String(part)))
      .join(" "),
  );
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
  loop.callLater(0.3, log, "timer 300ms");
  loop.callLater(0.1, log, "timer 100ms");
  loop.callLater(0.2, log, "timer 200ms");
  const skipped = loop.callLater(0.15, log, "cancelled timer never runs");
  loop.callLater(0, log, "timer 0ms");
  loop.callAt(loop.time() - 1, log, "call_at in the past: before the 0ms timer");
  loop.callAt(loop.time() + 0.25, log, "call_at 250ms");
  loop.callSoon(log, "call_soon runs before any timer");
  skipped.cancel();
  log("cancelled timer:", skipped.cancelled());
  loop.callLater(0.4, () => done.setResult());
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
  loop.callLater(0.1, () => done.setResult());
  yield* done;
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["call_soon_fifo", callSoonFifo],
    ["call_later_order", callLaterOrder],
    ["what_a_callback_schedules", whatACallbackSchedules],
  ];
  for (const [name, section] of sections) {
    log(`== ${name}`);
    yield* section();
  }
  log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
