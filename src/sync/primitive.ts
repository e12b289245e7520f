/**
 * What the primitives of src/sync share (asyncio's `mixins._LoopBoundMixin` and a little
 * more): the loop a primitive binds to the first time a task has to wait on it, the printed
 * form, and the line of waiter futures a waiting task joins.
 *
 * A primitive's waiting methods (`acquire()`, `wait()`, `get()`, `put()`) return hand-stepped
 * awaitables (core/handstepped.ts): allocation-free when the operation can complete at once,
 * started only by `yield*`, and awaited once.
 */

import type { Coro } from "../core/coroutines.ts";

import { getRunningLoop } from "../core/events.ts";
import { RuntimeError } from "../core/exceptions.ts";
import { inspectSymbol } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import type { Deque } from "../core/lowlevel.ts";

/**
 * Base of every primitive: binds to the running loop the first time it needs one, and prints
 * `describe()`. Not exported from the package, but in its types: the primitives extend it.
 */
export abstract class LoopBound {
  /** @internal The loop this primitive belongs to, once a task waited on it. */
  _loop: EventLoop | null = null;

  /** @internal The running loop, which must be the one this primitive is bound to. */
  _getLoop(): EventLoop {
    const loop = getRunningLoop();
    if (this._loop === null) this._loop = loop;
    else if (this._loop !== loop) {
      throw new RuntimeError(
        `${this} is bound to a different event loop: a primitive belongs to the loop that first waited on it; make one per loop`,
      );
    }
    return loop;
  }

  /** @internal What the brackets of the printed form say (`locked, waiters:2`). */
  abstract _describe(): string;

  toString(): string {
    return `<${this.constructor.name} [${this._describe()}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** @internal How many of `waiters` are still pending (not woken, not cancelled). */
export function countPending(waiters: Deque<Future<unknown>>): number {
  let pending = 0;
  for (let index = 0; index < waiters.length; index++) {
    if (!waiters.at(index).done()) pending++;
  }
  return pending;
}

/**
 * @internal Waits for `waiter` in line behind `waiters` (it joins at the tail), and leaves the
 * line however the wait ends. What the waiter was woken with is the caller's to read.
 */
export function* waitInLine<T>(waiters: Deque<Future<T>>, waiter: Future<T>): Coro<void> {
  waiters.push(waiter);
  try {
    yield* waiter;
  } finally {
    waiters.remove(waiter);
  }
}
