/**
 * `wait()` (asyncio.wait): wait until some or all of a set of Futures and Tasks are done, or a
 * timeout passes, and return them split into `[done, pending]`. It never cancels anything and
 * never throws on timeout.
 */

import type { Awaitable, Coro } from "../core/coroutines.ts";
import { isCoroutine } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import { Future } from "../core/futures.ts";
import type { TimerHandle } from "../core/handles.ts";
import { FAILED, removeWaiter, stateOf, wakeWhenDone } from "../core/lowlevel.ts";
import { checkOptions } from "../core/validate.ts";

const WAIT_OPTIONS = ["timeout", "returnWhen"] as const;

/**
 * Return as soon as any future is done.
 *
 * @example
 * ```ts
 * const [done, pending] = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_COMPLETED });
 * ```
 */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/**
 * Return as soon as any future fails (or all are done).
 *
 * @example
 * ```ts
 * const [done, pending] = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_EXCEPTION });
 * ```
 */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/**
 * Return when every future is done (the default).
 *
 * @example
 * ```ts
 * const [done] = yield* asyncio.wait(tasks, { returnWhen: asyncio.ALL_COMPLETED, timeout: 5 });
 * ```
 */
export const ALL_COMPLETED = "ALL_COMPLETED";

/** When `wait()` returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of `wait()`. */
export interface WaitOptions {
  /** Return after this many seconds even if the condition is not met (null: no limit). */
  timeout?: number | null;
  /** `ALL_COMPLETED` (default), `FIRST_COMPLETED` or `FIRST_EXCEPTION`. */
  returnWhen?: ReturnWhen;
}

/**
 * The waiter `wait()` puts on its futures: one shared object, or one per future for
 * FIRST_EXCEPTION, which must know which future finished.
 */
class WaitWaiter {
  constructor(
    readonly state: WaitState,
    readonly future: Future<unknown> | null,
  ) {}

  _run(): void {
    const state = this.state;
    state.remaining--;
    const failed = this.future !== null && stateOf(this.future) === FAILED;
    if (state.remaining <= 0 || state.returnWhen === FIRST_COMPLETED || failed) state.release();
  }
}

class WaitState {
  remaining: number;
  timer: TimerHandle | null = null;
  constructor(
    readonly released: Future<void>,
    readonly returnWhen: ReturnWhen,
    count: number,
  ) {
    this.remaining = count;
  }

  release(): void {
    this.timer?.cancel();
    if (!this.released.done()) this.released.setResult(undefined);
  }
}

function releaseOnTimeout(state: WaitState): void {
  state.release();
}

/**
 * Waits for the Futures and Tasks in `futures` until `returnWhen` is met or `timeout` seconds
 * pass, and evaluates to `[done, pending]` (Sets, in the order given). Nothing is cancelled,
 * and a timeout is not an error: whatever is not done is in `pending`. Coroutines are refused:
 * wrap each in `createTask` so you keep a handle on it.
 *
 * Cancel safety: cancelling the waiting task ends the wait; the futures are untouched and
 * keep running.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const tasks = urls.map((url) => asyncio.createTask(download(url)));
 *   const [done, pending] = yield* asyncio.wait(tasks, {
 *     timeout: 5,
 *     returnWhen: asyncio.FIRST_COMPLETED,
 *   });
 *   for (const task of pending) task.cancel();
 *   for (const task of done) console.log(task.result());
 * }
 * ```
 */
export function wait<F extends Future<unknown>>(
  futures: Iterable<F>,
  options: WaitOptions = {},
): Awaitable<[Set<F>, Set<F>]> {
  if (futures instanceof Future || isCoroutine(futures)) {
    throw new TypeError(
      `wait() expects a list of futures, not ${futures instanceof Future ? "a single Future" : "a coroutine"}: wait([task])`,
    );
  }
  if (
    futures === null ||
    typeof futures !== "object" ||
    typeof (futures as Iterable<F>)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(`wait() expects a list of futures, got ${formatValue(futures)}`);
  }
  checkOptions(options, "wait()", WAIT_OPTIONS);
  const unique = new Set(futures);
  if (unique.size === 0) {
    throw new ValueError("Set of Tasks/Futures is empty: wait() needs at least one future");
  }
  let index = 0;
  for (const future of unique) {
    index++;
    if (isCoroutine(future)) {
      throw new TypeError(
        `wait() item ${index} is a coroutine: passing coroutines is forbidden, use tasks explicitly (asyncio.createTask(coro))`,
      );
    }
    if (!(future instanceof Future)) {
      throw new TypeError(
        `wait() item ${index} is not a Future or Task: ${formatValue(future)}; wrap awaitables with asyncio.ensureFuture()`,
      );
    }
  }
  const returnWhen = options.returnWhen ?? ALL_COMPLETED;
  if (
    returnWhen !== ALL_COMPLETED &&
    returnWhen !== FIRST_COMPLETED &&
    returnWhen !== FIRST_EXCEPTION
  ) {
    throw new ValueError(
      `Invalid returnWhen value: ${formatValue(returnWhen)}; use asyncio.FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED`,
    );
  }
  const timeout = checkTimeout(options.timeout, "wait()");
  return waitFutures(unique, timeout, returnWhen);
}

function* waitFutures<F extends Future<unknown>>(
  futures: Set<F>,
  timeout: number | null,
  returnWhen: ReturnWhen,
): Coro<[Set<F>, Set<F>]> {
  const loop = getRunningLoop();
  const state = new WaitState(loop.createFuture<void>(), returnWhen, futures.size);
  if (timeout !== null) state.timer = loop.callLater(timeout, releaseOnTimeout, state);
  const shared = returnWhen === FIRST_EXCEPTION ? null : new WaitWaiter(state, null);
  const waiters: WaitWaiter[] = [];
  for (const future of futures) {
    const waiter = shared ?? new WaitWaiter(state, future);
    waiters.push(waiter);
    wakeWhenDone(future, waiter);
  }
  try {
    yield* state.released;
  } finally {
    state.timer?.cancel();
    let index = 0;
    for (const future of futures) removeWaiter(future, waiters[index++]!);
  }
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const future of futures) (future.done() ? done : pending).add(future);
  return [done, pending];
}

/** A timeout option: a number of seconds or null; NaN and other values are refused. */
export function checkTimeout(value: unknown, where: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number") {
    throw new TypeError(
      `${where} timeout must be a number of seconds or null, got ${formatValue(value)}`,
    );
  }
  if (Number.isNaN(value)) {
    throw new ValueError(`${where} timeout must not be NaN: pass a number of seconds, or null`);
  }
  return value;
}
