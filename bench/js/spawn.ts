/**
 * spawn anchors: N concurrent tasks that each yield `yields` times, all awaited in creation
 * order, in raw Node (async functions yielding through setImmediate, or through a microtask)
 * and in Effection (spawned operations yielding with sleep(0)).
 */

import { spawn as effectionSpawn, run, sleep, type Task } from "effection";
import { nextImmediate } from "../harness/measure.ts";
import type { Measurement } from "../harness/workload.ts";

function perSecond(count: number, started: number): Measurement {
  const seconds = (performance.now() - started) / 1000;
  return { value: count / seconds, detail: { total_s: seconds } };
}

/** Async functions that yield through setImmediate: one libuv turn per yield, like sleep(0). */
export async function nodeImmediate(count: number, yields: number): Promise<Measurement> {
  async function worker(): Promise<void> {
    for (let i = 0; i < yields; i++) await nextImmediate();
  }
  const started = performance.now();
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < count; i++) tasks.push(worker());
  for (const task of tasks) await task;
  return perSecond(count, started);
}

/** Async functions that yield with `await null`: a microtask, no turn of the event loop. */
export async function nodeAwaitNull(count: number, yields: number): Promise<Measurement> {
  async function worker(): Promise<void> {
    for (let i = 0; i < yields; i++) await null;
  }
  const started = performance.now();
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < count; i++) tasks.push(worker());
  for (const task of tasks) await task;
  return perSecond(count, started);
}

/** Effection: spawned operations that yield with sleep(0) (a setTimeout of 0, clamped to 1 ms). */
export function effection(count: number, yields: number): Promise<Measurement> {
  return run(function* () {
    const started = performance.now();
    const tasks: Task<void>[] = [];
    for (let i = 0; i < count; i++) {
      tasks.push(
        yield* effectionSpawn(function* () {
          for (let j = 0; j < yields; j++) yield* sleep(0);
        }),
      );
    }
    for (const task of tasks) yield* task;
    return perSecond(count, started);
  });
}
