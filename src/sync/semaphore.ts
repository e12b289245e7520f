/**
 * Semaphore and BoundedSemaphore: a counter of free slots (asyncio/locks.py, 3.13 rules).
 * `acquire()` takes a slot or waits for one; `release()` gives one back. Waiters are served
 * strictly in FIFO order: a newcomer never overtakes a waiter, a slot handed to a waiter that
 * is cancelled before it runs goes back to the count and on to the next waiter, and no waiter
 * is left waiting while a slot is free.
 */

import type { Awaitable, Coro, Yielded } from "../core/coroutines.ts";

import { ValueError } from "../core/exceptions.ts";
import { Future } from "../core/futures.ts";
import { Deque, DONE_TRUE, HandStepped } from "../core/lowlevel.ts";
import { checkInteger } from "../core/validate.ts";
import { countPending, LoopBound, waitInLine } from "./primitive.ts";

/** What `Semaphore.statistics()` reports. */
export interface SemaphoreStatistics {
  /** Free slots: how many `acquire()` calls could succeed before one has to wait. */
  value: number;
  /** Whether `acquire()` would wait now (no slot, or other tasks wait first). */
  locked: boolean;
  /** How many tasks wait in `acquire()`. */
  waiters: number;
}

/**
 * A counter of free slots: at most `value` tasks hold one at a time. Prefer
 * `asyncio.using(semaphore, body)`, which gives the slot back however the body ends.
 *
 * @example
 * ```ts
 * const limit = new asyncio.Semaphore(3);     // at most 3 downloads at once
 *
 * function* download(url: string): asyncio.Coro<string> {
 *   return yield* asyncio.using(limit, function* () {
 *     return yield* fetchPage(url);
 *   });
 * }
 * ```
 */
export class Semaphore extends LoopBound {
  /** @internal */ _value: number;
  /** @internal Futures of the tasks waiting in acquire(), oldest first. */
  readonly _waiters = new Deque<Future<boolean>>();
  readonly #acquire = new SemaphoreAcquire(this);

  /** A semaphore with `value` free slots (default 1); ValueError when negative. */
  constructor(value = 1) {
    super();
    this._value = checkInteger(value, "Semaphore(value)", "value", 0);
  }

  /**
   * Whether `acquire()` would wait now: no slot is free, or other tasks wait and go first.
   */
  locked(): boolean {
    if (this._value === 0) return true;
    const waiters = this._waiters;
    for (let index = 0; index < waiters.length; index++) {
      if (!waiters.at(index).cancelled()) return true;
    }
    return false;
  }

  /**
   * Takes a slot, waiting for one if none is free or other tasks wait first; evaluates to
   * true.
   *
   * Cancel safety: a task cancelled while waiting holds no slot. A slot that was handed to
   * it just before goes back to the semaphore and on to the next waiter: no slot is lost.
   *
   * @example
   * ```ts
   * yield* semaphore.acquire();
   * try { yield* work(); } finally { semaphore.release(); }
   * ```
   */
  acquire(): Awaitable<true> {
    return this.#acquire;
  }

  /**
   * Gives a slot back and hands it to the longest-waiting task, if any. A plain Semaphore may
   * be released more often than it was acquired (its count grows); BoundedSemaphore forbids it.
   */
  release(): void {
    this._value++;
    this._wakeUpNext();
  }

  /**
   * `async with semaphore:` as `yield* asyncio.using(semaphore, function* () { … })`.
   *
   * Cancel safety: as `acquire()`: cancelled, the task holds no slot and the body does not
   * run.
   */
  *aenter(): Awaitable<void> {
    yield* this.#acquire;
  }

  /**
   * Releases; never handles the body's error (returns false).
   *
   * Cancel safety: it does not wait, so it always releases.
   */
  *aexit(_error: unknown): Awaitable<false> {
    this.release();
    return false;
  }

  /** Free slots, whether acquire() would wait, and how many tasks wait. */
  statistics(): SemaphoreStatistics {
    return { value: this._value, locked: this.locked(), waiters: countPending(this._waiters) };
  }

  /** @internal */
  _describe(): string {
    const waiting = countPending(this._waiters);
    const state = this.locked() ? "locked" : `unlocked, value:${this._value}`;
    return `${state}${waiting > 0 ? `, waiters:${waiting}` : ""}`;
  }

  /** @internal Hands a slot to the first waiter not woken or cancelled yet; false if none. */
  _wakeUpNext(): boolean {
    const waiters = this._waiters;
    for (let index = 0; index < waiters.length; index++) {
      const waiter = waiters.at(index);
      if (!waiter.done()) {
        this._value--;
        waiter.setResult(true);
        return true;
      }
    }
    return false;
  }

  /** @internal acquire() when it has to wait its turn. */
  *_acquireSlow(): Coro<true> {
    const turn = new Future<boolean>(this._getLoop());
    try {
      yield* waitInLine(this._waiters, turn);
    } catch (error) {
      // Woken (a slot was counted out for this task) but cancelled before it ran: the slot
      // goes back, and the loop below hands it on.
      if (turn.done() && !turn.cancelled()) this._value++;
      throw error;
    } finally {
      // Newcomers may have queued behind this task while slots were free (FIFO): wake as
      // many as there are free slots.
      while (this._value > 0 && this._wakeUpNext());
    }
    return true;
  }
}

/**
 * A Semaphore that cannot be released more often than it was acquired: a release that would
 * raise the count above its initial value is a ValueError, which catches a double release.
 *
 * @example
 * ```ts
 * const pool = new asyncio.BoundedSemaphore(2);
 * yield* pool.acquire();
 * pool.release();
 * pool.release();   // ValueError: released too many times
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  readonly #bound: number;

  /** A bounded semaphore with `value` free slots (default 1), which is also its bound. */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  /** The initial value, which the count may never exceed. */
  get bound(): number {
    return this.#bound;
  }

  /** Gives a slot back; ValueError if that would exceed the initial value. */
  override release(): void {
    if (this._value >= this.#bound) {
      throw new ValueError(
        `BoundedSemaphore released too many times: its value is already ${this._value}, the bound it was created with`,
      );
    }
    super.release();
  }
}

/** What `semaphore.acquire()` returns: takes a slot at once, or waits (see primitive.ts). */
class SemaphoreAcquire extends HandStepped<true, Semaphore> {
  _call(): string {
    return "semaphore.acquire()";
  }

  _begin(): Iterator<Yielded, true, unknown> {
    return this._owner.locked() ? this._owner._acquireSlow() : this;
  }

  next(): IteratorResult<Yielded, true> {
    if (this._owner.locked()) throw this._drivenByHand();
    this._owner._value--;
    return DONE_TRUE;
  }
}
