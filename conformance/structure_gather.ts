/**
 * Port of structure_gather.py: gather() results, first error, returnExceptions, cancelling,
 * the same coroutine twice, gather() with nothing. Only sleeps: runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

/** Python's repr of strings, booleans and lists. */
function py(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  if (typeof value === "string") return `'${value}'`;
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

function* work(name: string, delay: number, log: string[], fail = false): asyncio.Coro<string> {
  try {
    yield* asyncio.sleep(delay);
  } catch (error) {
    if (asyncio.isCancelledError(error)) log.push(`${name} cancelled`);
    throw error;
  }
  if (fail) {
    log.push(`${name} fails`);
    throw new asyncio.ValueError(name);
  }
  log.push(`${name} done`);
  return name.toUpperCase();
}

function* main(): asyncio.Coro<void> {
  console.log("== order");
  let log: string[] = [];
  const results = yield* asyncio.gather(
    work("a", 0.03, log),
    work("b", 0.01, log),
    work("c", 0.02, log),
  );
  console.log(py(log), py(results));

  console.log("== first error");
  log = [];
  const slow = asyncio.createTask(work("slow", 0.05, log));
  try {
    yield* asyncio.gather(work("bad", 0.01, log, true), slow);
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("gather raised ValueError", error.message, "slow done:", py(slow.done()));
  }
  console.log("slow result:", yield* slow, py(log));

  console.log("== return_exceptions");
  log = [];
  const cancelled = asyncio.createTask(work("c", 1, log));
  cancelled.cancel();
  const settled = yield* asyncio.gather(
    [work("ok", 0.02, log), work("bad", 0.01, log, true), cancelled],
    {
      returnExceptions: true,
    },
  );
  console.log(py(settled.map((r) => (r instanceof Error ? r.name : r))), py(log));

  console.log("== cancel the gather");
  log = [];
  const outer = asyncio.gather(work("x", 1, log), work("y", 1, log));
  yield* asyncio.sleep(0.01);
  console.log("cancel() ->", py(outer.cancel()));
  try {
    yield* outer;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("gather raised CancelledError; cancelled():", py(outer.cancelled()), py(log));
  }

  console.log("== cancel the waiting task");
  log = [];
  const waiter = asyncio.createTask(asyncio.gather(work("p", 1, log), work("q", 1, log)));
  yield* asyncio.sleep(0.01);
  waiter.cancel();
  try {
    yield* waiter;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("waiter cancelled:", py(waiter.cancelled()), py(log));
  }

  console.log("== child cancelled from outside");
  log = [];
  const child = asyncio.createTask(work("child", 1, log));
  const other = asyncio.createTask(work("other", 0.3, log));
  const both = asyncio.gather(child, other);
  yield* asyncio.sleep(0.01);
  child.cancel();
  try {
    yield* both;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("gather raised CancelledError; other cancelled:", py(other.cancelled()));
  }
  console.log("other:", yield* other, py(log));

  console.log("== same coroutine twice");
  log = [];
  const coro = work("once", 0.01, log);
  console.log(py(yield* asyncio.gather(coro, coro, work("two", 0.02, log))), py(log));

  console.log("== nothing");
  console.log(py(yield* asyncio.gather()));
}

await asyncio.run(main(), { clock: "virtual" });
