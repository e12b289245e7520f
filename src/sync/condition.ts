/**
 * Condition: a condition variable over a Lock (asyncio/locks.py `Condition`). Tasks holding the
 * lock `wait()` (releasing it while they sleep) until another task holding it calls `notify()`;
 * a woken task re-acquires the lock before `wait()` returns, even when it was cancelled.
 */

import type { Awaitable } from "../core/coroutines.ts";

import { isCancelledError, RuntimeError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import { Future } from "../core/futures.ts";
import { Deque } from "../core/lowlevel.ts";
import { checkInteger } from "../core/validate.ts";
import { Lock, type LockStatistics } from "./lock.ts";
import { countPending, LoopBound, waitInLine } from "./primitive.ts";

/** What `Condition.statistics()` reports. */
export interface ConditionStatistics {
  /** Whether the underlying lock is held. */
  locked: boolean;
  /** How many tasks wait in `wait()` for a notification. */
  waiters: number;
  /** The underlying lock's statistics (its waiters wait to acquire it). */
  lock: LockStatistics;
}

/**
 * A condition variable: tasks wait, holding its lock, until another task notifies them.
 * `yield* asyncio.using(cond, function* () { … })` holds the lock for the body.
 *
 * @example
 * ```ts
 * const cond = new asyncio.Condition();
 * const jobs: string[] = [];
 *
 * function* consumer(): asyncio.Coro<string> {
 *   return yield* asyncio.using(cond, function* () {
 *     yield* cond.waitFor(() => jobs.length > 0);
 *     return jobs.shift()!;
 *   });
 * }
 *
 * function* producer(job: string): asyncio.Coro<void> {
 *   yield* asyncio.using(cond, function* () {
 *     jobs.push(job);
 *     cond.notify();
 *   });
 * }
 * ```
 */
export class Condition extends LoopBound {
  /** @internal */ readonly _lock: Lock;
  /** @internal Futures of the tasks waiting for a notification, oldest first. */
  readonly _waiters = new Deque<Future<boolean>>();

  /** A condition over `lock` (default: a new Lock). Several conditions may share one lock. */
  constructor(lock?: Lock) {
    super();
    if (lock !== undefined && !(lock instanceof Lock)) {
      throw new TypeError(`Condition(lock) expects an asyncio Lock, got ${formatValue(lock)}`);
    }
    this._lock = lock ?? new Lock();
  }

  /** Whether the underlying lock is held. */
  locked(): boolean {
    return this._lock._locked;
  }

  /**
   * Acquires the underlying lock (see `Lock.acquire`).
   *
   * Cancel safety: as `Lock.acquire`: a cancelled task does not get the lock, and a lock that
   * had passed to it passes on.
   *
   * @example
   * ```ts
   * yield* cond.acquire();
   * try { cond.notifyAll(); } finally { cond.release(); }
   * ```
   */
  acquire(): Awaitable<true> {
    return this._lock.acquire();
  }

  /** Releases the underlying lock (see `Lock.release`). */
  release(): void {
    this._lock.release();
  }

  /**
   * Releases the lock, waits until notified, re-acquires the lock; evaluates to true. The
   * caller must hold the lock (RuntimeError otherwise). Wake-ups may be spurious: re-check
   * the state after it returns, or use `waitFor`.
   *
   * Cancel safety: the lock is re-acquired before the CancelledError propagates, so the
   * caller's `finally` and `using` release it as usual. A task cancelled after it was
   * notified passes the notification on to another waiter, so none is lost.
   *
   * @example
   * ```ts
   * yield* cond.acquire();
   * try {
   *   while (!done) yield* cond.wait();
   * } finally {
   *   cond.release();
   * }
   * ```
   */
  *wait(): Awaitable<true> {
    if (!this._lock._locked) {
      throw new RuntimeError(
        "Condition.wait() needs the lock held: acquire it first (yield* cond.acquire(), or asyncio.using(cond, …))",
      );
    }
    const notified = new Future<boolean>(this._getLoop());
    this.release();
    try {
      try {
        yield* waitInLine(this._waiters, notified);
        return true;
      } finally {
        // The lock must be held again whatever happened, even if the task is cancelled
        // (again) while re-acquiring it; the latest cancellation is re-thrown after.
        let cancellation: unknown = null;
        for (;;) {
          try {
            yield* this._lock.acquire();
            break;
          } catch (error) {
            // biome-ignore lint/correctness/noUnsafeFinally: an error re-acquiring the lock replaces the outcome, as in asyncio
            if (!isCancelledError(error)) throw error;
            cancellation = error;
          }
        }
        // biome-ignore lint/correctness/noUnsafeFinally: a cancellation while re-acquiring replaces the outcome, as in asyncio
        if (cancellation !== null) throw cancellation;
      }
    } catch (error) {
      // This task may have been notified before it failed: hand the notification to another
      // waiter (a spurious wake-up at worst, which the protocol allows).
      this._notify(1);
      throw error;
    }
  }

  /**
   * Waits until `predicate()` is truthy, calling it first and after each wake-up; evaluates
   * to its last result. The caller must hold the lock.
   *
   * Cancel safety: as `wait()`: the lock is held again when the CancelledError propagates.
   *
   * @example
   * ```ts
   * const item = yield* asyncio.using(cond, function* () {
   *   yield* cond.waitFor(() => buffer.length > 0);
   *   return buffer.shift();
   * });
   * ```
   */
  *waitFor<R>(predicate: () => R): Awaitable<R> {
    if (typeof predicate !== "function") {
      throw new TypeError(
        `Condition.waitFor() expects a function returning the condition, got ${formatValue(predicate)}`,
      );
    }
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiting tasks (default 1), oldest first. They return from `wait()` once
   * they re-acquire the lock, which the caller still holds. The caller must hold the lock.
   *
   * @example
   * ```ts
   * jobs.push(job);
   * cond.notify();
   * ```
   */
  notify(n = 1): void {
    checkInteger(n, "Condition.notify(n)", "n", 0);
    if (!this._lock._locked) {
      throw new RuntimeError(
        "Condition.notify() needs the lock held: acquire it first (yield* cond.acquire(), or asyncio.using(cond, …))",
      );
    }
    this._notify(n);
  }

  /** Wakes every waiting task. The caller must hold the lock. */
  notifyAll(): void {
    this.notify(this._waiters.length);
  }

  /**
   * `async with cond:` as `yield* asyncio.using(cond, function* () { … })`: acquires the
   * lock.
   *
   * Cancel safety: as `Lock.acquire()`: cancelled, the task does not hold the lock.
   */
  *aenter(): Awaitable<void> {
    yield* this._lock.acquire();
  }

  /**
   * Releases the lock; never handles the body's error (returns false).
   *
   * Cancel safety: it does not wait, so it always releases.
   */
  *aexit(_error: unknown): Awaitable<false> {
    this.release();
    return false;
  }

  /** Whether the lock is held, how many wait to be notified, and the lock's own figures. */
  statistics(): ConditionStatistics {
    return {
      locked: this._lock._locked,
      waiters: countPending(this._waiters),
      lock: this._lock.statistics(),
    };
  }

  /** @internal */
  _describe(): string {
    const waiting = countPending(this._waiters);
    return `${this._lock._locked ? "locked" : "unlocked"}${waiting > 0 ? `, waiters:${waiting}` : ""}`;
  }

  /** @internal Wakes up to `n` waiters that are not woken or cancelled yet. */
  _notify(n: number): void {
    const waiters = this._waiters;
    let woken = 0;
    for (let index = 0; index < waiters.length && woken < n; index++) {
      const waiter = waiters.at(index);
      if (!waiter.done()) {
        woken++;
        waiter.setResult(false);
      }
    }
  }
}
