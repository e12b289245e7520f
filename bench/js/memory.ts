/**
 * memory anchors: heap bytes per task pending in a long sleep, in raw Node (an async function
 * awaiting a setTimeout Promise) and in Effection (a spawned operation in sleep()).
 */

import { spawn as effectionSpawn, run, sleep, type Task } from "effection";
import { heapAfterGc, nextImmediate } from "../harness/measure.ts";
import type { Measurement } from "../harness/workload.ts";

const LONG_MS = 1_000_000;

export async function nodeSetTimeout(count: number): Promise<Measurement> {
  async function sleeper(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, LONG_MS));
  }
  const before = heapAfterGc();
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < count; i++) tasks.push(sleeper());
  await nextImmediate();
  const after = heapAfterGc();
  return { value: (after - before) / count, detail: { tasks: tasks.length } };
}

export function effection(count: number): Promise<Measurement> {
  return run(function* () {
    const before = heapAfterGc();
    const tasks: Task<void>[] = [];
    for (let i = 0; i < count; i++) {
      tasks.push(
        yield* effectionSpawn(function* () {
          yield* sleep(LONG_MS);
        }),
      );
    }
    yield* sleep(0);
    const after = heapAfterGc();
    return { value: (after - before) / count, detail: { tasks: tasks.length } };
  });
}
