/**
 * `loop.addSignalHandler` and `loop.removeSignalHandler` (asyncio's Unix loop): a signal
 * arriving from Node's `process.on(signal)` schedules the callback on the loop with
 * `callSoon`, so it runs between tasks like any other callback. One handler per signal and
 * loop; `run()` removes them when it finishes.
 *
 * Node does not stay alive for signal listeners alone, but a loop whose tasks wait for a
 * signal is not deadlocked: while a loop has a handler, a timer that never fires keeps Node
 * (and so the loop) alive.
 */

import { constants } from "node:os";
import { RuntimeError, ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { Callback } from "../core/handles.ts";
import type { EventLoop } from "../core/loop.ts";
import { addShutdownHook, checkClosed } from "../core/lowlevel.ts";

interface LoopHandlers {
  listeners: Map<NodeJS.Signals, () => void>;
  keepAlive: ReturnType<typeof setInterval> | null;
}

const handlersByLoop = new WeakMap<EventLoop, LoopHandlers>();

/** The longest interval Node takes: the keep-alive timer never fires in practice. */
const KEEP_ALIVE_MS = 2 ** 31 - 1;

function keepAliveTick(): void {}

const UNCATCHABLE = new Set(["SIGKILL", "SIGSTOP"]);

function signalName(signal: unknown): NodeJS.Signals {
  if (typeof signal !== "string" && typeof signal !== "number") {
    throw new TypeError(
      `signal must be a name such as "SIGTERM" or its number, got ${formatValue(signal)}`,
    );
  }
  if (typeof signal === "string" && Object.hasOwn(constants.signals, signal)) {
    if (UNCATCHABLE.has(signal)) throw new RuntimeError(`sig ${signal} cannot be caught`);
    return signal as NodeJS.Signals;
  }
  if (typeof signal === "number") {
    for (const [name, number] of Object.entries(constants.signals)) {
      if (number === signal) return signalName(name);
    }
  }
  throw new ValueError(
    `invalid signal ${formatValue(signal)}: use a name such as "SIGTERM" or its number`,
  );
}

/**
 * Calls `callback(...args)` on the loop whenever `signal` arrives (replacing this loop's
 * previous handler for it).
 *
 * @example
 * ```ts
 * const loop = asyncio.getRunningLoop();
 * loop.addSignalHandler("SIGTERM", () => server.close());
 * ```
 */
export function addSignalHandler<A extends unknown[]>(
  this: EventLoop,
  signal: NodeJS.Signals | number,
  callback: Callback<A>,
  ...args: A
): void {
  const name = signalName(signal);
  if (typeof callback !== "function") {
    throw new TypeError(
      `addSignalHandler() expects a function as its callback, got ${formatValue(callback)}`,
    );
  }
  checkClosed(this);
  let handlers = handlersByLoop.get(this);
  if (handlers === undefined) {
    handlers = { listeners: new Map(), keepAlive: null };
    handlersByLoop.set(this, handlers);
    addShutdownHook(this, removeAll.bind(null, this));
  }
  const previous = handlers.listeners.get(name);
  if (previous !== undefined) process.off(name, previous);
  const listener = () => {
    if (!this.isClosed()) this.callSoon(callback, ...args);
  };
  handlers.listeners.set(name, listener);
  handlers.keepAlive ??= setInterval(keepAliveTick, KEEP_ALIVE_MS);
  process.on(name, listener);
}

/**
 * Removes this loop's handler for `signal`; true if there was one.
 *
 * @example
 * ```ts
 * loop.removeSignalHandler("SIGTERM");
 * ```
 */
export function removeSignalHandler(this: EventLoop, signal: NodeJS.Signals | number): boolean {
  const name = signalName(signal);
  const handlers = handlersByLoop.get(this);
  const listener = handlers?.listeners.get(name);
  if (listener === undefined) return false;
  process.off(name, listener);
  handlers!.listeners.delete(name);
  if (handlers!.listeners.size === 0 && handlers!.keepAlive !== null) {
    clearInterval(handlers!.keepAlive);
    handlers!.keepAlive = null;
  }
  return true;
}

function* removeAll(loop: EventLoop): Generator<undefined, void, unknown> {
  const handlers = handlersByLoop.get(loop);
  if (handlers === undefined) return;
  for (const [name, listener] of handlers.listeners) process.off(name, listener);
  if (handlers.keepAlive !== null) clearInterval(handlers.keepAlive);
  handlersByLoop.delete(loop);
}
