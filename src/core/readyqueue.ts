/**
 * What the loop's ready queue holds: anything with a `_run()` method (callback Handles, timer
 * futures and Tasks), so waking a task allocates nothing. The queue itself is a Deque
 * (deque.ts), a ring buffer whose pushes and shifts are an index mask.
 */

/** What the ready queue runs: a callback Handle, a Task to step, a timer to fire. */
export interface Runnable {
  _run(): void;
}
