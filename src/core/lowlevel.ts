/**
 * The kernel's low-level API (Trio's `trio.lowlevel` is the model): the few primitives the
 * code above the core (sync, structure, net, subprocess, executors, bullmq, inspect and the
 * rest of src/) builds on, besides the public API. That code reaches no other core internals;
 * test/core/layering.test.ts keeps it so. Each function is a thin, allocation-free view of a core field or method, so using one on
 * a hot path costs what touching the field did. The introspection accessors at the end serve
 * tools that look at a live process (`asyncio-ts ps`): read-only, called only when someone
 * looks, so the loop pays nothing for them. docs/lowlevel.md teaches them all, with their
 * cancel safety.
 */

import type { Awaitable } from "./coroutines.ts";
import { liveLoops as liveLoopRefs, runningLoopOrNull } from "./events.ts";
import type { CancelledError } from "./exceptions.ts";
import { type Future, PENDING, sourceTracebacks } from "./futures.ts";
import { creationSite } from "./handles.ts";
import type { EventLoop } from "./loop.ts";
import type { Runnable } from "./readyqueue.ts";
import type { Task } from "./tasks.ts";
import type { Tracer } from "./trace.ts";

export { Deque } from "./deque.ts";
export { runningLoopOrNull } from "./events.ts";
export { CANCELLED, FAILED, FINISHED, PENDING } from "./futures.ts";
export {
  COMPLETED,
  DONE_TRUE,
  DONE_VOID,
  HandStepped,
  HandSteppedCall,
  YIELD,
} from "./handstepped.ts";
export { logger } from "./log.ts";
export type { Runnable } from "./readyqueue.ts";

// The loop

/**
 * Throws RuntimeError if `loop` is closed: call it before scheduling work or opening a resource
 * for the loop.
 *
 * @example
 * ```ts
 * lowlevel.checkClosed(loop);
 * ```
 */
export function checkClosed(loop: EventLoop): void {
  loop._checkClosed();
}

/**
 * Puts `runnable` on `loop`'s ready queue: its `_run()` is called on the next iteration, in FIFO
 * order with callbacks and task steps. Nothing is allocated.
 *
 * @example
 * ```ts
 * lowlevel.schedule(loop, { _run: () => console.log("next iteration") });
 * ```
 */
export function schedule(loop: EventLoop, runnable: Runnable): void {
  loop._readyPush(runnable);
}

/**
 * Foreign work (a Promise, a worker, a socket or process event) is about to call back into
 * `loop`: until the matching {@link foreignWorkEnd}, a virtual clock does not jump past it
 * before `loop.autojumpThreshold` real seconds. Pair them with try/finally.
 *
 * @example
 * ```ts
 * lowlevel.foreignWorkBegin(loop);
 * try {
 *   return yield* future;   // settled by a Node callback
 * } finally {
 *   lowlevel.foreignWorkEnd(loop);
 * }
 * ```
 */
export function foreignWorkBegin(loop: EventLoop): void {
  loop._externalBegin();
}

/** The foreign work begun by {@link foreignWorkBegin} has called back (or was abandoned). */
export function foreignWorkEnd(loop: EventLoop): void {
  loop._externalEnd();
}

/**
 * Waits for `future`, which foreign work settles, as foreign work (see
 * {@link foreignWorkBegin}): a virtual clock does not jump past it.
 *
 * Cancel safety: cancelling the waiting task ends the wait and the foreign-work count; what
 * the foreign work does afterwards is the caller's to stop (in a `catch` around this).
 *
 * @example
 * ```ts
 * const future = loop.createFuture<void>();
 * server.once("listening", () => future.setResult(undefined));
 * yield* lowlevel.awaitForeign(future);
 * ```
 */
export function* awaitForeign<T>(future: Future<T>): Awaitable<T> {
  const loop = future._loop;
  loop._externalBegin();
  try {
    return yield* future;
  } finally {
    loop._externalEnd();
  }
}

/**
 * A Node event handler whose result should run at once begins (a worker's message): until the
 * matching {@link handlerEnd}, what it makes ready is run right after it, in one tick, instead
 * of after a `setImmediate` hop. Calls nest; pair them with try/finally.
 *
 * @example
 * ```ts
 * worker.on("message", (message) => {
 *   lowlevel.handlerBegin(loop);
 *   try { future.setResult(message); } finally { lowlevel.handlerEnd(loop); }
 * });
 * ```
 */
export function handlerBegin(loop: EventLoop): void {
  loop._ioBegin();
}

/** The handler begun by {@link handlerBegin} ends; the outermost end runs the loop's tick. */
export function handlerEnd(loop: EventLoop): void {
  loop._ioEnd();
}

/**
 * Adds clean-up that `Runner.close()` (so `run()`) runs after async generators are closed and
 * before the loop is: the executors layer shuts the default executor down here.
 *
 * @example
 * ```ts
 * lowlevel.addShutdownHook(loop, function* () { yield* pool.shutdown(); });
 * ```
 */
export function addShutdownHook(loop: EventLoop, hook: () => Awaitable<void>): void {
  loop._shutdownHooks.push(hook);
}

/**
 * Puts `resource` (a server, a transport, a child process) in the loop's list of what it
 * closes when it is closed: `EventLoop.close()` calls its `_closeAtLoopClose()`, so nothing a
 * finished `run()` made keeps Node alive. Call {@link releaseAtLoopClose} once it is closed.
 *
 * @example
 * ```ts
 * lowlevel.closeAtLoopClose(loop, this);      // in the constructor
 * lowlevel.releaseAtLoopClose(loop, this);    // once closed
 * ```
 */
export function closeAtLoopClose(loop: EventLoop, resource: { _closeAtLoopClose(): void }): void {
  loop._openResources.add(resource);
}

/** Takes `resource` off the loop's list of what it closes when it is closed. */
export function releaseAtLoopClose(loop: EventLoop, resource: { _closeAtLoopClose(): void }): void {
  loop._openResources.delete(resource);
}

/**
 * The loop's trace recorder (observability.md), or null when the loop is not traced: layers
 * that run work outside the loop record it there.
 *
 * @example
 * ```ts
 * lowlevel.tracerOf(loop)?.submitted(item);
 * ```
 */
export function tracerOf(loop: EventLoop): Tracer | null {
  return loop._trace;
}

/**
 * The task `loop` is stepping (default: the running loop's), or null: the fast form of
 * `currentTask()` that never throws.
 *
 * @example
 * ```ts
 * const owner = lowlevel.currentTaskOrNull();
 * ```
 */
export function currentTaskOrNull(
  loop: EventLoop | null = runningLoopOrNull(),
): Task<unknown> | null {
  return loop === null ? null : loop._currentTask;
}

// Futures

/**
 * Wakes `runnable` (its `_run()` is called through the ready queue) once `future` is done;
 * at the next iteration if it is done now. One registration, no Handle, no closure.
 *
 * @example
 * ```ts
 * lowlevel.wakeWhenDone(child, { _run: () => console.log("child done") });
 * ```
 */
export function wakeWhenDone(future: Future<unknown>, runnable: Runnable): void {
  if (future._state !== PENDING) future._loop._readyPush(runnable);
  else future._addWaiter(runnable);
}

/**
 * Wakes `runnable` when `future` completes (it must be pending; see {@link wakeWhenDone}).
 * Waiters run in the order they were added, with `addDoneCallback`'s callbacks.
 *
 * @example
 * ```ts
 * lowlevel.addWaiter(future, waiter);
 * ```
 */
export function addWaiter(future: Future<unknown>, runnable: Runnable): void {
  future._addWaiter(runnable);
}

/**
 * Takes back a registration of {@link addWaiter} or {@link wakeWhenDone}; true if it was
 * still there (false once the future completed and scheduled it).
 *
 * @example
 * ```ts
 * if (!lowlevel.removeWaiter(future, waiter)) console.log("already woken");
 * ```
 */
export function removeWaiter(future: Future<unknown>, runnable: Runnable): boolean {
  return future._removeWaiter(runnable);
}

/** What waits on `future`: null, one waiter, or several in the order they were added. */
export function waitersOf(future: Future<unknown>): Runnable | readonly Runnable[] | null {
  return future._waiter;
}

/**
 * `future`'s state, one of PENDING, CANCELLED, FINISHED and FAILED, read without raising and
 * without marking an exception retrieved (see {@link outcomeOf}).
 *
 * @example
 * ```ts
 * if (lowlevel.stateOf(child) === lowlevel.FAILED) console.log(lowlevel.outcomeOf(child));
 * ```
 */
export function stateOf(future: Future<unknown>): number {
  return future._state;
}

/**
 * What `future` completed with, without raising and without marking an exception retrieved:
 * the result when FINISHED, the exception when FAILED, the cancel message or CancelledError
 * when CANCELLED.
 */
export function outcomeOf<T>(future: Future<T>): unknown {
  return future._result;
}

/** The CancelledError a waiter of the cancelled `future` gets (its message, its chain). */
export function cancelledErrorOf(future: Future<unknown>): CancelledError {
  return future._makeCancelledError();
}

/**
 * Makes `future` pending again when it finished with a result and nothing waits on or holds
 * it, for an owner that hands out one wait at a time and reuses its future; true when it did.
 *
 * @example
 * ```ts
 * if (lowlevel.recycle(waiter)) spare = waiter;
 * ```
 */
export function recycle(future: Future<unknown>): boolean {
  return future._recycle();
}

// Introspection: read-only views for tools that look at a running program

/**
 * Every loop made in this process and not yet closed (nor collected), oldest first. A loop is
 * held weakly until it is closed, so listing them keeps none alive.
 *
 * @example
 * ```ts
 * for (const loop of lowlevel.liveLoops()) console.log(loop.clock, loop.isRunning());
 * ```
 */
export function liveLoops(): EventLoop[] {
  const loops: EventLoop[] = [];
  for (const ref of liveLoopRefs) {
    const loop = ref.deref() as EventLoop | undefined;
    if (loop !== undefined && !loop.isClosed()) loops.push(loop);
  }
  return loops;
}

/**
 * The future `task` is suspended on (its `yield*` target), or null when it is running, ready
 * to run or done.
 *
 * @example
 * ```ts
 * for (const task of asyncio.allTasks()) console.log(task.getName(), lowlevel.waitingOn(task));
 * ```
 */
export function waitingOn(task: Task<unknown>): Future<unknown> | null {
  return task._futWaiter;
}

/**
 * Where `future` (a Task too) was created: the first stack frame outside the library, as
 * "function (file:line:column)". Recorded in debug mode only; null otherwise.
 *
 * @example
 * ```ts
 * const task = asyncio.createTask(work());
 * console.log(lowlevel.creationSiteOf(task));   // e.g. "main (/app/main.ts:12:22)"
 * ```
 */
export function creationSiteOf(future: Future<unknown>): string | null {
  const stack = sourceTracebacks.get(future);
  return stack === undefined ? null : creationSite(stack);
}

/**
 * How many callbacks and task steps wait on `loop`'s ready queue.
 *
 * @example
 * ```ts
 * console.log(`${lowlevel.readyCount(loop)} ready, ${lowlevel.timerCount(loop)} timers`);
 * ```
 */
export function readyCount(loop: EventLoop): number {
  return loop._ready.length;
}

/** How many timers (`callLater`, `callAt`, sleeps, timeouts) are scheduled on `loop` and not cancelled. */
export function timerCount(loop: EventLoop): number {
  return loop._timers.length - loop._timers.cancelledCount;
}

/**
 * True while `loop` runs an iteration: called from outside (a signal handler, the inspector),
 * it means a callback or task step is executing and has not returned to Node yet.
 *
 * @example
 * ```ts
 * if (lowlevel.inIteration(loop)) console.log("busy in", asyncio.currentTask(loop)?.getName());
 * ```
 */
export function inIteration(loop: EventLoop): boolean {
  return loop._inTick;
}

/**
 * How long (seconds) the callback or task step running on `loop` has run so far, or null when
 * none runs or the loop is not in debug mode (only debug mode records when a step starts).
 *
 * @example
 * ```ts
 * const seconds = lowlevel.stepSeconds(loop);
 * if (seconds !== null && seconds > 1) console.log("a step has blocked the loop for", seconds);
 * ```
 */
export function stepSeconds(loop: EventLoop): number | null {
  return loop._inTick && loop._debug && loop._runStarted > 0
    ? (performance.now() - loop._runStarted) / 1000
    : null;
}
