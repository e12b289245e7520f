/**
 * dispatch: 100,000 trivial items (fib(1)) on a pool of 2 worker threads: what an executor
 * costs per item (submit, the messages both ways, the Future, the loop's wake-up), in items
 * per second. asyncio-ts's ThreadPoolExecutor and ProcessPoolExecutor against piscina and a
 * hand-rolled pool of raw worker threads (one message each way per item, nothing else).
 */

import * as asyncio from "../../src/index.ts";
import { defineWorkload, type Measurement, nodeAnchor, ours } from "../harness/workload.ts";
import type * as fibModule from "../js/fib.mjs";

const ITEMS = 100_000;
const PROCESS_ITEMS = 20_000;
const WORKERS = 2;

const work = asyncio.workModule<typeof fibModule>(new URL("../js/fib.mjs", import.meta.url));

function* measure(pool: asyncio.Executor, items: number): asyncio.Coro<Measurement> {
  const fib = work.fn("fib");
  try {
    yield* asyncio.gather(...Array.from({ length: WORKERS }, () => pool.submit(fib, 1)));
    const started = performance.now();
    const futures: asyncio.Future<number>[] = [];
    for (let i = 0; i < items; i++) futures.push(pool.submit(fib, 1));
    for (const future of futures) yield* future;
    const seconds = (performance.now() - started) / 1000;
    return { value: items / seconds, detail: { total_s: seconds } };
  } finally {
    yield* pool.shutdown();
  }
}

export default defineWorkload({
  name: "dispatch",
  order: 75,
  title: `dispatch: ${ITEMS.toLocaleString("en-US")} trivial items on ${WORKERS} workers`,
  unit: "items/s",
  better: "higher",
  implementations: [
    ours(() =>
      asyncio.run(measure(new asyncio.ThreadPoolExecutor({ maxWorkers: WORKERS }), ITEMS)),
    ),
    nodeAnchor(
      "asyncio-ts-processes",
      `asyncio-ts ProcessPoolExecutor [${PROCESS_ITEMS.toLocaleString("en-US")} items]`,
      () =>
        asyncio.run(
          measure(new asyncio.ProcessPoolExecutor({ maxWorkers: WORKERS }), PROCESS_ITEMS),
        ),
    ),
    nodeAnchor("piscina", "piscina (worker threads)", async () =>
      (await import("../js/cpu.ts")).piscinaDispatch(ITEMS, WORKERS),
    ),
    nodeAnchor("raw-workers", "raw worker_threads, hand-rolled pool", async () =>
      (await import("../js/cpu.ts")).rawDispatch(ITEMS, WORKERS),
    ),
  ],
  targets: [{ kind: "speedup", anchor: "piscina", atLeast: 1 }],
  notes: [
    "Every item is submitted at once and its Future awaited in order; each worker runs one item at a time.",
    "piscina is not a dependency of the project: install it without saving (npm install --no-save piscina) to get its row.",
  ],
});
