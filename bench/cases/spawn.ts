/**
 * spawn: 100,000 tasks that each yield 10 times with `sleep(0)`, all awaited in creation
 * order. Measures task creation, scheduling and completion: tasks per second.
 */

import * as asyncio from "../../src/index.ts";
import { withTraceRing } from "../harness/trace.ts";
import { defineWorkload, nodeAnchor, ours, pythonAnchors } from "../harness/workload.ts";

const TASKS = 100_000;
const YIELDS = 10;
/**
 * Effection spawns slowly (~300-500 us a task here with 100,000 alive, growing with the count:
 * ~50 s a run), so it runs 5,000 tasks, which flatters it; SLOW_RUNS=1 adds the 100,000 row.
 */
const EFFECTION_TASKS = 5_000;

function* worker(yields: number): asyncio.Coro<void> {
  for (let i = 0; i < yields; i++) yield* asyncio.sleep(0);
}

function* main(): asyncio.Coro<{ value: number; detail: { total_s: number } }> {
  const started = performance.now();
  const tasks: asyncio.Task<void>[] = [];
  for (let i = 0; i < TASKS; i++) tasks.push(asyncio.createTask(worker(YIELDS)));
  for (const task of tasks) yield* task;
  const seconds = (performance.now() - started) / 1000;
  return { value: TASKS / seconds, detail: { total_s: seconds } };
}

export default defineWorkload({
  name: "spawn",
  order: 10,
  title: `spawn: ${TASKS.toLocaleString("en-US")} tasks x ${YIELDS} sleep(0), all awaited`,
  unit: "tasks/s",
  better: "higher",
  implementations: [
    ours(() => asyncio.run(main())),
    nodeAnchor("traced", "asyncio-ts, tracing on (ring of 100,000 events)", () =>
      withTraceRing((trace) => asyncio.run(main(), { trace })),
    ),
    nodeAnchor("node-immediate", "Node async fn + setImmediate", async () =>
      (await import("../js/spawn.ts")).nodeImmediate(TASKS, YIELDS),
    ),
    nodeAnchor("node-await-null", "Node async fn + await null (microtask)", async () =>
      (await import("../js/spawn.ts")).nodeAwaitNull(TASKS, YIELDS),
    ),
    nodeAnchor("effection", "Effection 4.1.1 sleep(0) [5,000 tasks]", async () =>
      (await import("../js/spawn.ts")).effection(EFFECTION_TASKS, YIELDS),
    ),
    nodeAnchor(
      "effection-100k",
      "Effection 4.1.1 sleep(0)",
      async () => (await import("../js/spawn.ts")).effection(TASKS, YIELDS),
      { slow: true },
    ),
    ...pythonAnchors("py/spawn.py", ["--tasks", String(TASKS), "--yields", String(YIELDS)]),
  ],
  targets: [{ kind: "speedup", anchor: "uvloop", atLeast: 5 }],
  notes: [
    "await null is a microtask hop that never returns to the event loop (I/O starves while it runs): shown as Node's floor, not an equivalent of sleep(0).",
  ],
});
