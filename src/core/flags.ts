/**
 * The bits of `Future._flags`, in one table. A future keeps its rarely-set booleans in one
 * small-integer field rather than one field each, which keeps futures and tasks small (DESIGN
 * §9). Subclasses share the field, so every bit is assigned here, where an overlap shows:
 * Future owns bits 0-1; Task and SleepFuture (never the same object) reuse bits 2-3; a Task
 * counts its pending cancellation requests in the bits above them.
 */

/** Future: `next()` yielded this future and the Task has not taken it yet. */
export const BLOCKING = 1;
/** Future: an exception is set and nobody has looked at it yet. */
export const LOG_TRACEBACK = 2;

/** Task: a cancellation is to be thrown into the coroutine at its next step. */
export const MUST_CANCEL = 4;
/** Task: it runs in a Context object (given, or asked for), kept aside. */
export const OWN_CONTEXT = 8;

/** SleepFuture: its timer was cancelled (the heap drops it lazily). */
export const TIMER_CANCELLED = 4;
/** SleepFuture: its timer is in the heap. */
export const TIMER_SCHEDULED = 8;

/** Task: the lowest bit of the count of pending cancellation requests (`cancelling()`). */
export const CANCEL_REQUEST = 16;
/** Task: `_flags >>> CANCEL_COUNT_SHIFT` is `cancelling()`. */
export const CANCEL_COUNT_SHIFT = 4;
