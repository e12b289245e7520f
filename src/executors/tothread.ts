/**
 * `toThread(fn, ...args)` (asyncio's `to_thread`): runs work in the running loop's default
 * executor, a ThreadPoolExecutor made on first use, and evaluates to its result. Context
 * variables do not cross to the worker: the work gets only its arguments.
 */

import { getRunningLoop } from "../core/events.ts";
import type { Future } from "../core/futures.ts";
import { runInExecutor } from "./loopmethods.ts";
import type { WorkFn } from "./work.ts";

/**
 * Runs `fn(...args)` on a worker thread of the loop's default executor; `yield*` it for the
 * result. The loop keeps running meanwhile.
 *
 * Cancel safety: cancelling the waiting task drops the work if it is queued and stops it if it
 * runs (its `workSignal()` aborts; after the executor's grace period its thread is terminated).
 *
 * @example
 * ```ts
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 *
 * function* main(): asyncio.Coro<void> {
 *   const n: number = yield* asyncio.toThread(tasks.fn("fib"), 35);   // the loop stays responsive
 *   console.log(n);
 * }
 * ```
 */
export function toThread<A extends unknown[], R>(fn: WorkFn<A, R>, ...args: NoInfer<A>): Future<R> {
  return runInExecutor.call(
    getRunningLoop(),
    null,
    fn as WorkFn<unknown[], unknown>,
    ...args,
  ) as Future<R>;
}
