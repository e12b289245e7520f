/**
 * Handles: a callback scheduled on the loop (`callSoon`) and a callback scheduled for a time
 * (`callLater` / `callAt`). A handle runs its callback once, in the context that was current
 * when it was scheduled, and sends an error it throws to the loop's exception handler.
 */

import { type ContextData, type ContextHolder, swapContext } from "./contextvars.ts";
import type { BaseEventLoop } from "./events.ts";
import { KeyboardInterrupt } from "./exceptions.ts";
import { formatValue, inspectSymbol } from "./format.ts";

// biome-ignore lint/suspicious/noExplicitAny: callbacks take whatever arguments they were scheduled with
export type Callback<A extends unknown[] = any[]> = (...args: A) => unknown;

/**
 * A callback scheduled by `callSoon`; `cancel()` stops it from running.
 *
 * @example
 * ```ts
 * const handle = loop.callSoon(() => console.log("never printed"));
 * handle.cancel();
 * handle.cancelled();   // true
 * ```
 */
export class Handle implements ContextHolder {
  // Declared with `declare` and assigned in the constructor, as Future's fields (see there):
  // TimerHandle is built on every callLater.
  /** @internal */ declare _callback: Callback | null;
  /** @internal */ declare _args: unknown[] | null;
  /** @internal */ declare readonly _loop: BaseEventLoop;
  /** @internal */ declare _cancelled: boolean;
  /**
   * @internal The context the callback runs in: the handle is its own context holder, so what
   * the callback sets stays private to it (asyncio runs each handle in its own copy) and no
   * Context object is made per callback.
   */
  declare _data: ContextData;
  /** @internal Where the handle was created (debug mode only). */
  declare _sourceTraceback: string | null;

  /** @internal Made by the loop's `callSoon`. */
  constructor(callback: Callback, args: unknown[], loop: BaseEventLoop, context: ContextData) {
    this._callback = callback;
    this._args = args;
    this._loop = loop;
    this._cancelled = false;
    this._data = context;
    this._sourceTraceback = loop._debug ? captureStack(this.constructor) : null;
  }

  /** Stops the callback from running; does nothing if it already ran. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      if (!this._loop._debug) {
        this._callback = null;
        this._args = null;
      }
    }
  }

  cancelled(): boolean {
    return this._cancelled;
  }

  /**
   * @internal Runs the callback in its context; its error goes to the exception handler, but a
   * KeyboardInterrupt ends the loop, as in asyncio.
   */
  _run(): void {
    if (this._cancelled) return;
    const previous = swapContext(this);
    try {
      this._callback!.apply(undefined, this._args!);
    } catch (error) {
      if (error instanceof KeyboardInterrupt) throw error;
      const context: Record<string, unknown> = {
        message: `Exception in callback ${describeCallback(this._callback, this._args)}`,
        exception: error,
        handle: this,
      };
      if (this._sourceTraceback !== null) context.sourceTraceback = this._sourceTraceback;
      this._loop.callExceptionHandler(context as { message: string });
    } finally {
      swapContext(previous);
    }
  }

  toString(): string {
    return `<${describeHandle(this).join(" ")}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A callback scheduled for a loop time by `callLater` / `callAt`; `when()` is that time.
 *
 * @example
 * ```ts
 * const timer = loop.callLater(5, () => console.log("five seconds later"));
 * timer.when() - loop.time();   // ≈ 5
 * timer.cancel();
 * ```
 */
export class TimerHandle extends Handle {
  /** @internal */ declare _when: number;
  /** @internal */ declare _seq: number;
  /** @internal True while in the loop's timer heap. */
  declare _scheduled: boolean;

  /** @internal Made by the loop's `callAt`. */
  constructor(
    when: number,
    seq: number,
    callback: Callback,
    args: unknown[],
    loop: BaseEventLoop,
    context: ContextData,
  ) {
    super(callback, args, loop, context);
    this._when = when;
    this._seq = seq;
    this._scheduled = true;
  }

  /** The loop time the callback is scheduled for. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled && this._scheduled) this._loop._timers.cancelledCount++;
    super.cancel();
  }
}

/** `name(arg, …)` for reports. */
export function describeCallback(callback: Function | null, args: unknown[] | null): string {
  const name = callback === null ? "<callback>" : callback.name || "<anonymous>";
  const shown = (args ?? []).map((arg) => formatValue(arg));
  return `${name}(${shown.join(", ")})`;
}

/** @internal A stack captured at a creation site, without the library's own frames. */
export function captureStack(skipAbove: Function): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, skipAbove);
  return (holder.stack ?? "").split("\n").slice(1).join("\n");
}

/** @internal The first frame of a captured stack that is not the library's own. */
export function creationSite(stack: string): string | null {
  for (const line of stack.split("\n")) {
    const frame = line.trim().replace(/^at /, "");
    if (frame && !frame.includes("/src/core/")) return frame;
  }
  return null;
}

/** What a handle's `toString()` lists (a function, not a private method: see Handle's fields). */
function describeHandle(handle: Handle): string[] {
  const parts = [handle.constructor.name];
  if (handle._cancelled) parts.push("cancelled");
  if (handle._callback !== null) parts.push(describeCallback(handle._callback, handle._args));
  if (handle instanceof TimerHandle) parts.push(`when=${handle._when}`);
  if (handle._sourceTraceback !== null) {
    const site = creationSite(handle._sourceTraceback);
    if (site) parts.push(`created at ${site}`);
  }
  return parts;
}
