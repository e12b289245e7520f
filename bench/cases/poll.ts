/**
 * poll: the I/O-poll latency that batching costs. asyncio-ts runs loop iterations back to back
 * for up to `loop.ioPollInterval` (default 0.25 ms) before it lets Node poll for I/O; this
 * measures how late an I/O event (a message from a worker thread, every millisecond) is
 * handled while tasks switch with `sleep(0)` as fast as they can (after a short warm-up), and what switch rate each
 * setting gives.
 */

import * as asyncio from "../../src/index.ts";
import { latencyMeasurement, startIoProbe } from "../harness/ioprobe.ts";
import { defineWorkload, type Measurement, nodeAnchor, ours } from "../harness/workload.ts";

const SECONDS = 0.4;
/** Busy time before the probe starts counting: lets the JIT warm up and the tasks start. */
const WARMUP_SECONDS = 0.1;

function* busy(deadline: number, counter: { switches: number }): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  while (loop.time() < deadline) {
    yield* asyncio.sleep(0);
    counter.switches++;
  }
}

/** `tasks` tasks switch for SECONDS with the loop's ioPollInterval set to `intervalMs`. */
async function busyLoop(tasks: number, intervalMs?: number): Promise<Measurement> {
  const probe = await startIoProbe();
  const counter = { switches: 0 };
  let elapsed = 0;
  let lateness: Promise<Float64Array> | null = null;
  await asyncio.run(
    (function* (): asyncio.Coro<void> {
      const loop = asyncio.getRunningLoop();
      if (intervalMs !== undefined) loop.ioPollInterval = intervalMs / 1000;
      const deadline = loop.time() + WARMUP_SECONDS + SECONDS;
      const workers: asyncio.Task<void>[] = [];
      for (let i = 0; i < tasks; i++) workers.push(asyncio.createTask(busy(deadline, counter)));
      yield* asyncio.sleep(WARMUP_SECONDS);
      probe.begin();
      counter.switches = 0;
      const started = loop.time();
      for (const worker of workers) yield* worker;
      elapsed = loop.time() - started;
      lateness = probe.end();
    })(),
  );
  const measured = await lateness!;
  await probe.close();
  return latencyMeasurement(measured, counter.switches, elapsed);
}

export default defineWorkload({
  name: "poll",
  order: 50,
  title: `poll: lateness of an I/O event (one per ms) while tasks switch for ${SECONDS} s`,
  unit: "ms p90",
  better: "lower",
  ratios: false,
  implementations: [
    ours(() => busyLoop(1)),
    nodeAnchor("asyncio-ts-0.1ms", "asyncio-ts, ioPollInterval 0.1 ms", () => busyLoop(1, 0.1)),
    nodeAnchor("asyncio-ts-1ms", "asyncio-ts, ioPollInterval 1 ms", () => busyLoop(1, 1)),
    nodeAnchor("asyncio-ts-10k", "asyncio-ts, 10,000 busy tasks", () => busyLoop(10_000)),
    nodeAnchor("node-immediate", "Node async fn + setImmediate", async () =>
      (await import("../js/poll.ts")).nodeImmediate(1, WARMUP_SECONDS, SECONDS),
    ),
    nodeAnchor("node-idle", "Node idle (the probe's own latency)", async () =>
      (await import("../js/poll.ts")).idle(SECONDS),
    ),
  ],
  targets: [{ kind: "bound", atMost: 1.5 }],
  notes: [
    "Rows are 1 busy task unless said. An iteration always runs every task that was ready when it began (asyncio's rule), so with many ready tasks the bound is one iteration, not ioPollInterval.",
    "p99 and max include the OS descheduling the process when other processes compete for the cores: compare them with the idle row of the same run.",
  ],
});
