/**
 * The Executor interface (concurrent.futures' `Executor`): what ThreadPoolExecutor and
 * ProcessPoolExecutor have in common, and what `loop.runInExecutor` accepts. An executor runs
 * work named by module and export ({@link WorkFn}) somewhere other than the event loop's
 * thread and hands back Futures of the loop.
 */

import type { AsyncGen } from "../core/asyncgen.ts";
import type { Awaitable } from "../core/coroutines.ts";
import type { Future } from "../core/futures.ts";
import type { WorkFn } from "./work.ts";

/**
 * Options of `executor.shutdown()`.
 *
 * @example
 * ```ts
 * yield* pool.shutdown({ cancelFutures: true, timeout: 10 });
 * ```
 */
export interface ShutdownOptions {
  /**
   * Whether the returned awaitable waits until every queued and running item is done and the
   * workers have exited (default true). With false it is done at once; the work still runs.
   */
  wait?: boolean;
  /** Cancel the items still queued (running ones go on); default false. */
  cancelFutures?: boolean;
  /**
   * Real seconds after which work still running is stopped: its workers are terminated, its
   * futures cancelled, queued items cancelled. Default: no limit.
   */
  timeout?: number;
}

/**
 * Options of `executor.map()`.
 *
 * @example
 * ```ts
 * const results = pool.map(tasks.fn("parse"), lines, { chunksize: 64, timeout: 30 });
 * ```
 */
export interface MapOptions {
  /** Seconds (loop time) from the call within which every result must arrive, or TimeoutError. */
  timeout?: number | null;
  /** Items sent to a worker together, as one message (fewer round trips for small items). */
  chunksize?: number;
}

/**
 * What `shutdown()` returns: `yield*` it in a coroutine or `await` it in async code.
 *
 * @example
 * ```ts
 * yield* pool.shutdown();        // in a coroutine
 * await pool.shutdown();         // in an async function
 * ```
 */
export type ShutdownWait = Awaitable<void> & PromiseLike<void>;

/**
 * An executor's figures: workers, queue, outcomes, and times in seconds.
 *
 * @example
 * ```ts
 * const stats: asyncio.ExecutorStatistics = pool.statistics();
 * if (stats.queued > 100) console.warn(`${stats.queued} items wait for ${stats.maxWorkers} workers`);
 * ```
 */
export interface ExecutorStatistics {
  /** The most workers the executor runs at once. */
  maxWorkers: number;
  /** Workers alive now (starting, idle, busy or stopping). */
  workers: number;
  /** Workers running an item. */
  busy: number;
  /** Workers waiting for an item. */
  idle: number;
  /** Workers starting up. */
  starting: number;
  /** Items waiting for a worker. */
  queued: number;
  /** The queue's bound (Infinity when unbounded). */
  maxQueueSize: number;
  /** Tasks waiting in `submitWait()` for room in the queue. */
  waitingSubmitters: number;
  /** Items submitted so far. */
  submitted: number;
  /** Items that returned a result. */
  completed: number;
  /** Items that threw, or whose worker died. */
  failed: number;
  /** Items cancelled (queued or running). */
  cancelled: number;
  /** Workers started (replacements included). */
  workersStarted: number;
  /** Workers that died unexpectedly. */
  workerCrashes: number;
  /** Time items spent running in workers. */
  totalRunTime: number;
  maxRunTime: number;
  /** Time items spent queued before a worker took them. */
  totalWaitTime: number;
  maxWaitTime: number;
}

/**
 * Runs work away from the event loop. `submit` gives a Future of the loop at once;
 * `submitWait` waits for room in a bounded queue first; `map` runs a function over many items;
 * `shutdown` stops it. An executor is an async context manager: `using` shuts it down (and
 * waits) on exit.
 *
 * @example
 * ```ts
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 *
 * function* main(): asyncio.Coro<void> {
 *   yield* asyncio.using(new asyncio.ThreadPoolExecutor({ maxWorkers: 2 }), function* (pool) {
 *     const [a, b] = yield* asyncio.gather(pool.submit(tasks.fn("fib"), 30), pool.submit(tasks.fn("fib"), 31));
 *     console.log(a + b);
 *   });
 * }
 * ```
 */
export interface Executor {
  /**
   * Schedules `fn(...args)` and returns its Future. Throws ExecutorQueueFull when the queue is
   * full, RuntimeError after shutdown, the pool's broken error when it is broken.
   */
  submit<A extends unknown[], R>(fn: WorkFn<A, R>, ...args: NoInfer<A>): Future<R>;
  /** As `submit`, but waits while the queue is full instead of throwing. */
  submitWait<A extends unknown[], R>(fn: WorkFn<A, R>, ...args: NoInfer<A>): Awaitable<Future<R>>;
  /** Runs `fn(item)` for every item; the async generator gives the results in order. */
  map<T, R>(fn: WorkFn<[T], R>, items: Iterable<NoInfer<T>>, options?: MapOptions): AsyncGen<R>;
  /** Stops accepting work and lets the workers go when the work is done. */
  shutdown(options?: ShutdownOptions): ShutdownWait;
  /** `using` enters: the executor itself. */
  aenter(): Awaitable<this>;
  /** `using` exits: `shutdown({ wait: true })`; never suppresses the body's error. */
  aexit(error: unknown): Awaitable<false>;
  statistics(): ExecutorStatistics;
}
