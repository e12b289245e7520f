/**
 * Timeouts (asyncio/timeouts.py): `timeout(delay)` and `timeoutAt(when)` give a context
 * manager that cancels the task running its body when the deadline passes, and turns that
 * cancellation, and only that one, into a `TimeoutError` as the body exits.
 *
 * How a Timeout tells its own cancellation from another: on entry it notes the task's
 * `cancelling()` count; on expiry it calls `task.cancel()`, adding one; on exit it calls
 * `uncancel()`. If the count is then back to what it was on entry, the CancelledError coming
 * out of the body is the timeout's and becomes a TimeoutError. If someone else also cancelled
 * the task (an outer timeout, a TaskGroup, `task.cancel()`), the count stays higher and the
 * CancelledError goes on: with nested timeouts that expire together, only the outermost
 * turns it into a TimeoutError.
 */

import type { Awaitable } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { CancelledError, RuntimeError, TimeoutError, ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";
import type { Handle } from "../core/handles.ts";
import { currentTask, type Task } from "../core/tasks.ts";
import type { AsyncContextManager } from "./contextmanagers.ts";

const CREATED = 0;
const ENTERED = 1;
const EXPIRING = 2;
const EXPIRED = 3;
const EXITED = 4;

/** Python's names for the states, used in messages and the printed form. */
const STATE_NAMES = ["created", "active", "expiring", "expired", "finished"];

/**
 * A deadline for the body of a `using` block. Make one with {@link timeout} or
 * {@link timeoutAt}; it serves one `using`.
 *
 * Cancel safety: on expiry the body gets a CancelledError at its current `yield*` (its
 * `finally` blocks run) and the block throws TimeoutError. A cancellation from elsewhere passes
 * through as CancelledError.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   try {
 *     yield* asyncio.using(asyncio.timeout(1.5), function* (deadline) {
 *       yield* slowQuery();
 *       deadline.reschedule(deadline.when()! + 1);   // a little longer for the next step
 *       yield* slowQuery();
 *     });
 *   } catch (e) {
 *     if (!(e instanceof asyncio.TimeoutError)) throw e;
 *     console.log("gave up");
 *   }
 * }
 * ```
 */
export class Timeout implements AsyncContextManager<Timeout, false> {
  #state = CREATED;
  #when: number | null;
  /** The delay `timeout()` was given, for the error message (null once rescheduled). */
  #delay: number | null;
  #handle: Handle | null = null;
  #task: Task<unknown> | null = null;
  #cancellingOnEntry = 0;

  /** Prefer {@link timeout} and {@link timeoutAt}. `when` is a loop time, or null for none. */
  constructor(when: number | null, delay: number | null = null) {
    this.#when = checkTime(when, "Timeout()", "when");
    this.#delay = delay;
  }

  /** The deadline in loop time, or null for none. */
  when(): number | null {
    return this.#when;
  }

  /**
   * Moves the deadline to loop time `when` (null: no deadline). Allowed only while the body
   * runs and the timeout has not expired; a time already past expires it on the next
   * iteration.
   */
  reschedule(when: number | null): void {
    checkTime(when, "reschedule()", "when");
    if (this.#state !== ENTERED) {
      if (this.#state === CREATED) {
        throw new RuntimeError(
          "Timeout has not been entered: reschedule() works inside using(timeout, …)",
        );
      }
      throw new RuntimeError(
        `Cannot change state of ${STATE_NAMES[this.#state]} Timeout: reschedule() works only while the body runs and before it expires`,
      );
    }
    this.#delay = null;
    this.#schedule(when);
  }

  #schedule(when: number | null): void {
    this.#when = when;
    this.#handle?.cancel();
    this.#handle = null;
    if (when === null) return;
    const loop = getRunningLoop();
    this.#handle =
      when <= loop.time() ? loop.callSoon(expire, this) : loop.callAt(when, expire, this);
  }

  /** True once the deadline passed while the body ran (the body was, or is being, cancelled). */
  expired(): boolean {
    return this.#state === EXPIRING || this.#state === EXPIRED;
  }

  /** Starts the clock for the current task. */
  *aenter(): Awaitable<Timeout> {
    if (this.#state !== CREATED) {
      throw new RuntimeError(
        "Timeout has already been entered: make a new timeout() for each using()",
      );
    }
    const task = currentTask();
    if (task === null) {
      throw new RuntimeError(
        "Timeout should be used inside a task: use it from a coroutine that a Task runs",
      );
    }
    this.#state = ENTERED;
    this.#task = task;
    this.#cancellingOnEntry = task.cancelling();
    this.#schedule(this.#when);
    return this;
  }

  /** Stops the clock; turns the timeout's own cancellation into TimeoutError. */
  *aexit(error: unknown): Awaitable<false> {
    this.#handle?.cancel();
    this.#handle = null;
    if (this.#state === EXPIRING) {
      this.#state = EXPIRED;
      const task = this.#task!;
      // No cancellation requests beyond those that were there on entry: the one in flight
      // is ours.
      if (task.uncancel() <= this.#cancellingOnEntry && error instanceof CancelledError) {
        throw new TimeoutError(this.#message(), { cause: error });
      }
    } else if (this.#state === ENTERED) {
      this.#state = EXITED;
    }
    return false;
  }

  /** @internal The deadline passed. */
  _expire(): void {
    this.#handle = null;
    this.#state = EXPIRING;
    this.#task!.cancel();
  }

  toString(): string {
    const state = STATE_NAMES[this.#state];
    if (this.#state !== ENTERED) return `<Timeout [${state}]>`;
    const when = this.#when === null ? "null" : String(Math.round(this.#when * 1000) / 1000);
    return `<Timeout [${state}] when=${when}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  #message(): string {
    if (this.#delay !== null) return `timed out after ${this.#delay} seconds`;
    return `timed out: the deadline (loop time ${this.#when}) passed`;
  }
}

function expire(timeout: Timeout): void {
  timeout._expire();
}

function checkTime(value: number | null, where: string, name: string): number | null {
  if (value === null) return null;
  if (typeof value !== "number") {
    throw new TypeError(
      `${where} ${name} must be a number of seconds or null, got ${formatValue(value)}`,
    );
  }
  if (Number.isNaN(value)) {
    throw new ValueError(`${where} ${name} must not be NaN: pass a number of seconds, or null`);
  }
  return value;
}

/**
 * A context manager that cancels its body after `delay` seconds and then throws TimeoutError
 * (null: no deadline; zero or less: expires on the next iteration).
 *
 * Cancel safety: see {@link Timeout}.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   yield* asyncio.using(asyncio.timeout(10), function* () {
 *     yield* longRunningTask();
 *   });
 * }
 * ```
 */
export function timeout(delay: number | null): Timeout {
  const checked = checkTime(delay, "timeout()", "delay");
  if (checked === null) return new Timeout(null);
  return new Timeout(getRunningLoop().time() + checked, checked);
}

/**
 * Like {@link timeout}, with the deadline as a loop time (`loop.time()`'s clock, not Unix
 * time); null: no deadline.
 *
 * Cancel safety: see {@link Timeout}.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const loop = asyncio.getRunningLoop();
 *   yield* asyncio.using(asyncio.timeoutAt(loop.time() + 10), function* () {
 *     yield* longRunningTask();
 *   });
 * }
 * ```
 */
export function timeoutAt(when: number | null): Timeout {
  return new Timeout(checkTime(when, "timeoutAt()", "when"));
}
