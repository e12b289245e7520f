/**
 * poll anchors: how late an I/O event is handled while raw Node code keeps yielding through
 * setImmediate (each yield is one full turn of libuv, with an I/O poll), and with Node idle.
 */

import { latencyMeasurement, startIoProbe } from "../harness/ioprobe.ts";
import { nextImmediate } from "../harness/measure.ts";
import type { Measurement } from "../harness/workload.ts";

/** `tasks` async functions yield through setImmediate for `warmup` + `seconds`. */
export async function nodeImmediate(
  tasks: number,
  warmup: number,
  seconds: number,
): Promise<Measurement> {
  const probe = await startIoProbe();
  let switches = 0;
  const deadline = performance.now() + (warmup + seconds) * 1000;
  async function busy(): Promise<void> {
    while (performance.now() < deadline) {
      await nextImmediate();
      switches++;
    }
  }
  const workers: Promise<void>[] = [];
  for (let i = 0; i < tasks; i++) workers.push(busy());
  await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
  probe.begin();
  switches = 0;
  const started = performance.now();
  await Promise.all(workers);
  const elapsed = (performance.now() - started) / 1000;
  const lateness = await probe.end();
  await probe.close();
  return latencyMeasurement(lateness, switches, elapsed);
}

/** Nothing runs: the probe's own delivery latency. */
export async function idle(seconds: number): Promise<Measurement> {
  const probe = await startIoProbe();
  probe.begin();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const lateness = await probe.end();
  await probe.close();
  return latencyMeasurement(lateness, 0, seconds);
}
