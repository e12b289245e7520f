/**
 * cpu: 200 x fib(27) on a pool of 2 workers, as speedup over running them one after another
 * on the loop's thread in the same process (2 cores: 2x is the ceiling). asyncio-ts's
 * ThreadPoolExecutor and ProcessPoolExecutor, against piscina, a hand-rolled pool of raw
 * worker threads, and CPython's asyncio with a ProcessPoolExecutor. Pools are started and
 * warmed (each worker ran fib(27) once) before the timing; start-up is reported apart.
 */

import * as asyncio from "../../src/index.ts";
import {
  defineWorkload,
  type Measurement,
  nodeAnchor,
  ours,
  pythonAnchors,
} from "../harness/workload.ts";
import { sequentialSeconds } from "../js/cpu.ts";
import type * as fibModule from "../js/fib.mjs";

const ITEMS = 200;
const N = 27;
const WORKERS = 2;

const work = asyncio.workModule<typeof fibModule>(new URL("../js/fib.mjs", import.meta.url));

function* measure(pool: asyncio.Executor, items: number, n: number): asyncio.Coro<Measurement> {
  const fib = work.fn("fib");
  const sequential = sequentialSeconds(items, n);
  try {
    const began = performance.now();
    // Both workers start and warm up: two items at once, on a pool with no idle worker.
    yield* asyncio.gather(...Array.from({ length: WORKERS }, () => pool.submit(fib, n)));
    const startup = (performance.now() - began) / 1000;
    const started = performance.now();
    yield* asyncio.gather(...Array.from({ length: items }, () => pool.submit(fib, n)));
    const seconds = (performance.now() - started) / 1000;
    return {
      value: sequential / seconds,
      detail: { seq_s: sequential, pool_s: seconds, startup_s: startup },
    };
  } finally {
    yield* pool.shutdown();
  }
}

export default defineWorkload({
  name: "cpu",
  order: 70,
  title: `cpu: ${ITEMS} x fib(${N}) on ${WORKERS} workers, speedup over sequential`,
  unit: "x speedup",
  better: "higher",
  implementations: [
    ours(() =>
      asyncio.run(measure(new asyncio.ThreadPoolExecutor({ maxWorkers: WORKERS }), ITEMS, N)),
    ),
    nodeAnchor("asyncio-ts-processes", "asyncio-ts ProcessPoolExecutor", () =>
      asyncio.run(measure(new asyncio.ProcessPoolExecutor({ maxWorkers: WORKERS }), ITEMS, N)),
    ),
    nodeAnchor("piscina", "piscina (worker threads)", async () =>
      (await import("../js/cpu.ts")).piscina(ITEMS, N, WORKERS),
    ),
    nodeAnchor("raw-workers", "raw worker_threads, hand-rolled pool", async () =>
      (await import("../js/cpu.ts")).rawWorkers(ITEMS, N, WORKERS),
    ),
    ...pythonAnchors("py/cpu.py", [
      "--items",
      String(ITEMS),
      "--n",
      String(N),
      "--workers",
      String(WORKERS),
    ]),
  ],
  targets: [{ kind: "bound", atLeast: 1.9 }],
  notes: [
    "speedup = sequential time / pool time, both in the same process; the ceiling is 2x on 2 cores, and every row shares the machine with the loop's own thread.",
    "Python rows: asyncio's run_in_executor on a ProcessPoolExecutor (threads would hold the GIL); fib(27) takes ~10x longer in CPython, so dispatch costs weigh less there.",
    "piscina is not a dependency of the project: install it without saving (npm install --no-save piscina) to get its row.",
  ],
});
