/**
 * Port of structure_ascompleted.py: asCompleted(), as a plain iterator of awaitables and as
 * an asynchronous iterator of tasks (`yield* it.next()` for `async for`). Only sleeps: runs on
 * the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

function* work(name: string, delay: number, fail = false): asyncio.Coro<string> {
  yield* asyncio.sleep(delay);
  if (fail) throw new asyncio.ValueError(name);
  return name;
}

function* main(): asyncio.Coro<void> {
  console.log("== plain iteration");
  for (const nextDone of asyncio.asCompleted([work("c", 0.03), work("a", 0.01), work("b", 0.02)])) {
    console.log(yield* nextDone);
  }

  console.log("== errors in their turn");
  for (const nextDone of asyncio.asCompleted([work("ok", 0.02), work("bad", 0.01, true)])) {
    try {
      console.log(yield* nextDone);
    } catch (error) {
      if (!(error instanceof asyncio.ValueError)) throw error;
      console.log("ValueError", error.message);
    }
  }

  console.log("== async iteration gives the tasks");
  const slow = asyncio.createTask(work("slow", 0.02), { name: "slow" });
  const fast = asyncio.createTask(work("fast", 0.01), { name: "fast" });
  const finished = asyncio.asCompleted<asyncio.Awaitable<string>>([slow, fast, work("coro", 0.03)]);
  for (let step = yield* finished.next(); !step.done; step = yield* finished.next()) {
    const task = step.value as asyncio.Task<string>;
    if (task === slow || task === fast) console.log("original task", task.getName(), task.result());
    else console.log("new task", py(task instanceof asyncio.Task), task.result());
  }

  console.log("== timeout");
  let long = asyncio.createTask(work("long", 0.3));
  for (const nextDone of asyncio.asCompleted([work("short", 0.01), long], { timeout: 0.03 })) {
    try {
      console.log(yield* nextDone);
    } catch (error) {
      if (!(error instanceof asyncio.TimeoutError)) throw error;
      console.log("TimeoutError; long cancelled:", py(long.cancelled()));
    }
  }
  console.log(yield* long);

  console.log("== async iteration timeout");
  long = asyncio.createTask(work("long", 0.3));
  try {
    const timed = asyncio.asCompleted([long], { timeout: 0.01 });
    for (let step = yield* timed.next(); !step.done; step = yield* timed.next()) {
      console.log("never");
    }
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("TimeoutError");
  }
  console.log(yield* long);
}

await asyncio.run(main(), { clock: "virtual" });
