/**
 * `sleep(delay, result)`. A delay of zero (or less) is a bare yield: the task runs again on
 * the next iteration, and nothing is allocated. A positive delay is one object that is both
 * the Future the task waits on and the timer in the loop's heap; the timer starts when the
 * sleep is first awaited, as a Python coroutine's would.
 */

import { type Awaitable, type Coro, RESUME, type Suspend, type Yielded } from "./coroutines.ts";
import { runningLoopOrNull } from "./events.ts";
import { ValueError } from "./exceptions.ts";
import { TIMER_CANCELLED, TIMER_SCHEDULED } from "./flags.ts";
import { formatValue } from "./format.ts";
import { Future, PENDING } from "./futures.ts";
import { DONE_VOID, YIELD } from "./handstepped.ts";
import type { EventLoop } from "./loop.ts";
import type { Runnable } from "./readyqueue.ts";
import type { Timer } from "./timerheap.ts";

/** `sleep(0)`: yields once, then returns. Stateless, so one object serves every call. */
const yieldOnce: Awaitable<undefined> & Iterator<Yielded, undefined, unknown> = {
  [Symbol.iterator]() {
    return this;
  },
  next(sent?: unknown) {
    return sent === RESUME ? DONE_VOID : YIELD;
  },
  throw(error: unknown): never {
    throw error;
  },
  return(value?: undefined) {
    return { done: true, value };
  },
};

/** `sleep(0, result)`: yields once, then returns `result`. */
class YieldOnceWith<T> implements Iterator<Yielded, T, unknown> {
  constructor(readonly result: T) {}
  [Symbol.iterator](): this {
    return this;
  }
  next(sent?: unknown): IteratorResult<Yielded, T> {
    return sent === RESUME
      ? { done: true, value: this.result }
      : (YIELD as IteratorResult<Yielded, T>);
  }
  throw(error: unknown): never {
    throw error;
  }
  return(value: T): IteratorResult<Yielded, T> {
    return { done: true, value };
  }
}

/**
 * A Future that is its own timer: it completes with `value` `delay` seconds after it is first
 * awaited (a coroutine's sleep starts when awaited, not when `sleep()` is called).
 */
class SleepFuture<T> extends Future<T> implements Timer {
  /** The delay until started, then the deadline. */
  _when: number;
  /** -1 until started. */
  _seq = -1;

  constructor(loop: EventLoop, delay: number, value: T) {
    super(loop);
    this._when = delay;
    // The value to finish with waits in _result while the future is pending.
    this._result = value;
  }

  /** True once the timer was cancelled (a flag bit, to keep sleeping tasks small). */
  get _cancelled(): boolean {
    return (this._flags & TIMER_CANCELLED) !== 0;
  }

  set _cancelled(value: boolean) {
    this._flags = value ? this._flags | TIMER_CANCELLED : this._flags & ~TIMER_CANCELLED;
  }

  /** True while in the loop's timer heap. */
  get _scheduled(): boolean {
    return (this._flags & TIMER_SCHEDULED) !== 0;
  }

  set _scheduled(value: boolean) {
    this._flags = value ? this._flags | TIMER_SCHEDULED : this._flags & ~TIMER_SCHEDULED;
  }

  override next(sent?: unknown): IteratorResult<Suspend, T> {
    if (this._seq < 0) this.#start();
    return super.next(sent);
  }

  /**
   * A waiter added without `yield*` (gather, shield, addDoneCallback, `await`) starts the
   * timer too: otherwise a sleep handed to `ensureFuture()` would never finish.
   */
  override _addWaiter(waiter: Runnable): void {
    if (this._seq < 0) this.#start();
    super._addWaiter(waiter);
  }

  #start(): void {
    if (this._state !== PENDING) return;
    const loop = this._loop;
    this._when += loop.time();
    this._seq = loop._timerSeq++;
    this._flags |= TIMER_SCHEDULED;
    loop._pushTimer(this);
  }

  /** The timer fired. */
  _run(): void {
    if (this._state === PENDING) this._finish(this._result as T);
  }

  override cancel(message?: string): boolean {
    if (this._state !== PENDING) return false;
    if ((this._flags & (TIMER_SCHEDULED | TIMER_CANCELLED)) === TIMER_SCHEDULED) {
      this._flags |= TIMER_CANCELLED;
      this._loop._timers.cancelledCount++;
    }
    return super.cancel(message);
  }
}

/** `sleep()` called before any loop runs: the sleep binds to the loop that awaits it. */
function* sleepLater<T>(delay: number, result: T): Coro<T> {
  return yield* sleep(delay, result);
}

/**
 * Suspends the calling coroutine for `delay` seconds, then evaluates to `result`. `sleep(0)`
 * (the default) lets every other ready task run once; a negative delay acts as 0.
 *
 * Cancel safety: cancelling a sleep ends it at once; nothing else happens.
 *
 * @example
 * ```ts
 * function* countdown(): asyncio.Coro<string> {
 *   for (let i = 3; i > 0; i--) {
 *     console.log(i);
 *     yield* asyncio.sleep(1);
 *   }
 *   return yield* asyncio.sleep(0.5, "lift-off");
 * }
 * ```
 */
export function sleep(delay?: number): Awaitable<void>;
export function sleep<T>(delay: number, result: T): Awaitable<T>;
export function sleep<T>(delay = 0, result?: T): Awaitable<T | undefined> {
  if (typeof delay !== "number") {
    throw new TypeError(`sleep() delay must be a number of seconds, got ${formatValue(delay)}`);
  }
  if (Number.isNaN(delay)) throw new ValueError("Invalid delay: NaN (not a number)");
  if (delay <= 0) return result === undefined ? yieldOnce : new YieldOnceWith(result);
  const loop = runningLoopOrNull();
  if (loop === null) return sleepLater(delay, result);
  return new SleepFuture(loop, delay, result);
}
