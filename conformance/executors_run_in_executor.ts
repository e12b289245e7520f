/**
 * Port of executors_run_in_executor.py: the work runs in worker threads, named by module and
 * export (executors_work.ts). Real clock: the work takes real time.
 */

import * as asyncio from "../src/index.ts";
import type * as work from "./executors_work.ts";

const tasks = asyncio.workModule<typeof work>(new URL("./executors_work.ts", import.meta.url));

const py = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  return value === true ? "True" : value === false ? "False" : String(value);
};

function* main(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });

  console.log("== run_in_executor");
  console.log("fib(20) =", yield* loop.runInExecutor(pool, tasks.fn("fib"), 20));
  const results = yield* asyncio.gather(
    ...Array.from({ length: 8 }, (_, n) => loop.runInExecutor(pool, tasks.fn("fib"), n)),
  );
  console.log("gathered", py(results));

  console.log("== an error in the work");
  try {
    yield* loop.runInExecutor(pool, tasks.fn("fail"), "bad input");
  } catch (error) {
    // The work's own error class comes back as a WorkerError carrying its name.
    if (!(error instanceof asyncio.WorkerError && error.name === "ValueError")) throw error;
    console.log("caught", error.name, error.message);
  }

  console.log("== to_thread");
  console.log("fib(15) =", yield* asyncio.toThread(tasks.fn("fib"), 15));

  console.log("== shutdown with cancel_futures");
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const running = loop.runInExecutor(pool, tasks.fn("block"), gate);
  const queued = loop.runInExecutor(pool, tasks.fn("fib"), 10);
  while (Atomics.load(gate, 1) === 0) {
    yield* asyncio.fromPromise(new Promise((resolve) => setTimeout(resolve, 10)));
  }
  pool.shutdown({ wait: false, cancelFutures: true });
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  console.log("running:", yield* running);
  console.log("queued cancelled:", py(queued.cancelled()));
  try {
    loop.runInExecutor(pool, tasks.fn("fib"), 1);
  } catch (error) {
    if (!(error instanceof asyncio.RuntimeError)) throw error;
    console.log("after shutdown:", error.name);
  }
}

await asyncio.run(main());
