/**
 * Helpers of the executor tests: the fixture work module, gates that hold a worker without
 * burning CPU (shared memory), and a real-time wait for a condition.
 */

import * as asyncio from "../../src/index.ts";
import type * as work from "./fixtures/work.ts";

export const tasks = asyncio.workModule<typeof work>(
  new URL("./fixtures/work.ts", import.meta.url),
);

/** A gate for `block(gate, ms)`: slot 0 opens it, slot 1 counts the items that started. */
export function newGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8));
}

export function open(gate: Int32Array): void {
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
}

export function started(gate: Int32Array): number {
  return Atomics.load(gate, 1);
}

/** Waits (polling, real time) until `condition()` holds; fails after `seconds`. */
export function* until(condition: () => boolean, seconds = 5): asyncio.Coro<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${seconds} s`);
    yield* realSleep(0.005);
  }
}

/** Waits `seconds` of real time. */
export function* realSleep(seconds: number): asyncio.Coro<void> {
  yield* asyncio.fromPromise(new Promise((resolve) => setTimeout(resolve, seconds * 1000)));
}

/** The error the awaitable made by `make` fails with (fails the test if it succeeds). */
export function* failure(make: () => asyncio.Awaitable<unknown>): asyncio.Coro<unknown> {
  try {
    yield* make();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

/** Runs `body` as the main coroutine of `asyncio.run`. */
export function runMain<T>(body: () => asyncio.Coro<T>, options?: asyncio.RunOptions): Promise<T> {
  return asyncio.run(body(), options);
}
