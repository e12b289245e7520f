/**
 * `shield()` (asyncio.shield): wait for an awaitable without passing a cancellation on to it.
 * The waiting task is still cancelled; the shielded work runs on.
 *
 * The outer future is itself the waiter of the inner one (no callback or closure), which also
 * links them in the call graph.
 */

import { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import {
  addWaiter,
  CANCELLED,
  FAILED,
  outcomeOf,
  removeWaiter,
  stateOf,
} from "../core/lowlevel.ts";
import { ensureFuture } from "../core/tasks.ts";
import type { AwaitableLike, ResultOf } from "./awaitables.ts";

/** The future `shield()` returns: it follows the inner one, and cancelling it leaves that alone. */
class ShieldFuture<T> extends Future<T> {
  readonly #inner: Future<T>;

  constructor(loop: EventLoop, inner: Future<T>) {
    super(loop);
    this.#inner = inner;
  }

  override cancel(message?: string): boolean {
    if (!super.cancel(message)) return false;
    // Nobody waits for the inner result any more.
    if (!this.#inner.done()) removeWaiter(this.#inner, this);
    return true;
  }

  /** @internal The inner future is done: copy its outcome. */
  _run(): void {
    const inner = this.#inner;
    if (this.done()) {
      if (stateOf(inner) === FAILED) inner.exception();
      return;
    }
    if (stateOf(inner) === CANCELLED) this.cancel();
    else if (stateOf(inner) === FAILED) this.setException(inner.exception());
    else this.setResult(outcomeOf(inner) as T);
  }
}

/**
 * Waits for `awaitable` (a coroutine becomes a Task) while protecting it from cancellation:
 * if the waiting task is cancelled, it gets CancelledError at once, and the shielded work goes
 * on to the end. Cancelling the shielded task itself still cancels it. Keep a reference to a
 * task you shield if you want its result later.
 *
 * Cancel safety: this is its purpose; the shielded work is not interrupted, but its result is
 * lost to the cancelled waiter.
 *
 * @example
 * ```ts
 * function* handler(): asyncio.Coro<void> {
 *   const saving = asyncio.createTask(saveToDatabase(record));
 *   try {
 *     yield* asyncio.shield(saving);
 *   } catch (e) {
 *     if (!asyncio.isCancelledError(e)) throw e;
 *     console.log("cancelled; the save still completes");
 *     throw e;
 *   }
 * }
 * ```
 */
export function shield<A extends AwaitableLike>(awaitable: A): Future<ResultOf<A>> {
  const inner = ensureFuture(awaitable as AwaitableLike) as Future<ResultOf<A>>;
  if (inner.done()) return inner;
  const outer = new ShieldFuture(inner.getLoop(), inner);
  addWaiter(inner, outer);
  return outer;
}
