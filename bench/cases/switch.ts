/**
 * switch: one task yields 1,000,000 times in a row with `sleep(0)`: the cost of one trip
 * through the ready queue. Switches per second.
 */

import * as asyncio from "../../src/index.ts";
import { withTraceRing } from "../harness/trace.ts";
import { defineWorkload, nodeAnchor, ours, pythonAnchors } from "../harness/workload.ts";

const COUNT = 1_000_000;
/**
 * The anchors that go through a full event-loop turn per switch (a few microseconds each) run
 * 100,000: their rate does not depend on the count, and a million would take most of the
 * bench's time budget.
 */
const ANCHOR_COUNT = 100_000;
/** Effection's sleep(0) is a 1 ms timer: a million of them would take 17 minutes. */
const EFFECTION_SLEEP_COUNT = 500;

function* main(): asyncio.Coro<{ value: number; detail: { count: number; total_s: number } }> {
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) yield* asyncio.sleep(0);
  const seconds = (performance.now() - started) / 1000;
  return { value: COUNT / seconds, detail: { count: COUNT, total_s: seconds } };
}

export default defineWorkload({
  name: "switch",
  order: 20,
  title: `switch: 1 task x ${COUNT.toLocaleString("en-US")} sleep(0) in a row`,
  unit: "switches/s",
  better: "higher",
  implementations: [
    ours(() => asyncio.run(main())),
    nodeAnchor("traced", "asyncio-ts, tracing on (ring of 100,000 events)", () =>
      withTraceRing((trace) => asyncio.run(main(), { trace })),
    ),
    nodeAnchor("node-immediate", "Node async fn + setImmediate [100,000]", async () =>
      (await import("../js/switch.ts")).nodeImmediate(ANCHOR_COUNT),
    ),
    nodeAnchor("node-await-null", "Node async fn + await null (microtask)", async () =>
      (await import("../js/switch.ts")).nodeAwaitNull(COUNT),
    ),
    nodeAnchor("effection", "Effection 4.1.1 sleep(0) [500 only]", async () =>
      (await import("../js/switch.ts")).effectionSleep(EFFECTION_SLEEP_COUNT),
    ),
    nodeAnchor("effection-immediate", "Effection 4.1.1 action(setImmediate) [100,000]", async () =>
      (await import("../js/switch.ts")).effectionImmediate(ANCHOR_COUNT),
    ),
    ...pythonAnchors("py/switch.py", ["--count", String(ANCHOR_COUNT)]).map((impl) => ({
      ...impl,
      label: `${impl.label} [100,000]`,
    })),
  ],
  targets: [{ kind: "speedup", anchor: "uvloop", atLeast: 3 }],
  notes: [
    "Rows marked [100,000] run 100,000 switches (each is a full event-loop turn, a constant cost) to keep the bench short; [500]: Effection's sleep(0) is setTimeout(0), clamped by Node to 1 ms; action(setImmediate) shows Effection's own cost.",
    "asyncio-ts runs loop iterations back to back for up to loop.ioPollInterval (1 ms) before Node polls I/O: see the poll workload for what that costs in latency.",
  ],
});
