/**
 * timers: 100,000 tasks each sleep a random 0-50 ms. Wall time from the first createTask to
 * the last wake-up, with the overshoot (wake-up minus due time) under that load.
 */

import * as asyncio from "../../src/index.ts";
import { seededRandom, timersMeasurement } from "../harness/measure.ts";
import {
  defineWorkload,
  type Measurement,
  nodeAnchor,
  ours,
  pythonAnchors,
} from "../harness/workload.ts";

const TASKS = 100_000;
const MAX_MS = 50;

function* sleeper(delay: number, index: number, overshoots: Float64Array): asyncio.Coro<void> {
  const started = performance.now();
  yield* asyncio.sleep(delay);
  overshoots[index] = (performance.now() - started) / 1000 - delay;
}

function* main(): asyncio.Coro<Measurement> {
  const random = seededRandom();
  const overshoots = new Float64Array(TASKS);
  const started = performance.now();
  const tasks: asyncio.Task<void>[] = [];
  for (let i = 0; i < TASKS; i++) {
    tasks.push(asyncio.createTask(sleeper((random() * MAX_MS) / 1000, i, overshoots)));
  }
  for (const task of tasks) yield* task;
  return timersMeasurement((performance.now() - started) / 1000, overshoots);
}

export default defineWorkload({
  name: "timers",
  order: 30,
  title: `timers: ${TASKS.toLocaleString("en-US")} tasks x sleep(random 0-${MAX_MS} ms)`,
  unit: "s wall",
  better: "lower",
  implementations: [
    ours(() => asyncio.run(main())),
    nodeAnchor("node-settimeout", "Node async fn + setTimeout Promise", async () =>
      (await import("../js/timers.ts")).nodeSetTimeout(TASKS, MAX_MS),
    ),
    nodeAnchor(
      "effection",
      "Effection 4.1.1 sleep(ms)",
      async () => (await import("../js/timers.ts")).effection(TASKS, MAX_MS),
      { slow: true },
    ),
    ...pythonAnchors("py/timers.py", ["--tasks", String(TASKS), "--max-ms", String(MAX_MS)]),
  ],
  targets: [
    { kind: "speedup", anchor: "uvloop", atLeast: 5 },
    { kind: "speedup", anchor: "node-settimeout", atLeast: 1 },
  ],
  notes: [
    "Overshoot includes the time spent starting the other tasks, so it is lateness under load. asyncio (Python and asyncio-ts) starts a task's sleep on the loop's next iteration; a Node async function starts it synchronously at creation.",
  ],
});
