/**
 * Barrier: a meeting point for a fixed number of tasks (asyncio/locks.py `Barrier`, modelled on
 * threading.Barrier). Tasks calling `wait()` block until `parties` of them have arrived, then
 * all go on together; the barrier then refills for the next round. `abort()` breaks it and
 * `reset()` sends the current waiters away with BrokenBarrierError. Built on a Condition.
 */

import type { Awaitable, Coro } from "../core/coroutines.ts";
import { RuntimeError } from "../core/exceptions.ts";
import { checkInteger } from "../core/validate.ts";
import { Condition } from "./condition.ts";
import { LoopBound } from "./primitive.ts";

/**
 * Thrown by `Barrier.wait()` when the barrier is aborted, or reset while the task waits.
 *
 * @example
 * ```ts
 * try {
 *   yield* barrier.wait();
 * } catch (e) {
 *   if (e instanceof asyncio.BrokenBarrierError) console.log("the round was called off");
 *   else throw e;
 * }
 * ```
 */
export class BrokenBarrierError extends RuntimeError {}

/**
 * A barrier's phase: `filling` (tasks arrive), `draining` (the round is complete and its
 * tasks leave), `resetting` (reset() is sending waiters away), `broken` (aborted).
 */
export type BarrierState = "filling" | "draining" | "resetting" | "broken";

/** What `Barrier.statistics()` reports. */
export interface BarrierStatistics {
  /** How many tasks make a round. */
  parties: number;
  /** How many tasks wait for the round to fill. */
  nWaiting: number;
  state: BarrierState;
  broken: boolean;
}

/**
 * Lets `parties` tasks wait for each other: each `yield* barrier.wait()` blocks until that
 * many tasks are waiting, then all of them return, each with its arrival index in
 * `0 … parties - 1`.
 *
 * @example
 * ```ts
 * const barrier = new asyncio.Barrier(3);
 *
 * function* worker(id: number): asyncio.Coro<void> {
 *   yield* loadShard(id);
 *   const index = yield* barrier.wait();     // all three have loaded
 *   if (index === 0) console.log("everyone is ready");
 * }
 * ```
 */
export class Barrier extends LoopBound {
  readonly #cond = new Condition();
  readonly #parties: number;
  #state: BarrierState = "filling";
  /** Tasks inside wait() (filling) or still leaving it (draining, resetting). */
  #count = 0;

  /** A barrier for `parties` tasks (an integer ≥ 1). */
  constructor(parties: number) {
    super();
    this.#parties = checkInteger(parties, "Barrier(parties)", "parties", 1);
  }

  /** How many tasks make a round. */
  get parties(): number {
    return this.#parties;
  }

  /** How many tasks wait for the round to fill (0 while it drains or resets). */
  get nWaiting(): number {
    return this.#state === "filling" ? this.#count : 0;
  }

  /** Whether the barrier was aborted. */
  get broken(): boolean {
    return this.#state === "broken";
  }

  /**
   * Waits until `parties` tasks are waiting, then evaluates to this task's arrival index: how
   * many tasks were waiting when it arrived (0 for the first, `parties - 1` for the last,
   * whose arrival releases the rest; a task that arrives after a waiter was cancelled takes
   * its count).
   * A task arriving while the previous round still drains waits for the next round.
   * Throws BrokenBarrierError when the barrier is aborted, or reset while the task waits.
   *
   * Cancel safety: a cancelled task leaves the barrier; its place in the round is freed, and
   * the other waiters keep waiting. If it was cancelled after the round was complete, the
   * round still completes for the others.
   *
   * @example
   * ```ts
   * const index = yield* barrier.wait();
   * ```
   */
  *wait(): Awaitable<number> {
    const cond = this.#cond;
    yield* cond.acquire();
    try {
      // Wait out a round that is still draining or resetting.
      yield* cond.waitFor(() => this.#state !== "draining" && this.#state !== "resetting");
      if (this.#state === "broken") throw new BrokenBarrierError("Barrier aborted");
      const index = this.#count++;
      try {
        if (index + 1 === this.#parties) {
          this.#state = "draining";
          cond.notifyAll();
        } else {
          yield* cond.waitFor(() => this.#state !== "filling");
          // Read afresh: the wait above changed the state (TypeScript would keep it narrowed).
          const state = this.#currentState();
          if (state === "broken" || state === "resetting") {
            throw new BrokenBarrierError("Barrier aborted or reset while waiting");
          }
        }
        return index;
      } finally {
        this.#count--;
        // The last task out ends the draining or resetting, and lets the next round in.
        if (this.#count === 0) {
          if (this.#state === "draining" || this.#state === "resetting") this.#state = "filling";
          cond.notifyAll();
        }
      }
    } finally {
      cond.release();
    }
  }

  /**
   * Returns the barrier to its empty, filling state. Tasks waiting now get
   * BrokenBarrierError; a broken barrier becomes usable again.
   *
   * Cancel safety: cancelled while it waits for the barrier's internal lock, nothing is reset.
   *
   * @example
   * ```ts
   * yield* barrier.reset();
   * ```
   */
  *reset(): Awaitable<void> {
    yield* this.#announce(() => (this.#count > 0 ? "resetting" : "filling"));
  }

  /**
   * Breaks the barrier: tasks waiting now, and every later `wait()`, get BrokenBarrierError
   * until `reset()`. Use it when a party fails and the others must not wait for it forever.
   *
   * Cancel safety: cancelled while it waits for the barrier's internal lock, the barrier is
   * not broken.
   *
   * @example
   * ```ts
   * try { yield* work(); } catch (e) { yield* barrier.abort(); throw e; }
   * ```
   */
  *abort(): Awaitable<void> {
    yield* this.#announce(() => "broken");
  }

  /**
   * `async with barrier as index:` as
   * `yield* asyncio.using(barrier, function* (index) { … })`: waits as `wait()` does.
   *
   * Cancel safety: as `wait()`.
   */
  *aenter(): Awaitable<number> {
    return yield* this.wait();
  }

  /**
   * Does nothing; never handles the body's error (returns false).
   *
   * Cancel safety: it does not wait.
   */
  *aexit(_error: unknown): Awaitable<false> {
    return false;
  }

  /** Parties, waiting tasks and phase. */
  statistics(): BarrierStatistics {
    return {
      parties: this.#parties,
      nWaiting: this.nWaiting,
      state: this.#state,
      broken: this.broken,
    };
  }

  /** Under the barrier's lock, moves to `next()` and wakes every waiter to look at it. */
  *#announce(next: () => BarrierState): Coro<void> {
    const cond = this.#cond;
    yield* cond.acquire();
    try {
      this.#state = next();
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  #currentState(): BarrierState {
    return this.#state;
  }

  /** @internal */
  _describe(): string {
    if (this.#state === "broken") return "broken";
    return `${this.#state}, waiters:${this.nWaiting}/${this.#parties}`;
  }
}
