/**
 * The errors of the executors layer (concurrent.futures' `BrokenExecutor` family, plus what
 * sending work to another thread or process adds): a worker that died, an argument or result
 * that cannot cross to a worker, an error thrown in a worker whose class only exists there,
 * and a full queue.
 */

import { RuntimeError } from "../core/exceptions.ts";

/**
 * How a worker ended: its exit code, or the signal that killed it (processes), and why.
 *
 * @example
 * ```ts
 * const exit: asyncio.WorkerExit = { exitCode: 1, signal: null };
 * ```
 */
export interface WorkerExit {
  exitCode?: number | null;
  signal?: string | null;
  cause?: unknown;
}

/**
 * A worker died while running work (it crashed, called `process.exit`, ran out of memory,
 * was killed), or the pool's workers keep failing at start-up. The work's future fails with
 * it; the pool replaces the worker. `exitCode` / `signal` say how the worker ended.
 *
 * @example
 * ```ts
 * try {
 *   yield* pool.submit(work.fn("crunch"), data);
 * } catch (e) {
 *   if (e instanceof asyncio.BrokenExecutor) console.log("worker died:", e.exitCode, e.signal);
 * }
 * ```
 */
export class BrokenExecutor extends RuntimeError {
  /** The worker's exit code, or null when it was killed by a signal or did not exit. */
  readonly exitCode: number | null;
  /** The signal that killed the worker process (`"SIGKILL"`, …), or null. */
  readonly signal: string | null;

  constructor(message: string, exit: WorkerExit = {}) {
    super(message, exit.cause === undefined ? undefined : { cause: exit.cause });
    this.exitCode = exit.exitCode ?? null;
    this.signal = exit.signal ?? null;
  }
}

/**
 * A worker thread of a {@link ThreadPoolExecutor} died (Python's
 * `concurrent.futures.thread.BrokenThreadPool`).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof asyncio.BrokenThreadPool) console.log(e.message); }
 * ```
 */
export class BrokenThreadPool extends BrokenExecutor {}

/**
 * A worker process of a {@link ProcessPoolExecutor} died (Python's
 * `concurrent.futures.process.BrokenProcessPool`).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof asyncio.BrokenProcessPool) console.log(e.signal ?? e.exitCode); }
 * ```
 */
export class BrokenProcessPool extends BrokenExecutor {}

/**
 * An argument (or a result) cannot be sent between threads or processes: functions, symbols,
 * sockets and other handles cannot be copied. The message names the argument.
 *
 * @example
 * ```ts
 * try {
 *   yield* pool.submit(work.fn("apply"), () => 1);   // a function cannot be sent
 * } catch (e) {
 *   if (e instanceof asyncio.UnsendableError) console.log(e.message);
 * }
 * ```
 */
export class UnsendableError extends TypeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UnsendableError";
  }
}

/**
 * An error thrown by work running in a worker, whose class exists only there. `name`,
 * `message` and `stack` are the original's, as are its other own data properties (`code`, …)
 * and its `cause`. Built-in errors (`TypeError`, `RangeError`, …) come back as their own class.
 *
 * @example
 * ```ts
 * try {
 *   yield* pool.submit(work.fn("validate"), input);
 * } catch (e) {
 *   if (e instanceof asyncio.WorkerError && e.name === "ValidationError") console.log(e.stack);
 * }
 * ```
 */
export class WorkerError extends Error {}

/**
 * `submit()` was called while the executor's queue holds `maxQueueSize` items. Wait for room
 * with `yield* executor.submitWait(fn, ...args)` instead.
 *
 * @example
 * ```ts
 * const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 2, maxQueueSize: 100 });
 * const future = yield* pool.submitWait(work.fn("crunch"), chunk);   // waits while full
 * ```
 */
export class ExecutorQueueFull extends RuntimeError {}
