/**
 * timers anchors: N concurrent tasks each sleeping a random 0..maxMs milliseconds, in raw Node
 * (an async function awaiting a setTimeout Promise) and in Effection (sleep(ms)). Overshoot is
 * wake-up time minus due time, per task.
 */

import { spawn as effectionSpawn, run, sleep, type Task } from "effection";
import { seededRandom, timersMeasurement } from "../harness/measure.ts";
import type { Measurement } from "../harness/workload.ts";

export async function nodeSetTimeout(count: number, maxMs: number): Promise<Measurement> {
  const random = seededRandom();
  const overshoots = new Float64Array(count);
  async function sleeper(index: number, delayMs: number): Promise<void> {
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    overshoots[index] = (performance.now() - started - delayMs) / 1000;
  }
  const started = performance.now();
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < count; i++) tasks.push(sleeper(i, random() * maxMs));
  for (const task of tasks) await task;
  return timersMeasurement((performance.now() - started) / 1000, overshoots);
}

export function effection(count: number, maxMs: number): Promise<Measurement> {
  const random = seededRandom();
  const overshoots = new Float64Array(count);
  return run(function* () {
    const started = performance.now();
    const tasks: Task<void>[] = [];
    for (let i = 0; i < count; i++) {
      const delayMs = random() * maxMs;
      tasks.push(
        yield* effectionSpawn(function* () {
          const slept = performance.now();
          yield* sleep(delayMs);
          overshoots[i] = (performance.now() - slept - delayMs) / 1000;
        }),
      );
    }
    for (const task of tasks) yield* task;
    return timersMeasurement((performance.now() - started) / 1000, overshoots);
  });
}
