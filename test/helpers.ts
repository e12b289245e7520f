/**
 * Shared test helpers: run a coroutine on a virtual-clock loop (through asyncio.run, or on a
 * fresh loop whose exception handler is collected, or from a plain callback outside any task),
 * collect what reaches the exception handler and the logger, small coroutines that finish, fail
 * or log their end after a delay, catch what an awaitable throws, and find the port a test
 * server listens on.
 */

import assert from "node:assert/strict";
import * as asyncio from "../src/index.ts";

/** Runs `main` with asyncio.run on the virtual clock. */
export function runVirtual<T>(
  main: asyncio.Awaitable<T>,
  options: asyncio.RunOptions = {},
): Promise<T> {
  return asyncio.run(main, { clock: "virtual", ...options });
}

/** Routes `loop`'s exception handler into an array the test can inspect. */
export function collectErrors(loop: asyncio.EventLoop): asyncio.ExceptionContext[] {
  const errors: asyncio.ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, context) => {
    errors.push(context);
  });
  return errors;
}

/**
 * Runs what `body(loop)` gives (a coroutine, a future) to completion on a new virtual-clock loop
 * with runUntilComplete, not asyncio.run: nothing left running is cancelled at the end. Then
 * closes the loop.
 */
export async function onVirtualLoop<T>(
  body: (loop: asyncio.EventLoop) => asyncio.Awaitable<T>,
): Promise<T> {
  const loop = asyncio.newEventLoop({ clock: "virtual" });
  try {
    return await loop.runUntilComplete(body(loop));
  } finally {
    loop.close();
  }
}

/**
 * Runs `main` as {@link onVirtualLoop} does, with the loop's exception handler collected; gives
 * `main`'s result and what reached the handler, closing included.
 */
export async function runCollectingErrors<T>(
  main: asyncio.Awaitable<T>,
): Promise<{ result: T; errors: asyncio.ExceptionContext[] }> {
  let errors: asyncio.ExceptionContext[] = [];
  const result = await onVirtualLoop((loop) => {
    errors = collectErrors(loop);
    return main;
  });
  return { result, errors };
}

/**
 * Calls `body` from a plain loop callback (no task is running) on a new virtual-clock loop;
 * gives the message of the error it throws, or "no error".
 */
export function messageOutsideTask(body: () => unknown): Promise<string> {
  return onVirtualLoop((loop) => {
    const outcome = loop.createFuture<string>();
    loop.callSoon(() => {
      try {
        body();
        outcome.setResult("no error");
      } catch (error) {
        outcome.setResult((error as Error).message);
      }
    });
    return outcome;
  });
}

/** Captures the library logger's output while `body` runs. */
export async function captureLog<T>(
  body: () => Promise<T> | T,
): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const previous = asyncio.setLogger({
    warning: (message) => lines.push(`WARNING ${message}`),
    error: (message, error) =>
      lines.push(`ERROR ${message}${error === undefined ? "" : ` ${String(error)}`}`),
  });
  try {
    const result = await body();
    return { result, lines };
  } finally {
    asyncio.setLogger(previous);
  }
}

/** Sleeps `seconds`, then returns `value`; with `events`, first logs `finished <value>` there. */
export function* after<T>(seconds: number, value: T, events?: string[]): asyncio.Coro<T> {
  yield* asyncio.sleep(seconds);
  events?.push(`finished ${String(value)}`);
  return value;
}

/** Sleeps `seconds`, then throws `error` (by default a RangeError "failed after <seconds>"). */
export function* failAfter(seconds: number, error?: unknown): asyncio.Coro<never> {
  yield* asyncio.sleep(seconds);
  throw error === undefined ? new RangeError(`failed after ${seconds}`) : error;
}

/** Sleeps 10 seconds; however that ends (done or cancelled), logs `<name> finally` in `events`. */
export function* sleepLoggingFinally(name: string, events: string[]): asyncio.Coro<void> {
  try {
    yield* asyncio.sleep(10);
  } finally {
    events.push(`${name} finally`);
  }
}

/** Runs `body`, expecting it to throw; returns what it threw (fails the test if it did not). */
export function* caught(body: asyncio.Awaitable<unknown>): asyncio.Coro<unknown> {
  try {
    yield* body;
  } catch (error) {
    return error;
  }
  return assert.fail("expected an error");
}

/** The port of a TCP server's first listening socket. */
export function portOf(server: asyncio.Server): number {
  return (server.sockets[0]!.getsockname() as [string, number])[1];
}

/**
 * What `call()` is refused with: the error it throws, its returned Promise's rejection, or the
 * error of the first step of the coroutine it returns. Fails the test when the call is accepted.
 */
export async function refusal(call: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return error;
  }
  if (!(result instanceof Promise)) return refusalNow(() => result);
  try {
    await result;
  } catch (rejection) {
    return rejection;
  }
  return assert.fail("the call was accepted");
}

/** {@link refusal} for calls that are refused at once (inside a running loop, say). */
export function refusalNow(call: () => unknown): unknown {
  try {
    const result = call();
    if (asyncio.isCoroutine(result)) {
      result.next();
      result.return(undefined);
    }
  } catch (error) {
    return error;
  }
  return assert.fail("the call was accepted");
}

/** One bad call of an argument table: what is called, the error class and message it must give. */
export type BadCall = [
  label: string,
  call: () => unknown,
  error: new (...args: never[]) => Error,
  message: RegExp,
];

/** Checks every row of an argument table: the exact error class (by name) and its message. */
export async function checkBadCalls(rows: readonly BadCall[]): Promise<void> {
  for (const [label, call, ErrorClass, message] of rows) {
    checkRefusal(label, await refusal(call), ErrorClass, message);
  }
}

/** {@link checkBadCalls} for calls refused at once: runs inside a coroutine. */
export function checkBadCallsNow(rows: readonly BadCall[]): void {
  for (const [label, call, ErrorClass, message] of rows) {
    checkRefusal(label, refusalNow(call), ErrorClass, message);
  }
}

function checkRefusal(
  label: string,
  error: unknown,
  ErrorClass: new (...args: never[]) => Error,
  message: RegExp,
): void {
  assert.ok(error instanceof ErrorClass, `${label}: expected ${ErrorClass.name}, got ${error}`);
  assert.equal((error as Error).name, ErrorClass.name, `${label}: ${error}`);
  assert.match((error as Error).message, message, label);
}
