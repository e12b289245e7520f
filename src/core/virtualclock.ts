/**
 * The virtual clock a loop runs on with `clock: "virtual"` (Trio's MockClock with autojump is
 * the model): time stands still while anything is ready, and jumps to the next timer when
 * everything waits. The loop keeps one and asks it, each time it goes idle with a timer
 * pending, whether time may jump now; the clock holds the state that answer depends on.
 *
 * Before a jump the loop lets Node have one turn, so Promise reactions and I/O that the last
 * iteration started get in first. While foreign work (a Promise, a worker, a socket) is
 * pending, time waits for it, until the loop says it stalled (its autojump timer fired, or
 * Node went idle with the work still pending).
 */

/** Returned by {@link VirtualClock.idle}: foreign work is pending; arm the autojump timer. */
export const WAIT_FOR_FOREIGN_WORK = 0;
/** Returned by {@link VirtualClock.idle}: give Node a turn, then ask again. */
export const LET_NODE_RUN = 1;
/** Returned by {@link VirtualClock.idle}: time jumped to the timer; run it. */
export const JUMPED = 2;

export class VirtualClock {
  /** The loop's time, in seconds. */
  now = 0;
  /** Node had a turn since the loop went idle, so time may jump. */
  #mayJump = false;
  /** The pending foreign work stalled: it cannot settle before time moves. */
  #foreignStalled = false;

  /**
   * The loop is idle with its earliest timer due at `when`, after an iteration that ran `ran`
   * runnables, with `foreignWaits` foreign operations pending: what it should do now.
   */
  idle(ran: number, foreignWaits: number, when: number): number {
    if (foreignWaits > 0 && !this.#foreignStalled) return WAIT_FOR_FOREIGN_WORK;
    if (ran > 0 || !this.#mayJump) {
      this.#mayJump = true;
      return LET_NODE_RUN;
    }
    this.#mayJump = false;
    this.#foreignStalled = false;
    if (when > this.now) this.now = when;
    return JUMPED;
  }

  /** The foreign work did not arrive in time (the autojump fired, or Node went idle). */
  foreignStalled(): void {
    this.#foreignStalled = true;
  }
}
