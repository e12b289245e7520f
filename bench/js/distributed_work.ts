/**
 * The work of the `distributed` workload: a trivial job for throughput, and one that records
 * that it started, waits for its cancel signal and records when it arrived, for the cancel
 * latency.
 */

import { appendFileSync } from "node:fs";
import { workSignal } from "../../src/index.ts";

export function add(a: number, b: number): number {
  return a + b;
}

/**
 * Appends `TAG start` to `path`, waits until cancelled, then appends `TAG abort DATE_NOW`.
 */
export async function awaitCancel(path: string, tag: number): Promise<null> {
  const signal = workSignal();
  appendFileSync(path, `${tag} start\n`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  appendFileSync(path, `${tag} abort ${Date.now()}\n`);
  return null;
}
