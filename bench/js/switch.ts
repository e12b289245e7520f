/**
 * switch anchors: one task yielding `count` times in a row, in raw Node (setImmediate, or a
 * microtask) and in Effection (sleep(0), which is a 1 ms timer, or an action resolved on
 * setImmediate, which shows Effection's own cost without the timer clamp).
 */

import { action, run, sleep } from "effection";
import { nextImmediate } from "../harness/measure.ts";
import type { Measurement } from "../harness/workload.ts";

function perSecond(count: number, started: number): Measurement {
  const seconds = (performance.now() - started) / 1000;
  return { value: count / seconds, detail: { count, total_s: seconds } };
}

export async function nodeImmediate(count: number): Promise<Measurement> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await nextImmediate();
  return perSecond(count, started);
}

export async function nodeAwaitNull(count: number): Promise<Measurement> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await null;
  return perSecond(count, started);
}

export function effectionSleep(count: number): Promise<Measurement> {
  return run(function* () {
    const started = performance.now();
    for (let i = 0; i < count; i++) yield* sleep(0);
    return perSecond(count, started);
  });
}

export function effectionImmediate(count: number): Promise<Measurement> {
  return run(function* () {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      yield* action<void>((resolve) => {
        const immediate = setImmediate(resolve);
        return () => clearImmediate(immediate);
      });
    }
    return perSecond(count, started);
  });
}
