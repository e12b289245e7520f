/**
 * Shared test helpers: run a coroutine on a virtual-clock loop, collect what reaches the
 * exception handler and the logger.
 */

import * as asyncio from "../src/index.ts";

/** Runs `main` with asyncio.run on the virtual clock. */
export function runVirtual<T>(main: asyncio.Coro<T>, options: asyncio.RunOptions = {}): Promise<T> {
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
