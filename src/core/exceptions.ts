/**
 * asyncio's exception classes (asyncio/exceptions.py), plus the few Python built-ins asyncio
 * raises (`RuntimeError`, `KeyboardInterrupt`) that JavaScript has no equivalent for.
 *
 * JavaScript has no `BaseException`: a bare `catch (e) {}` catches a `CancelledError` too.
 * {@link isCancelledError} and {@link rethrowIfCancelled} are the tools for writing catch blocks
 * that let cancellation through; docs/cancellation.md explains the rules.
 */

/** Base for the errors in this module: sets `name` from the class so stacks and `String(e)` read well. */
class NamedError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Thrown into a coroutine at its current `yield*` when its task is cancelled, and by
 * `result()` of a cancelled Future.
 *
 * @example
 * ```ts
 * function* worker(): asyncio.Coro<void> {
 *   try {
 *     yield* asyncio.sleep(3600);
 *   } catch (e) {
 *     asyncio.rethrowIfCancelled(e);   // let cancellation through
 *     console.log("sleep failed", e);
 *   } finally {
 *     console.log("cleanup runs on cancel too");
 *   }
 * }
 * ```
 */
export class CancelledError extends NamedError {}

/**
 * @internal A CancelledError made by the library itself (a cancelled future's waiter, a
 * task's pending cancellation). Outside debug mode it carries no stack trace: capturing one
 * is most of what cancelling a task costs, and the stack would only show loop internals.
 */
export function cancelledError(message: string, withStack: boolean): CancelledError {
  if (withStack) return new CancelledError(message);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new CancelledError(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * An operation on a Future or Task that its state does not allow (for example `result()` while
 * pending).
 *
 * @example
 * ```ts
 * const future = loop.createFuture<number>();
 * try { future.result(); } catch (e) { e instanceof asyncio.InvalidStateError; }   // true
 * ```
 */
export class InvalidStateError extends NamedError {}

/**
 * A deadline passed: raised by `timeout()`, `waitFor()` and friends.
 *
 * @example
 * ```ts
 * try {
 *   yield* asyncio.waitFor(slowQuery(), 2);
 * } catch (e) {
 *   if (e instanceof asyncio.TimeoutError) console.log("gave up after 2 s");
 * }
 * ```
 */
export class TimeoutError extends NamedError {}

/**
 * Python's `RuntimeError`: the API was used where it cannot work (no running loop, a closed
 * loop, …).
 *
 * @example
 * ```ts
 * try { asyncio.getRunningLoop(); } catch (e) { e instanceof asyncio.RuntimeError; }   // outside a loop: true
 * ```
 */
export class RuntimeError extends NamedError {}

/**
 * Python's `KeyboardInterrupt`: `run()` rejects with it when SIGINT cancelled the main task.
 * Uncaught, it ends the process with status 130. Thrown by a task or callback, it ends the loop
 * instead of going to the exception handler.
 *
 * @example
 * ```ts
 * try {
 *   await asyncio.run(serveForever());
 * } catch (e) {
 *   if (e instanceof asyncio.KeyboardInterrupt) console.log("stopped by Ctrl-C");
 * }
 * ```
 */
export class KeyboardInterrupt extends NamedError {}

/**
 * Every task still waits and nothing can wake any of them: no ready callback, no timer, and
 * nothing left in Node's event loop (no socket, timer or pending I/O). `run()` rejects with it
 * instead of letting the process exit silently; `message` lists each waiting task and what it
 * waits on.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   yield* asyncio.getRunningLoop().createFuture<void>();   // nothing will ever complete it
 * }
 * await asyncio.run(main());   // rejects: DeadlockError: deadlock: 1 task waits … Task-1 waits on <Future pending>
 * ```
 */
export class DeadlockError extends RuntimeError {}

/**
 * True when `error` is a {@link CancelledError}.
 *
 * @example
 * ```ts
 * try { yield* work(); } catch (e) { if (asyncio.isCancelledError(e)) throw e; log(e); }
 * ```
 */
export function isCancelledError(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}

/**
 * Re-throws `error` if it is a {@link CancelledError}; otherwise returns. Put it first in a
 * `catch` block that means "any error" so it does not swallow cancellation (Python's
 * `except Exception` never catches it).
 *
 * @example
 * ```ts
 * try { yield* fetchPage(); } catch (e) { asyncio.rethrowIfCancelled(e); retryLater(e); }
 * ```
 */
export function rethrowIfCancelled(error: unknown): void {
  if (error instanceof CancelledError) throw error;
}

/**
 * Python's `LookupError`: `ContextVar.get()` of a variable with no value and no default.
 *
 * @example
 * ```ts
 * const user = new asyncio.ContextVar<string>("user");
 * try { user.get(); } catch (e) { e instanceof asyncio.LookupError; }   // true
 * ```
 */
export class LookupError extends NamedError {}

/**
 * Python's `ValueError`: an argument has the right type but a value the call cannot take.
 *
 * @example
 * ```ts
 * try { asyncio.sleep(Number.NaN); } catch (e) { e instanceof asyncio.ValueError; }   // true
 * ```
 */
export class ValueError extends NamedError {}
