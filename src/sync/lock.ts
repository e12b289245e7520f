/**
 * Lock: mutual exclusion between tasks (asyncio/locks.py `Lock`). FIFO and fair: a task that
 * finds the lock free while others wait queues behind them. A waiter cancelled just as the
 * lock passes to it hands the lock on to the next waiter, so the lock is never stranded.
 *
 * Condition builds on it; Semaphore is its counting sibling (semaphore.ts).
 */

import type { Awaitable, Coro, Yielded } from "../core/coroutines.ts";

import { RuntimeError } from "../core/exceptions.ts";
import { Future } from "../core/futures.ts";
import { currentTaskOrNull, Deque, DONE_TRUE, HandStepped } from "../core/lowlevel.ts";
import type { Task } from "../core/tasks.ts";
import { countPending, LoopBound, waitInLine } from "./primitive.ts";

/** What `Lock.statistics()` reports. */
export interface LockStatistics {
  /** Whether the lock is held. */
  locked: boolean;
  /**
   * The task that acquired it, or null (unlocked, or acquired outside a task). asyncio's locks
   * are not owned, any task may release them: this is for finding who holds a lock in a hang.
   */
  owner: Task<unknown> | null;
  /** How many tasks wait in `acquire()`. */
  waiters: number;
}

/**
 * A mutual exclusion lock. `yield* lock.acquire()` waits until the lock is free and takes it;
 * `lock.release()` gives it to the longest-waiting task. Prefer `asyncio.using(lock, body)`,
 * which releases the lock however the body ends.
 *
 * @example
 * ```ts
 * const lock = new asyncio.Lock();
 *
 * function* update(account: Account): asyncio.Coro<void> {
 *   yield* lock.acquire();
 *   try {
 *     account.balance = (yield* fetchBalance(account)) + 10;
 *   } finally {
 *     lock.release();
 *   }
 * }
 * ```
 */
export class Lock extends LoopBound {
  /** @internal */ _locked = false;
  /** @internal Futures of the tasks waiting in acquire(), oldest first. */
  readonly _waiters = new Deque<Future<boolean>>();
  /** @internal See LockStatistics.owner. */
  _owner: Task<unknown> | null = null;
  readonly #acquire = new LockAcquire(this);

  /** Whether the lock is held. */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Waits until the lock is free, then takes it; evaluates to true. Takes it at once, without
   * suspending, when it is free and no other task waits.
   *
   * Cancel safety: a task cancelled while waiting does not get the lock. If the lock had
   * already passed to it, it passes on to the next waiter: it is never lost.
   *
   * @example
   * ```ts
   * yield* lock.acquire();
   * try { yield* criticalSection(); } finally { lock.release(); }
   * ```
   */
  acquire(): Awaitable<true> {
    return this.#acquire;
  }

  /**
   * Releases the lock; the longest-waiting task gets it next. Any task may release a lock,
   * not only the one that acquired it. Releasing an unlocked lock is a RuntimeError.
   *
   * @example
   * ```ts
   * lock.release();
   * ```
   */
  release(): void {
    if (!this._locked) {
      throw new RuntimeError(
        "Lock.release() called on an unlocked lock: release only what acquire() took",
      );
    }
    this._locked = false;
    this._owner = null;
    this._wakeUpFirst();
  }

  /**
   * `async with lock:` as `yield* asyncio.using(lock, function* () { … })`: acquires.
   *
   * Cancel safety: as `acquire()`: cancelled, the task does not hold the lock and the body
   * does not run.
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

  /** Whether the lock is held, by which task, and how many wait for it. */
  statistics(): LockStatistics {
    return { locked: this._locked, owner: this._owner, waiters: countPending(this._waiters) };
  }

  /** @internal */
  _describe(): string {
    const waiting = countPending(this._waiters);
    return `${this._locked ? "locked" : "unlocked"}${waiting > 0 ? `, waiters:${waiting}` : ""}`;
  }

  /**
   * @internal Free and nobody ahead in line. Waiters that were cancelled but have not run yet
   * do not count: jumping past them is safe, they will not take the lock.
   */
  _canTakeNow(): boolean {
    if (this._locked) return false;
    const waiters = this._waiters;
    for (let index = 0; index < waiters.length; index++) {
      if (!waiters.at(index).cancelled()) return false;
    }
    return true;
  }

  /** @internal */
  _take(): void {
    this._locked = true;
    this._owner = currentTaskOrNull();
  }

  /** @internal The first waiter, if it is not woken already, gets the lock next. */
  _wakeUpFirst(): void {
    if (this._waiters.length === 0) return;
    const first = this._waiters.at(0);
    if (!first.done()) first.setResult(true);
  }

  /** @internal acquire() when the lock is not free: queue up and wait for a turn. */
  *_acquireSlow(): Coro<true> {
    try {
      yield* waitInLine(this._waiters, new Future<boolean>(this._getLoop()));
    } catch (error) {
      // Cancelled while waiting, or woken and cancelled before running: either way this task
      // will not take the lock, so if it is free the next waiter must be woken, or it would
      // wait for a release that never comes.
      if (!this._locked) this._wakeUpFirst();
      throw error;
    }
    this._take();
    return true;
  }
}

/** What `lock.acquire()` returns: takes the lock at once, or waits (see primitive.ts). */
class LockAcquire extends HandStepped<true, Lock> {
  _call(): string {
    return "lock.acquire()";
  }

  _begin(): Iterator<Yielded, true, unknown> {
    return this._owner._canTakeNow() ? this : this._owner._acquireSlow();
  }

  next(): IteratorResult<Yielded, true> {
    if (!this._owner._canTakeNow()) throw this._drivenByHand();
    this._owner._take();
    return DONE_TRUE;
  }
}
