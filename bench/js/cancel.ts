/**
 * cancel anchors: N pending sleeps stopped, then each awaited, in raw Node (an async function
 * awaiting timers/promises' setTimeout with an AbortSignal, then aborted) and in Effection
 * (spawned operations in sleep(), halted).
 */

import { setTimeout as sleepMs } from "node:timers/promises";
import { spawn as effectionSpawn, run, sleep, type Task } from "effection";
import { nextImmediate } from "../harness/measure.ts";
import type { Measurement } from "../harness/workload.ts";

const LONG_MS = 1_000_000;

export async function nodeAbort(count: number): Promise<Measurement> {
  async function sleeper(signal: AbortSignal): Promise<void> {
    await sleepMs(LONG_MS, undefined, { signal });
  }
  const controllers: AbortController[] = [];
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const controller = new AbortController();
    controllers.push(controller);
    tasks.push(sleeper(controller.signal));
  }
  await nextImmediate();
  const started = performance.now();
  for (const controller of controllers) controller.abort();
  let cancelled = 0;
  for (const task of tasks) {
    try {
      await task;
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
      cancelled++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { value: count / seconds, detail: { total_s: seconds, cancelled } };
}

export function effection(count: number): Promise<Measurement> {
  return run(function* () {
    const tasks: Task<void>[] = [];
    for (let i = 0; i < count; i++) {
      tasks.push(
        yield* effectionSpawn(function* () {
          yield* sleep(LONG_MS);
        }),
      );
    }
    yield* sleep(0);
    const started = performance.now();
    for (const task of tasks) yield* task.halt();
    const seconds = (performance.now() - started) / 1000;
    return { value: count / seconds, detail: { total_s: seconds, cancelled: count } };
  });
}
