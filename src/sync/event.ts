/**
 * Event: a flag tasks can wait for (asyncio/locks.py `Event`). `set()` wakes every waiter at
 * once; tasks that wait while it is set pass straight through; `clear()` lowers it again.
 */

import type { Awaitable, Coro, Yielded } from "../core/coroutines.ts";

import { Future } from "../core/futures.ts";
import { Deque, DONE_TRUE, HandStepped } from "../core/lowlevel.ts";
import { countPending, LoopBound, waitInLine } from "./primitive.ts";

/** What `Event.statistics()` reports. */
export interface EventStatistics {
  /** Whether the flag is set. */
  set: boolean;
  /** How many tasks wait for it. */
  waiters: number;
}

/**
 * A flag that tasks wait for: `yield* event.wait()` returns once `event.set()` was called.
 *
 * @example
 * ```ts
 * const ready = new asyncio.Event();
 *
 * function* worker(): asyncio.Coro<void> {
 *   yield* ready.wait();          // blocks until set()
 *   console.log("go");
 * }
 *
 * function* main(): asyncio.Coro<void> {
 *   const task = asyncio.createTask(worker());
 *   yield* asyncio.sleep(1);
 *   ready.set();                  // wakes every waiter
 *   yield* task;
 * }
 * ```
 */
export class Event extends LoopBound {
  /** @internal */ _value = false;
  /** @internal Futures of the waiting tasks, oldest first. */
  readonly _waiters = new Deque<Future<boolean>>();
  readonly #wait = new EventWait(this);

  /** Whether the flag is set. */
  isSet(): boolean {
    return this._value;
  }

  /** Sets the flag and wakes every waiting task, in the order they started waiting. */
  set(): void {
    if (this._value) return;
    this._value = true;
    const waiters = this._waiters;
    for (let index = 0; index < waiters.length; index++) {
      const waiter = waiters.at(index);
      if (!waiter.done()) waiter.setResult(true);
    }
  }

  /** Lowers the flag: tasks that call `wait()` from now on block until the next `set()`. */
  clear(): void {
    this._value = false;
  }

  /**
   * Waits until the flag is set; evaluates to true. Returns at once when it is set already.
   * A task woken by `set()` returns even if `clear()` was called before it ran.
   *
   * Cancel safety: cancelling the wait only ends it; the event is unchanged and the other
   * waiters still wake.
   *
   * @example
   * ```ts
   * yield* shutdownRequested.wait();
   * ```
   */
  wait(): Awaitable<true> {
    return this.#wait;
  }

  /** Whether the flag is set and how many tasks wait. */
  statistics(): EventStatistics {
    return { set: this._value, waiters: countPending(this._waiters) };
  }

  /** @internal */
  _describe(): string {
    const waiting = countPending(this._waiters);
    return `${this._value ? "set" : "unset"}${waiting > 0 ? `, waiters:${waiting}` : ""}`;
  }

  /** @internal wait() while the flag is down. */
  *_waitSlow(): Coro<true> {
    yield* waitInLine(this._waiters, new Future<boolean>(this._getLoop()));
    return true;
  }
}

/** What `event.wait()` returns: done at once when the flag is set (see primitive.ts). */
class EventWait extends HandStepped<true, Event> {
  _call(): string {
    return "event.wait()";
  }

  _begin(): Iterator<Yielded, true, unknown> {
    return this._owner._value ? this : this._owner._waitSlow();
  }

  next(): IteratorResult<Yielded, true> {
    if (!this._owner._value) throw this._drivenByHand();
    return DONE_TRUE;
  }
}
