/**
 * The bridge to Promises (DESIGN §4): `fromPromise` waits for one inside a coroutine;
 * `abortable` hands foreign work an AbortSignal that aborts when the waiting task is
 * cancelled. A promise that settles after its waiter was cancelled is ignored, never an
 * unhandled rejection.
 */

import { getRunningLoop } from "./events.ts";
import { CancelledError } from "./exceptions.ts";
import { formatValue } from "./format.ts";
import { Future } from "./futures.ts";
import type { EventLoop } from "./loop.ts";

/**
 * A Future that completes when `promise` settles, for `yield*` in a coroutine. Cancelling the
 * future (or the task waiting on it) stops the wait; the promise itself runs on.
 *
 * Cancel safety: the promise's eventual value or error is dropped, silently.
 *
 * @example
 * ```ts
 * function* readConfig(): asyncio.Coro<string> {
 *   return yield* asyncio.fromPromise(fs.promises.readFile("config.json", "utf8"));
 * }
 * ```
 */
export function fromPromise<T>(promise: PromiseLike<T> | T, loop?: EventLoop): Future<Awaited<T>> {
  const target = loop ?? getRunningLoop();
  target._checkClosed();
  return followPromise(new Future<Awaited<T>>(target), promise);
}

/**
 * Runs `start(signal)` and waits for the promise it returns; cancelling the waiting task aborts
 * `signal` (with a CancelledError as its reason), so `fetch` and other AbortSignal-aware APIs
 * really stop.
 *
 * Cancel safety: the signal aborts at the moment of cancellation; the wait ends without
 * waiting for the foreign work to notice.
 *
 * @example
 * ```ts
 * function* download(url: string): asyncio.Coro<string> {
 *   const response = yield* asyncio.abortable((signal) => fetch(url, { signal }));
 *   return yield* asyncio.abortable(() => response.text());
 * }
 * // yield* asyncio.waitFor(download(url), 5) aborts the fetch after 5 seconds.
 * ```
 */
export function abortable<T>(
  start: (signal: AbortSignal) => PromiseLike<T> | T,
): Future<Awaited<T>> {
  if (typeof start !== "function") {
    throw new TypeError(
      `abortable() expects a function (signal) => Promise, got ${formatValue(start)}`,
    );
  }
  const loop = getRunningLoop();
  loop._checkClosed();
  const controller = new AbortController();
  const future = new AbortingFuture<Awaited<T>>(loop, controller);
  let promise: PromiseLike<T> | T;
  try {
    promise = start(controller.signal);
  } catch (error) {
    future.setException(error);
    return future;
  }
  return followPromise(future, promise);
}

/** A future that aborts its controller when it is cancelled. */
class AbortingFuture<T> extends Future<T> {
  readonly #controller: AbortController;

  constructor(loop: EventLoop, controller: AbortController) {
    super(loop);
    this.#controller = controller;
  }

  override cancel(message?: string): boolean {
    if (!super.cancel(message)) return false;
    this.#controller.abort(new CancelledError(message ?? ""));
    return true;
  }
}

function followPromise<T>(
  future: Future<Awaited<T>>,
  promise: PromiseLike<T> | T,
): Future<Awaited<T>> {
  const loop = future._loop;
  loop._externalBegin();
  let waiting = true;
  const settled = () => {
    if (waiting) {
      waiting = false;
      loop._externalEnd();
    }
  };
  future._addWaiter({ _run: settled });
  Promise.resolve(promise).then(
    (value) => {
      settled();
      if (!future.done()) future.setResult(value as Awaited<T>);
    },
    (error: unknown) => {
      settled();
      if (!future.done()) future.setException(error);
    },
  );
  return future;
}
