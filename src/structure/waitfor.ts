/**
 * `waitFor()` (asyncio.wait_for, 3.12 semantics): wait for one awaitable with a timeout, built
 * on `timeout()`. On expiry the awaited work is cancelled and waited for, then TimeoutError is
 * thrown; so when waitFor throws, the work has stopped.
 */

import type { Awaitable, Coro } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { CancelledError, TimeoutError, ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import { addWaiter, removeWaiter } from "../core/lowlevel.ts";
import { ensureFuture } from "../core/tasks.ts";
import { type AwaitableLike, checkAwaitable, type ResultOf } from "./awaitables.ts";
import { using } from "./contextmanagers.ts";
import { timeout } from "./timeouts.ts";

/**
 * Waits for `awaitable` for at most `seconds` (null: no limit) and evaluates to its result. A
 * coroutine runs inside the calling task; a Task or Future is awaited. On timeout the work is
 * cancelled, waited for, and TimeoutError is thrown. A zero or negative timeout gives a result
 * only if the awaitable is already done (a coroutine is not even started).
 *
 * Cancel safety: cancelling the waiting task cancels the awaited work too (wrap it in
 * `shield()` to keep it running); the task gets CancelledError once the work has ended. If
 * the work swallows the cancellation and returns a value, that value is returned.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   try {
 *     const page = yield* asyncio.waitFor(download(url), 5);
 *     console.log(page.length);
 *   } catch (e) {
 *     if (!(e instanceof asyncio.TimeoutError)) throw e;
 *     console.log("no answer within 5 seconds; the download was stopped");
 *   }
 * }
 * ```
 */
export function waitFor<A extends AwaitableLike>(
  awaitable: A,
  seconds: number | null,
): Awaitable<ResultOf<A>> {
  checkAwaitable(awaitable, "waitFor()");
  if (seconds !== null && typeof seconds !== "number") {
    throw new TypeError(
      `waitFor() timeout must be a number of seconds or null, got ${formatValue(seconds)}`,
    );
  }
  if (Number.isNaN(seconds)) {
    throw new ValueError("waitFor() timeout must not be NaN: pass a number of seconds, or null");
  }
  if (seconds !== null && seconds <= 0) return expireNow(awaitable);
  return waitWithin(awaitable, seconds);
}

function* waitWithin<A extends AwaitableLike>(
  awaitable: A,
  seconds: number | null,
): Coro<ResultOf<A>> {
  const result = yield* using(timeout(seconds), function* () {
    const target = isPromiseOnly(awaitable) ? ensureFuture(awaitable) : awaitable;
    return (yield* target as Iterable<never, ResultOf<A>, unknown>) as ResultOf<A>;
  });
  return result;
}

/** A timeout of zero or less: only a result that is there already counts. */
function* expireNow<A extends AwaitableLike>(awaitable: A): Coro<ResultOf<A>> {
  const future = ensureFuture(awaitable) as Future<ResultOf<A>>;
  if (future.done()) return future.result();
  yield* cancelAndWait(future);
  try {
    return future.result();
  } catch (error) {
    if (error instanceof CancelledError) {
      throw new TimeoutError("timed out: waitFor() was given a timeout of zero or less", {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Cancels `future` and waits until it is done. The wait is on a separate future, so a
 * cancellation of the calling task ends the wait without being passed on again.
 */
function* cancelAndWait(future: Future<unknown>): Coro<void> {
  const released = getRunningLoop().createFuture<void>();
  const waiter = {
    _run(): void {
      if (!released.done()) released.setResult(undefined);
    },
  };
  addWaiter(future, waiter);
  try {
    future.cancel();
    yield* released;
  } finally {
    removeWaiter(future, waiter);
  }
}

function isPromiseOnly(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof (value as Iterable<unknown>)[Symbol.iterator] !== "function" &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}
