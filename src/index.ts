/**
 * asyncio-ts: Python's asyncio for TypeScript on Node.js. This module is the one public entry:
 * everything a user imports is named here.
 *
 * @example
 * ```ts
 * import * as asyncio from "asyncio-ts";
 *
 * function* main(): asyncio.Coro<void> {
 *   yield* asyncio.sleep(0.1);
 *   console.log("hello from a coroutine");
 * }
 * await asyncio.run(main());
 * ```
 */

export { AsyncGen, type AsyncGenBody, asyncGenerator, type Emit, emit } from "./core/asyncgen.ts";
export { Context, ContextVar, copyContext, Token } from "./core/contextvars.ts";
export {
  type Awaitable,
  type AwaitedOf,
  type Coro,
  type CoroFunction,
  isCoroutine,
  type Suspend,
  type Yielded,
} from "./core/coroutines.ts";
export {
  type ClockKind,
  type EventLoopOptions,
  type ExceptionContext,
  type ExceptionHandler,
  getRunningLoop,
} from "./core/events.ts";
export {
  CancelledError,
  DeadlockError,
  InvalidStateError,
  isCancelledError,
  KeyboardInterrupt,
  LookupError,
  RuntimeError,
  rethrowIfCancelled,
  TimeoutError,
  ValueError,
} from "./core/exceptions.ts";
export { type DoneCallback, Future, isFuture } from "./core/futures.ts";
export { type Callback, Handle, TimerHandle } from "./core/handles.ts";
export { type Logger, setLogger } from "./core/log.ts";
export { EventLoop, newEventLoop } from "./core/loop.ts";
export { abortable, fromPromise } from "./core/promises.ts";
export { Runner, type RunOptions, run } from "./core/runners.ts";
export { sleep } from "./core/sleep.ts";
export {
  allTasks,
  createTask,
  currentTask,
  eagerTaskFactory,
  ensureFuture,
  Task,
  type TaskFactory,
  type TaskOptions,
} from "./core/tasks.ts";
