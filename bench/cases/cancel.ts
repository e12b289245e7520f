/**
 * cancel: 20,000 tasks pending in `sleep(1000)` are cancelled, then each is awaited and its
 * CancelledError caught: the path every timeout and TaskGroup failure takes. Tasks cancelled
 * per second, from the first `cancel()` to the last task done.
 */

import * as asyncio from "../../src/index.ts";
import {
  defineWorkload,
  type Measurement,
  nodeAnchor,
  ours,
  pythonAnchors,
} from "../harness/workload.ts";

/** Fewer than spawn's 100,000: creating them is not what this measures, and costs time. */
const TASKS = 20_000;
/** Effection spawns slowly (see spawn.ts). */
const EFFECTION_TASKS = 5_000;

function* sleeper(): asyncio.Coro<void> {
  yield* asyncio.sleep(1000);
}

function* main(): asyncio.Coro<Measurement> {
  const tasks: asyncio.Task<void>[] = [];
  for (let i = 0; i < TASKS; i++) tasks.push(asyncio.createTask(sleeper()));
  yield* asyncio.sleep(0);
  const started = performance.now();
  for (const task of tasks) task.cancel();
  let cancelled = 0;
  for (const task of tasks) {
    try {
      yield* task;
    } catch (error) {
      if (!asyncio.isCancelledError(error)) throw error;
      cancelled++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { value: TASKS / seconds, detail: { total_s: seconds, cancelled } };
}

export default defineWorkload({
  name: "cancel",
  order: 45,
  title: `cancel: ${TASKS.toLocaleString("en-US")} tasks pending in sleep(1000) cancelled, each awaited`,
  unit: "tasks/s",
  better: "higher",
  implementations: [
    ours(() => asyncio.run(main())),
    nodeAnchor("node-abort", "Node async fn + setTimeout(signal), aborted", async () =>
      (await import("../js/cancel.ts")).nodeAbort(TASKS),
    ),
    nodeAnchor("effection", "Effection 4.1.1 sleep(ms), halted [5,000 tasks]", async () =>
      (await import("../js/cancel.ts")).effection(EFFECTION_TASKS),
    ),
    ...pythonAnchors("py/cancel.py", ["--tasks", String(TASKS)]),
  ],
  notes: [
    "A JavaScript error records its stack when it is made: the Node row pays that for each AbortError, as asyncio-ts does for each CancelledError; Python builds its traceback as the exception travels.",
  ],
});
