/**
 * memory: heap bytes per task pending in `sleep(1000)`. The heap is measured after a full GC
 * before the tasks are created and after every one of them has started its sleep; the delta,
 * divided by the number of tasks, includes the task, its coroutine, the sleep's timer and the
 * array slot that holds the task.
 */

import * as asyncio from "../../src/index.ts";
import { heapAfterGc } from "../harness/measure.ts";
import {
  defineWorkload,
  type Measurement,
  nodeAnchor,
  ours,
  pythonAnchors,
} from "../harness/workload.ts";

const TASKS = 100_000;
/** Effection spawns slowly (tens of microseconds per task, growing with the count). */
const EFFECTION_TASKS = 5_000;
/** tracemalloc makes task creation slow; per-task figures at 20,000 are within 5% of 100,000's. */
const PYTHON_TASKS = 20_000;

function* sleeper(): asyncio.Coro<void> {
  yield* asyncio.sleep(1000);
}

function* main(): asyncio.Coro<Measurement> {
  const before = heapAfterGc();
  const tasks: asyncio.Task<void>[] = [];
  for (let i = 0; i < TASKS; i++) tasks.push(asyncio.createTask(sleeper()));
  yield* asyncio.sleep(0);
  const after = heapAfterGc();
  const pending = tasks.filter((task) => !task.done()).length;
  return { value: (after - before) / TASKS, detail: { tasks: TASKS, pending } };
}

export default defineWorkload({
  name: "memory",
  order: 40,
  title: `memory: heap per task pending in sleep(1000), ${TASKS.toLocaleString("en-US")} tasks`,
  unit: "bytes/task",
  better: "lower",
  implementations: [
    ours(() => asyncio.run(main())),
    nodeAnchor("node-settimeout", "Node async fn + setTimeout Promise", async () =>
      (await import("../js/memory.ts")).nodeSetTimeout(TASKS),
    ),
    nodeAnchor(
      "effection",
      `Effection 4.1.1 sleep(ms) [${EFFECTION_TASKS.toLocaleString("en-US")} tasks]`,
      async () => (await import("../js/memory.ts")).effection(EFFECTION_TASKS),
    ),
    ...pythonAnchors("py/memory.py", ["--tasks", String(PYTHON_TASKS)]).map((impl) => ({
      ...impl,
      label: `${impl.label} [${PYTHON_TASKS.toLocaleString("en-US")} tasks]`,
    })),
  ],
  targets: [{ kind: "bound", atMost: 500 }],
  notes: [
    "Node rows: V8 heapUsed after global.gc(). Python rows: tracemalloc's traced bytes, which include what CPython and uvloop allocate through Python's allocators.",
  ],
});
