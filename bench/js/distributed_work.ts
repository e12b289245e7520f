/**
 * The work of the `distributed` workload: a trivial job for throughput, and one that waits for
 * its cancel signal and records when it arrived, for the cancel latency.
 */

import { appendFileSync } from "node:fs";
import { workSignal } from "../../src/index.ts";

export function add(a: number, b: number): number {
  return a + b;
}

/** Waits until cancelled, then appends `Date.now()` and the job's tag to `path`. */
export async function awaitCancel(path: string, tag: number): Promise<null> {
  const signal = workSignal();
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  appendFileSync(path, `${tag} ${Date.now()}\n`);
  return null;
}
