/**
 * Port of structure_waitfor.py: waitFor() with 3.12 semantics. Only sleeps: runs on the
 * virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  if (typeof value === "string") return `'${value}'`;
  return value === true ? "True" : value === false ? "False" : String(value);
};

function* work(name: string, delay: number, log: string[]): asyncio.Coro<string> {
  try {
    yield* asyncio.sleep(delay);
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    log.push(`${name} cancelled`);
    yield* asyncio.sleep(0.01);
    log.push(`${name} cleaned up`);
    throw error;
  }
  log.push(`${name} done`);
  return name;
}

function* main(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();

  console.log("== in time");
  let log: string[] = [];
  console.log(yield* asyncio.waitFor(work("quick", 0.01, log), 1), py(log));

  console.log("== timeout waits for the cleanup");
  log = [];
  try {
    yield* asyncio.waitFor(work("slow", 1, log), 0.02);
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    log.push("TimeoutError");
  }
  console.log(py(log));

  console.log("== task timeout");
  log = [];
  const task = asyncio.createTask(work("task", 1, log));
  try {
    yield* asyncio.waitFor(task, 0.02);
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("TimeoutError; task cancelled:", py(task.cancelled()), py(log));
  }

  console.log("== zero timeout");
  const done = loop.createFuture<string>();
  done.setResult("ready");
  console.log(yield* asyncio.waitFor(done, 0));
  let started = false;
  function* tracked(): asyncio.Coro<void> {
    started = true;
  }
  try {
    yield* asyncio.waitFor(tracked(), 0);
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("TimeoutError; started:", py(started));
  }

  console.log("== swallowed cancellation");
  function* stubborn(): asyncio.Coro<string | undefined> {
    try {
      yield* asyncio.sleep(1);
    } catch (error) {
      if (asyncio.isCancelledError(error)) return "kept";
      throw error;
    }
    return undefined;
  }
  console.log(yield* asyncio.waitFor(stubborn(), 0.01));

  console.log("== cancelling the waiter");
  log = [];
  const workTask = asyncio.createTask(work("w", 1, log));
  const waiter = asyncio.createTask(asyncio.waitFor(workTask, 0.5));
  yield* asyncio.sleep(0.01);
  waiter.cancel();
  try {
    yield* waiter;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("waiter CancelledError; work cancelled:", py(workTask.cancelled()), py(log));
  }

  console.log("== shielded");
  log = [];
  const protectedTask = asyncio.createTask(work("protected", 0.3, log));
  try {
    yield* asyncio.waitFor(asyncio.shield(protectedTask), 0.01);
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("TimeoutError; protected done:", py(protectedTask.done()));
  }
  console.log(yield* protectedTask, py(log));

  console.log("== no timeout");
  console.log(yield* asyncio.waitFor(work("unbounded", 0.01, []), null));
}

await asyncio.run(main(), { clock: "virtual" });
