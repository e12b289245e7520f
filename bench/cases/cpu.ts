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
import { medianRound, ROUNDS, type Round, sequentialSeconds } from "../js/cpu.ts";
import type * as fibModule from "../js/fib.mjs";

const ITEMS = 200;
const N = 27;
const WORKERS = 2;

const work = asyncio.workModule<typeof fibModule>(new URL("../js/fib.mjs", import.meta.url));

/** Each worker runs fib(N) once as it starts, so every one is warm (JIT-compiled) when timed. */
const poolOptions = { maxWorkers: WORKERS, initializer: work.fn("fib"), initargs: [N] as [number] };

function* measure(pool: asyncio.Executor, items: number, n: number): asyncio.Coro<Measurement> {
  const fib = work.fn("fib");
  try {
    const began = performance.now();
    // Two items at once on a pool with no idle worker start both workers; the initializer
    // (fib(n) once) has warmed each of them before it takes an item.
    yield* asyncio.gather(...Array.from({ length: WORKERS }, () => pool.submit(fib, n)));
    const startup = (performance.now() - began) / 1000;
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const seq = sequentialSeconds(items, n);
      const started = performance.now();
      yield* asyncio.gather(...Array.from({ length: items }, () => pool.submit(fib, n)));
      rounds.push({ seq_s: seq, pool_s: (performance.now() - started) / 1000 });
    }
    return medianRound(rounds, startup);
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
    ours(() => asyncio.run(measure(new asyncio.ThreadPoolExecutor(poolOptions), ITEMS, N))),
    nodeAnchor("asyncio-ts-processes", "asyncio-ts ProcessPoolExecutor", () =>
      asyncio.run(measure(new asyncio.ProcessPoolExecutor(poolOptions), ITEMS, N)),
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
    "Node rows: each run times 5 rounds (sequential, then the pool, on the same 200 items) after the pool is warm, and reports its median round; Python rows time one round (their items take ~10x longer).",
    "Python rows: asyncio's run_in_executor on a ProcessPoolExecutor (threads would hold the GIL); fib(27) takes ~10x longer in CPython, so dispatch costs weigh less there.",
  ],
});
