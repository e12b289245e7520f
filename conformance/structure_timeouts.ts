/**
 * Port of structure_timeouts.py: timeout(), timeoutAt(), reschedule(), nesting and outside
 * cancellation. Only sleeps: runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const { timeout, timeoutAt, using } = asyncio;

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : value === null ? "None" : String(value);

function* main(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const current = asyncio.currentTask()!;

  console.log("== expiry");
  let cm = timeout(0.05);
  try {
    yield* using(cm, function* () {
      try {
        yield* asyncio.sleep(1);
      } catch (error) {
        if (asyncio.isCancelledError(error)) console.log("body got CancelledError");
        throw error;
      }
    });
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("TimeoutError; cause:", (error.cause as Error).name);
  }
  console.log("expired:", py(cm.expired()), "cancelling:", current.cancelling());

  console.log("== in time");
  cm = timeout(1);
  const result = yield* using(cm, function* () {
    yield* asyncio.sleep(0.01);
    return "fast";
  });
  console.log(result, "expired:", py(cm.expired()));

  console.log("== none");
  cm = timeout(null);
  yield* using(cm, () => asyncio.sleep(0.01));
  console.log("when:", py(cm.when()), "expired:", py(cm.expired()));

  console.log("== timeout_at and reschedule");
  const deadline = loop.time() + 0.02;
  cm = timeoutAt(deadline);
  try {
    yield* using(cm, function* (active) {
      console.log("when is deadline:", py(active.when() === deadline));
      active.reschedule(null);
      yield* asyncio.sleep(0.05);
      console.log("survived past the first deadline");
      active.reschedule(loop.time() + 0.02);
      yield* asyncio.sleep(1);
    });
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("TimeoutError after reschedule; expired:", py(cm.expired()));
  }
  try {
    cm.reschedule(null);
  } catch (error) {
    if (error instanceof asyncio.RuntimeError) console.log("reschedule after expiry: RuntimeError");
  }

  console.log("== inner expires first");
  try {
    yield* using(timeout(0.1), function* () {
      try {
        yield* using(timeout(0.02), () => asyncio.sleep(1));
      } catch (error) {
        if (!(error instanceof asyncio.TimeoutError)) throw error;
        console.log("inner TimeoutError");
      }
      yield* asyncio.sleep(1);
    });
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("outer TimeoutError");
  }

  console.log("== outer expires first");
  try {
    yield* using(timeout(0.02), function* () {
      try {
        yield* using(timeout(1), () => asyncio.sleep(2));
      } catch (error) {
        if (asyncio.isCancelledError(error)) console.log("inner block: CancelledError");
        throw error;
      }
    });
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("outer TimeoutError");
  }

  console.log("== both at the same deadline");
  const when = loop.time() + 0.02;
  const outer = timeoutAt(when);
  const inner = timeoutAt(when);
  try {
    yield* using(outer, function* () {
      try {
        yield* using(inner, () => asyncio.sleep(1));
      } catch (error) {
        if (asyncio.isCancelledError(error)) console.log("inner block: CancelledError");
        throw error;
      }
    });
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("outer TimeoutError; both expired:", py(outer.expired()), py(inner.expired()));
  }

  console.log("== outside cancel inside a timeout");
  let task: asyncio.Task<unknown> = asyncio.createTask(using(timeout(1), () => asyncio.sleep(2)));
  yield* asyncio.sleep(0.01);
  task.cancel();
  try {
    yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("CancelledError; task cancelled:", py(task.cancelled()));
  }

  console.log("== error in the body");
  cm = timeout(1);
  try {
    yield* using(cm, function* () {
      throw new asyncio.ValueError("own");
    });
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("ValueError", error.message, "expired:", py(cm.expired()));
  }

  console.log("== the task is not left cancelled");
  function* quickTimeout(): asyncio.Coro<string | undefined> {
    try {
      yield* using(timeout(0.01), () => asyncio.sleep(1));
    } catch (error) {
      if (error instanceof asyncio.TimeoutError) return "timed out";
      throw error;
    }
    return undefined;
  }
  task = asyncio.createTask(quickTimeout());
  console.log(yield* task, "cancelled:", py(task.cancelled()), "cancelling:", task.cancelling());
}

await asyncio.run(main(), { clock: "virtual" });
