/**
 * Helpers the Node implementations share: a seeded random source (every implementation of a
 * workload draws the same kind of delays), percentiles, timer-overshoot summaries, and heap
 * measurement around a forced garbage collection (the child runs with --expose-gc).
 */

import type { Measurement } from "./workload.ts";

/** A seeded uniform random source in [0, 1) (mulberry32): same sequence on every run. */
export function seededRandom(seed = 1): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value at `fraction` (0..1) of an ascending array, nearest rank. */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.round(fraction * (sorted.length - 1))),
  );
  return sorted[index]!;
}

/** A timers Measurement: wall seconds, with overshoot percentiles (given in seconds) in ms. */
export function timersMeasurement(wallSeconds: number, overshoots: Float64Array): Measurement {
  overshoots.sort();
  return {
    value: wallSeconds,
    detail: {
      over_p50_ms: percentile(overshoots, 0.5) * 1000,
      over_p99_ms: percentile(overshoots, 0.99) * 1000,
      over_max_ms: overshoots[overshoots.length - 1]! * 1000,
    },
  };
}

/** Heap bytes in use after a full garbage collection. */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run node with --expose-gc (npm run bench does)");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A Promise resolved on Node's next check phase (one full turn of its event loop). */
export function nextImmediate(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
