/**
 * `workSignal()`: inside a work function running in a worker, the AbortSignal that aborts when
 * the task waiting for the work is cancelled. It is the cooperative half of stopping work: a
 * function that checks it (or passes it to `fetch`, timers, streams) ends early and its worker
 * lives on; one that never looks is terminated after the executor's grace period.
 *
 * The worker runs one work item at a time, and keeps the item's signal in a global slot (a
 * global symbol, so every copy of this module in the worker sees it).
 */

const SLOT_KEY = Symbol.for("asyncio-ts.executors.workSignal");

/** @internal The signal source of the work item a worker is running. */
export interface SignalSource {
  signal(): AbortSignal;
}

const neverAborted: SignalSource = {
  signal: () => NEVER.signal,
};
const NEVER = new AbortController();

/**
 * The AbortSignal of the work item running in this worker: it aborts (with an `AbortError`)
 * when the task waiting for the work is cancelled. Outside a worker (a work function called
 * directly) it is a signal that never aborts.
 *
 * @example
 * ```ts
 * // work.ts, run with pool.submit(tasks.fn("download"), url)
 * import { workSignal } from "asyncio-ts";
 * export async function download(url: string): Promise<string> {
 *   const response = await fetch(url, { signal: workSignal() });
 *   return await response.text();
 * }
 * ```
 */
export function workSignal(): AbortSignal {
  const holder = globalThis as { [SLOT_KEY]?: SignalSource | null };
  return (holder[SLOT_KEY] ?? neverAborted).signal();
}

/** @internal The worker sets the running item's signal source (null between items). */
export function setSignalSource(source: SignalSource | null): void {
  (globalThis as { [SLOT_KEY]?: SignalSource | null })[SLOT_KEY] = source;
}
