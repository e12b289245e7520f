/**
 * Port of structure_shield.py: shield() protects the work, not the waiter. Only sleeps: runs
 * on the virtual clock.
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
  console.log("== shield: the waiter is cancelled, the work is not");
  const inner = asyncio.createTask(work("saved", 0.3));
  function* waiter(): asyncio.Coro<void> {
    try {
      yield* asyncio.shield(inner);
    } catch (error) {
      if (asyncio.isCancelledError(error)) {
        console.log("waiter got CancelledError; inner done:", py(inner.done()));
      }
      throw error;
    }
  }
  const task = asyncio.createTask(waiter());
  yield* asyncio.sleep(0.01);
  task.cancel();
  try {
    yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
  }
  console.log("inner result:", yield* inner);

  console.log("== shield passes results, errors and cancellation through");
  console.log(yield* asyncio.shield(work("value", 0.01)));
  try {
    yield* asyncio.shield(work("bad", 0.01, true));
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("ValueError", error.message);
  }
  const target = asyncio.createTask(work("target", 1));
  const outer = asyncio.shield(target);
  yield* asyncio.sleep(0);
  target.cancel();
  try {
    yield* outer;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("outer cancelled:", py(outer.cancelled()));
  }
}

await asyncio.run(main(), { clock: "virtual" });
