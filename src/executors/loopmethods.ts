/**
 * The event loop's executor methods (asyncio's `run_in_executor`, `set_default_executor`,
 * `shutdown_default_executor`) as functions called with the loop as `this`; src/loopmethods.ts
 * installs them on EventLoop. The default executor's shutdown is registered as one of the
 * loop's shutdown hooks, which `run()` and `Runner.close()` run before closing the loop.
 */

import type { Awaitable } from "../core/coroutines.ts";
import { RuntimeError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { Future } from "../core/futures.ts";

import type { EventLoop } from "../core/loop.ts";
import { addShutdownHook, checkClosed, logger } from "../core/lowlevel.ts";
import type { Executor } from "./executor.ts";
import { WorkerPool } from "./pool.ts";
import { ThreadPoolExecutor } from "./threadpool.ts";
import type { AnyWorkFn, WorkFn } from "./work.ts";

/** How long `run()` lets the default executor finish its work (asyncio's THREAD_JOIN_TIMEOUT). */
const THREAD_JOIN_TIMEOUT = 300;

interface DefaultExecutor {
  executor: Executor | null;
  shutdownCalled: boolean;
}

const defaults = new WeakMap<EventLoop, DefaultExecutor>();

function defaultOf(loop: EventLoop): DefaultExecutor {
  let state = defaults.get(loop);
  if (state === undefined) {
    state = { executor: null, shutdownCalled: false };
    defaults.set(loop, state);
    addShutdownHook(loop, () => shutdownDefaultExecutor.call(loop, THREAD_JOIN_TIMEOUT));
  }
  return state;
}

/**
 * Runs `fn(...args)` in `executor`, or in the loop's default executor when it is null (a
 * ThreadPoolExecutor made on first use); returns the Future of the result.
 *
 * Cancel safety: cancelling the future (or the task waiting on it) drops the work if it is
 * still queued, and stops it if it runs (see `ThreadPoolExecutor`'s `cancelGracePeriod`).
 *
 * @example
 * ```ts
 * const loop = asyncio.getRunningLoop();
 * const digest = yield* loop.runInExecutor(null, tasks.fn("sha256"), data);
 * ```
 */
export function runInExecutor<A extends unknown[], R>(
  this: EventLoop,
  executor: Executor | null,
  fn: WorkFn<A, R>,
  ...args: NoInfer<A>
): Future<R> {
  checkClosed(this);
  if (executor === null) {
    const state = defaultOf(this);
    if (state.shutdownCalled) {
      throw new RuntimeError(
        "Executor shutdown has been called: the loop's default executor is shut down; pass an executor of your own",
      );
    }
    state.executor ??= new ThreadPoolExecutor();
    executor = state.executor;
  }
  if (executor instanceof WorkerPool) {
    return executor._submitOn(this, fn as unknown as AnyWorkFn, args, false) as Future<R>;
  }
  checkExecutor(executor, "runInExecutor");
  return executor.submit(fn, ...args);
}

/**
 * Makes `executor` the one `runInExecutor(null, …)` and `toThread` use.
 *
 * @example
 * ```ts
 * asyncio.getRunningLoop().setDefaultExecutor(new asyncio.ThreadPoolExecutor({ maxWorkers: 8 }));
 * ```
 */
export function setDefaultExecutor(this: EventLoop, executor: Executor): void {
  checkExecutor(executor, "setDefaultExecutor");
  defaultOf(this).executor = executor;
}

/**
 * Shuts the default executor down and waits until its work is done, at most `timeout`
 * real seconds (null: no limit); what still runs then is terminated, with a warning.
 * Afterwards `runInExecutor(null, …)` throws. `run()` calls it with a 300-second timeout.
 *
 * Cancel safety: cancelled while waiting, the executor's running work is terminated.
 *
 * @example
 * ```ts
 * yield* asyncio.getRunningLoop().shutdownDefaultExecutor(10);
 * ```
 */
export function* shutdownDefaultExecutor(
  this: EventLoop,
  timeout: number | null = null,
): Awaitable<void> {
  if (timeout !== null && (typeof timeout !== "number" || !(timeout >= 0))) {
    throw new TypeError(
      `shutdownDefaultExecutor() timeout must be seconds >= 0 or null, got ${formatValue(timeout)}`,
    );
  }
  const state = defaultOf(this);
  state.shutdownCalled = true;
  const executor = state.executor;
  if (executor === null) return;
  state.executor = null;
  yield* executor.shutdown({ wait: true, timeout: timeout ?? Infinity });
  if (executor instanceof WorkerPool && executor._forcedBy !== null) {
    logger.warning(
      `The default executor did not finish its work within ${timeout} seconds; the work still running was terminated`,
    );
  }
}

function checkExecutor(executor: unknown, method: string): void {
  const candidate = executor as Executor | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    typeof candidate.submit !== "function" ||
    typeof candidate.shutdown !== "function"
  ) {
    throw new TypeError(
      `${method}() expects an executor (ThreadPoolExecutor, ProcessPoolExecutor, or an object with submit() and shutdown()), got ${formatValue(executor)}`,
    );
  }
}
