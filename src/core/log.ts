/**
 * The library's logger (asyncio's `logging.getLogger("asyncio")`): where debug-mode warnings
 * and the default exception handler write. Replace it with {@link setLogger} to route them
 * elsewhere (a test collects them; an application sends them to its own logger).
 */

import { formatValue } from "./format.ts";

/** What asyncio-ts writes its diagnostics to. */
export interface Logger {
  warning(message: string): void;
  error(message: string, error?: unknown): void;
}

const consoleLogger: Logger = {
  warning(message) {
    console.warn(message);
  },
  error(message, error) {
    if (error === undefined) console.error(message);
    else console.error(message, error);
  },
};

/** The logger in use (public through `lowlevel`). */
export let logger: Logger = consoleLogger;

/**
 * Routes asyncio-ts's diagnostics to `next` (null restores the console); returns the logger it
 * replaces.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * asyncio.setLogger({ warning: (m) => lines.push(m), error: (m) => lines.push(m) });
 * ```
 */
export function setLogger(next: Logger | null): Logger {
  if (
    next !== null &&
    (typeof next !== "object" ||
      typeof next.warning !== "function" ||
      typeof next.error !== "function")
  ) {
    throw new TypeError(
      `setLogger(): the logger must be an object with warning(message) and error(message, error) methods, or null, got ${formatValue(next)}`,
    );
  }
  const previous = logger;
  logger = next ?? consoleLogger;
  return previous;
}
