/**
 * `run()` and `Runner` (asyncio/runners.py): make a loop, run a main coroutine as a task on
 * it, then clean up: cancel every task still pending and wait for their `finally` blocks,
 * close open async generators, shut down the default executor, close the loop.
 *
 * While a runner runs, the first SIGINT (Ctrl-C) cancels the main task, and `run()` then
 * rejects with KeyboardInterrupt; a second SIGINT ends the process as Node does by default.
 */

import { isMainThread } from "node:worker_threads";
import { Context, copyContext } from "./contextvars.ts";
import { type Awaitable, type Coro, isCoroutine, notACoroutineMessage } from "./coroutines.ts";
import { type ClockKind, runningLoopOrNull } from "./events.ts";
import { CancelledError, KeyboardInterrupt, RuntimeError, ValueError } from "./exceptions.ts";
import { formatValue } from "./format.ts";
import { Future, whenAllDone } from "./futures.ts";
import { EventLoop } from "./loop.ts";
import { allTasks, type Task } from "./tasks.ts";
import { checkBoolean, checkFunction, checkOptions } from "./validate.ts";

/** Options of `run()` and `new Runner()`. */
export interface RunOptions {
  /** Run the loop in debug mode. */
  debug?: boolean;
  /** `"virtual"`: every wait is instant (see EventLoop's `clock`). */
  clock?: ClockKind;
  /** Makes the loop (default: `new EventLoop({ clock, debug })`). */
  loopFactory?: () => EventLoop;
}

const RUN_OPTIONS = ["debug", "clock", "loopFactory"] as const;
const RUNNER_RUN_OPTIONS = ["context"] as const;

function checkRunOptions(options: RunOptions, where: string): void {
  checkOptions(options, where, RUN_OPTIONS);
  if (options.debug !== undefined) checkBoolean(options.debug, where, "debug");
  if (options.loopFactory !== undefined)
    checkFunction(options.loopFactory, where, "loopFactory", "a function returning an EventLoop");
}

/**
 * What `run()` and `Runner.run()` throw for anything but a coroutine: a ValueError, as
 * asyncio's "a coroutine was expected".
 */
function notACoroutine(where: string, value: unknown): ValueError {
  if (value instanceof Future) {
    return new ValueError(
      `${where} expects a coroutine object, got ${value}: pass the coroutine itself, or yield* the ${value._isTask() ? "task" : "future"} inside one`,
    );
  }
  return new ValueError(notACoroutineMessage(where, value));
}

const CREATED = 0;
const INITIALIZED = 1;
const CLOSED = 2;

/**
 * Runs several coroutines, one after another, on the same loop; `close()` cleans up as
 * `run()` does.
 *
 * @example
 * ```ts
 * const runner = new asyncio.Runner({ clock: "virtual" });
 * try {
 *   await runner.run(connect());
 *   await runner.run(serve());
 * } finally {
 *   await runner.close();
 * }
 * ```
 */
export class Runner {
  readonly #options: RunOptions;
  #state = CREATED;
  #loop: EventLoop | null = null;
  #context: Context | null = null;
  #interruptCount = 0;

  constructor(options: RunOptions = {}) {
    checkRunOptions(options, "Runner()");
    this.#options = options;
  }

  /** The runner's loop (created on first use). */
  getLoop(): EventLoop {
    return this.#lazyInit();
  }

  /**
   * Runs `coro` as a task on the runner's loop until it is done; resolves with its result.
   */
  async run<T>(coro: Coro<T> | Awaitable<T>, options: { context?: Context } = {}): Promise<T> {
    if (!isCoroutine(coro)) throw notACoroutine("Runner.run()", coro);
    checkOptions(options, "Runner.run()", RUNNER_RUN_OPTIONS);
    if (options.context !== undefined && !(options.context instanceof Context)) {
      throw new TypeError(
        `Runner.run(): context must be a Context (asyncio.copyContext()), got ${formatValue(options.context)}`,
      );
    }
    if (runningLoopOrNull() !== null) {
      throw new RuntimeError(
        "Runner.run() cannot be called from a running event loop: yield* the coroutine instead",
      );
    }
    const loop = this.#lazyInit();
    const task = loop.createTask(coro, { context: options.context ?? this.#context! });
    const onSigint = () => this.#onSigint(task, onSigint);
    const handlesSigint = isMainThread && process.listenerCount("SIGINT") === 0;
    if (handlesSigint) process.on("SIGINT", onSigint);
    this.#interruptCount = 0;
    try {
      return await loop.runUntilComplete(task);
    } catch (error) {
      if (error instanceof CancelledError && this.#interruptCount > 0 && task.uncancel() === 0) {
        throw new KeyboardInterrupt("interrupted by SIGINT", { cause: error });
      }
      throw error;
    } finally {
      if (handlesSigint) process.off("SIGINT", onSigint);
    }
  }

  /**
   * Cancels the tasks still pending and waits for them, closes open async generators, shuts
   * down the default executor and closes the loop.
   */
  async close(): Promise<void> {
    if (this.#state !== INITIALIZED) {
      this.#state = CLOSED;
      return;
    }
    const loop = this.#loop!;
    try {
      await cancelAllTasks(loop);
      await loop.runUntilComplete(loop.shutdownAsyncgens());
      for (const hook of loop._shutdownHooks.splice(0)) await loop.runUntilComplete(hook());
    } finally {
      loop.close();
      this.#loop = null;
      this.#state = CLOSED;
    }
  }

  #lazyInit(): EventLoop {
    if (this.#state === CLOSED) throw new RuntimeError("Runner is closed: make a new Runner");
    if (this.#state === INITIALIZED) return this.#loop!;
    const { loopFactory, clock, debug } = this.#options;
    const loop = loopFactory ? loopFactory() : new EventLoop({ clock: clock ?? "real" });
    if (debug !== undefined) loop.setDebug(debug);
    this.#loop = loop;
    this.#context = copyContext();
    this.#state = INITIALIZED;
    return loop;
  }

  #onSigint(mainTask: Task<unknown>, handler: () => void): void {
    this.#interruptCount++;
    if (this.#interruptCount === 1 && !mainTask.done()) {
      mainTask.cancel();
      return;
    }
    process.off("SIGINT", handler);
    process.kill(process.pid, "SIGINT");
  }
}

/** Cancels every pending task of `loop` and waits until all are done. */
async function cancelAllTasks(loop: EventLoop): Promise<void> {
  const tasks = [...allTasks(loop)];
  if (tasks.length === 0) return;
  for (const task of tasks) task.cancel();
  await loop.runUntilComplete(whenAllDone(tasks, loop));
  for (const task of tasks) {
    if (task.cancelled()) continue;
    const exception = task.exception();
    if (exception !== null) {
      loop.callExceptionHandler({
        message: "unhandled exception during asyncio.run() shutdown",
        exception,
        task,
      });
    }
  }
}

/**
 * Runs `main` on a new event loop and resolves with its result; then cancels what is left,
 * closes async generators and the default executor, and closes the loop.
 *
 * @example
 * ```ts
 * import * as asyncio from "asyncio-ts";
 *
 * function* main(): asyncio.Coro<string> {
 *   yield* asyncio.sleep(1);
 *   return "done";
 * }
 *
 * console.log(await asyncio.run(main()));
 * ```
 */
export async function run<T>(main: Coro<T> | Awaitable<T>, options: RunOptions = {}): Promise<T> {
  if (runningLoopOrNull() !== null) {
    throw new RuntimeError(
      "asyncio.run() cannot be called from a running event loop: yield* the coroutine, or createTask() it",
    );
  }
  if (!isCoroutine(main)) throw notACoroutine("run()", main);
  checkRunOptions(options, "run()");
  const runner = new Runner(options);
  try {
    return await runner.run(main);
  } finally {
    await runner.close();
  }
}
