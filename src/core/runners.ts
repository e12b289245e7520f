/**
 * `run()` and `Runner` (asyncio/runners.py): make a loop, run a main coroutine as a task on
 * it, then clean up: cancel every task still pending and wait for their `finally` blocks,
 * close open async generators, shut down the default executor, close the loop.
 *
 * While a runner runs, the first SIGINT (Ctrl-C) cancels the main task, and `run()` then
 * rejects with KeyboardInterrupt; a second SIGINT ends the process as Node does by default.
 *
 * `ConcurrentRunner` is the same clean-up around one loop that ordinary async code (a request
 * handler, a CLI, a test) shares: its `run()` calls may overlap, each coroutine a task of its
 * own, cancellable through an AbortSignal.
 *
 * A KeyboardInterrupt that nobody catches ends the process with status 130 (as Python's does),
 * so a supervisor can tell Ctrl-C from a crash.
 */

import { writeSync } from "node:fs";

import { isMainThread } from "node:worker_threads";
import { Context, copyContext } from "./contextvars.ts";
import {
  type Awaitable,
  type Coro,
  describeType,
  isCoroutine,
  notACoroutineMessage,
} from "./coroutines.ts";
import { type ClockKind, runningLoopOrNull } from "./events.ts";
import { CancelledError, KeyboardInterrupt, RuntimeError, ValueError } from "./exceptions.ts";
import { formatValue } from "./format.ts";
import { Future, whenAllDone } from "./futures.ts";
import { EventLoop } from "./loop.ts";
import { allTasks, type Task } from "./tasks.ts";
import { checkTraceOption, type TraceOptions, tracerFor } from "./trace.ts";
import { checkBoolean, checkFunction, checkOptions } from "./validate.ts";

/** Options of `run()` and `new Runner()`. */
export interface RunOptions {
  /** Run the loop in debug mode. */
  debug?: boolean;
  /** `"virtual"`: every wait is instant (see EventLoop's `clock`). */
  clock?: ClockKind;
  /** Makes the loop (default: `new EventLoop({ clock, debug })`). */
  loopFactory?: () => EventLoop;
  /**
   * Writes a trace timeline (Chrome Trace Event JSON, for Perfetto UI) of the loop to this
   * file, or as `{ path, lastEvents }` only its last events. Unset: the `ASYNCIO_TS_TRACE`
   * environment variable names the file, if set. docs/observability.md describes the tracks.
   */
  trace?: string | TraceOptions;
}

const RUN_OPTIONS = ["debug", "clock", "loopFactory", "trace"] as const;
const RUNNER_RUN_OPTIONS = ["context"] as const;
const CONCURRENT_RUN_OPTIONS = ["signal", "name", "context"] as const;

function checkRunOptions(options: RunOptions, where: string): void {
  checkOptions(options, where, RUN_OPTIONS);
  if (options.debug !== undefined) checkBoolean(options.debug, where, "debug");
  if (options.loopFactory !== undefined)
    checkFunction(options.loopFactory, where, "loopFactory", "a function returning an EventLoop");
  if (options.trace !== undefined) checkTraceOption(options.trace, where);
}

/**
 * The loop a Runner or ConcurrentRunner runs on: made on first use (set to debug and traced as
 * the options say) with the context its runs default to, and shut down once.
 */
class RunnerLoop {
  readonly #options: RunOptions;
  /** The runner's class name, for errors. */
  readonly #owner: string;
  #loop: EventLoop | null = null;
  #context: Context | null = null;
  #closed = false;

  constructor(options: RunOptions, owner: string) {
    this.#options = options;
    this.#owner = owner;
  }

  /** The loop, if it was made and is not shut down yet. */
  get current(): EventLoop | null {
    return this.#loop;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The context runs default to: a copy of the one the loop was made in. */
  get context(): Context {
    return this.#context!;
  }

  /** The loop, made on first use; a closed runner refuses. */
  get(): EventLoop {
    if (this.#closed) {
      throw new RuntimeError(`${this.#owner} is closed: make a new ${this.#owner}`);
    }
    if (this.#loop !== null) return this.#loop;
    const { loopFactory, clock, debug, trace } = this.#options;
    const loop = loopFactory ? loopFactory() : new EventLoop({ clock: clock ?? "real" });
    if (debug !== undefined) loop.setDebug(debug);
    const tracer = tracerFor(trace);
    if (tracer !== null) {
      tracer.pendingTasks = () => allTasks(loop);
      loop._trace = tracer;
    }
    this.#loop = loop;
    this.#context = copyContext();
    return loop;
  }

  /** Shuts the loop down if it was made (see {@link shutdownLoop}); closed either way. */
  async close(): Promise<void> {
    const loop = this.#loop;
    try {
      if (loop !== null) await shutdownLoop(loop);
    } finally {
      this.#loop = null;
      this.#closed = true;
    }
  }
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
  readonly #loop: RunnerLoop;
  #interruptCount = 0;

  constructor(options: RunOptions = {}) {
    checkRunOptions(options, "Runner()");
    this.#loop = new RunnerLoop(options, "Runner");
  }

  /** The runner's loop (created on first use). */
  getLoop(): EventLoop {
    return this.#loop.get();
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
        `Runner.run() cannot be called from a running event loop: ${FROM_A_RUNNING_LOOP_FIX}`,
      );
    }
    const loop = this.#loop.get();
    const task = loop.createTask(coro, { context: options.context ?? this.#loop.context });
    const onSigint = () => this.#onSigint(task, onSigint);
    const handlesSigint = isMainThread && process.listenerCount("SIGINT") === 0;
    if (handlesSigint) process.on("SIGINT", onSigint);
    this.#interruptCount = 0;
    try {
      return await loop.runUntilComplete(task);
    } catch (error) {
      if (error instanceof CancelledError && this.#interruptCount > 0 && task.uncancel() === 0) {
        exitOnUncaughtInterrupt();
        throw new KeyboardInterrupt("interrupted by SIGINT", { cause: error });
      }
      if (error instanceof KeyboardInterrupt) exitOnUncaughtInterrupt();
      throw error;
    } finally {
      if (handlesSigint) process.off("SIGINT", onSigint);
    }
  }

  /**
   * Cancels the tasks still pending and waits for them, closes open async generators, shuts
   * down the default executor and closes the loop.
   */
  close(): Promise<void> {
    return this.#loop.close();
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

/**
 * What `run()` says when it is called while a loop runs: the fix inside a coroutine, and the
 * one for ordinary async code that runs beside a loop.
 */
const FROM_A_RUNNING_LOOP_FIX =
  "inside a coroutine, yield* the coroutine or createTask() it; from ordinary async code (a request handler, a CLI) that runs coroutines concurrently, share one asyncio.ConcurrentRunner and await runner.run(coro)";

/**
 * Cancels what is left on `loop` (not running) and waits for it, closes async generators, runs
 * the shutdown hooks (the default executor), then closes the loop.
 */
async function shutdownLoop(loop: EventLoop): Promise<void> {
  try {
    await cancelAllTasks(loop);
    await loop.runUntilComplete(loop.shutdownAsyncgens());
    for (const hook of loop._shutdownHooks.splice(0)) await loop.runUntilComplete(hook());
  } finally {
    loop.close();
  }
}

let exitsOnUncaughtInterrupt = false;

/**
 * From the first KeyboardInterrupt `run()` rejects with on: if it reaches Node uncaught (no
 * `catch`, no `uncaughtException` listener), the process prints it and ends with status 130,
 * where Node would end with 1. The monitor sees it only after every `finally` block ran.
 */
function exitOnUncaughtInterrupt(): void {
  if (exitsOnUncaughtInterrupt || !isMainThread) return;
  exitsOnUncaughtInterrupt = true;
  process.on("uncaughtExceptionMonitor", (error) => {
    if (!(error instanceof KeyboardInterrupt)) return;
    if (process.listenerCount("uncaughtException") > 0) return;
    writeSync(2, `${error.stack ?? String(error)}\n`);
    process.exit(130);
  });
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
      `asyncio.run() cannot be called from a running event loop: ${FROM_A_RUNNING_LOOP_FIX}`,
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

/**
 * Options of `ConcurrentRunner.run()`.
 *
 * @example
 * ```ts
 * await runner.run(handle(request), { signal: AbortSignal.timeout(5000), name: "request-7" });
 * ```
 */
export interface ConcurrentRunOptions {
  /**
   * Cancels the coroutine's task when it aborts (pass a request's or a test's signal); `run()`
   * then rejects with CancelledError once the coroutine's `finally` blocks have run.
   */
  signal?: AbortSignal;
  /** The task's name (default `Task-N`). */
  name?: string;
  /** The context the task runs in (default: a copy of the runner's). */
  context?: Context;
}

/**
 * One event loop shared by ordinary async code: each `run(coro)` runs a coroutine as a task of
 * its own and resolves with its result, and calls may overlap (an HTTP server's requests, a
 * CLI's jobs), so the coroutines share the loop's Locks, Semaphores and Queues. An AbortSignal
 * cancels a run. `close()` cancels what is left, waits for its `finally` blocks, and closes the
 * loop, as `asyncio.run()` does at its end.
 *
 * The loop runs from the first `run()` until `close()`; while it runs it is the running loop
 * (so `asyncio.run()` elsewhere is refused). SIGINT is left to the host program.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import * as asyncio from "asyncio-ts";
 *
 * const runner = new asyncio.ConcurrentRunner();
 * const database = new asyncio.Semaphore(10);
 *
 * function* handle(path: string): asyncio.Coro<string> {
 *   return yield* asyncio.using(database, function* () {
 *     yield* asyncio.sleep(0.05);
 *     return `you asked for ${path}`;
 *   });
 * }
 *
 * const server = createServer(async (request, response) => {
 *   const aborted = new AbortController();
 *   response.on("close", () => aborted.abort());
 *   try {
 *     response.end(await runner.run(handle(request.url ?? "/"), { signal: aborted.signal }));
 *   } catch (error) {
 *     if (!(error instanceof asyncio.CancelledError)) response.destroy(error as Error);
 *   }
 * });
 * server.listen(8080, "127.0.0.1");
 * process.once("SIGTERM", () => server.close(() => void runner.close()));
 * ```
 */
export class ConcurrentRunner {
  readonly #loop: RunnerLoop;
  /** What `runForever()` returned while the loop runs. */
  #running: Promise<void> | null = null;
  /** How to reject the runs still waiting, should the loop stop with an error. */
  readonly #waitingRuns = new Set<(error: unknown) => void>();
  #closing: Promise<void> | null = null;

  constructor(options: RunOptions = {}) {
    checkRunOptions(options, "ConcurrentRunner()");
    this.#loop = new RunnerLoop(options, "ConcurrentRunner");
  }

  /** The runner's loop (created on first use). */
  getLoop(): EventLoop {
    return this.#loop.get();
  }

  /**
   * Runs `coro` as a new task on the shared loop and resolves with its result (or rejects with
   * its error); other runs go on meanwhile. When `signal` aborts, the task is cancelled and the
   * Promise rejects with CancelledError after the coroutine's `finally` blocks ran.
   *
   * @example
   * ```ts
   * const [a, b] = await Promise.all([runner.run(fetchOne(1)), runner.run(fetchOne(2))]);
   * ```
   */
  async run<T>(coro: Coro<T> | Awaitable<T>, options: ConcurrentRunOptions = {}): Promise<T> {
    if (!isCoroutine(coro)) throw notACoroutine("ConcurrentRunner.run()", coro);
    checkOptions(options, "ConcurrentRunner.run()", CONCURRENT_RUN_OPTIONS);
    const { signal, name, context } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(
        `ConcurrentRunner.run(): signal must be an AbortSignal (such as new AbortController().signal), got ${describeType(signal)}`,
      );
    }
    if (context !== undefined && !(context instanceof Context)) {
      throw new TypeError(
        `ConcurrentRunner.run(): context must be a Context (asyncio.copyContext()), got ${formatValue(context)}`,
      );
    }
    if (this.#closing !== null || this.#loop.closed) {
      throw new RuntimeError(
        "ConcurrentRunner.run() was called after close(): make a new ConcurrentRunner",
      );
    }
    const running = runningLoopOrNull();
    if (running !== null && running !== this.#loop.current) {
      throw new RuntimeError(
        "ConcurrentRunner.run() cannot start its loop while another event loop runs (under asyncio.run() or a Runner): inside a coroutine, yield* the coroutine or createTask() it",
      );
    }
    const loop = this.#loop.get();
    const task = loop.createTask(coro, {
      context: context ?? this.#loop.context,
      ...(name === undefined ? {} : { name }),
    });
    if (signal !== undefined) cancelOnAbort(task, signal);
    this.#ensureRunning(loop);
    return new Promise<T>((resolve, reject) => {
      this.#waitingRuns.add(reject);
      task.addDoneCallback(() => {
        this.#waitingRuns.delete(reject);
        try {
          resolve(task.result());
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /**
   * Cancels every task still on the loop (runs in progress reject with CancelledError) and
   * waits for their `finally` blocks, closes async generators, shuts down the default executor
   * and closes the loop. Later calls wait for the same shutdown.
   *
   * @example
   * ```ts
   * server.close(() => void runner.close());
   * ```
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    const current = this.#loop.current;
    if (current !== null && current._currentTask !== null) {
      return Promise.reject(
        new RuntimeError(
          "ConcurrentRunner.close() cannot be called from a coroutine running on its loop: close it from the code that made it, once the work is over",
        ),
      );
    }
    this.#closing = this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const loop = this.#loop.current;
    if (loop !== null && this.#running !== null) {
      loop.stop();
      // An error the loop stopped with was already passed to the runs waiting (#ensureRunning).
      await this.#running.catch(() => {});
    }
    await this.#loop.close();
  }

  /** Starts the loop unless it runs; it runs until `close()` (or until it deadlocks). */
  #ensureRunning(loop: EventLoop): void {
    if (loop.isRunning()) return;
    const running = loop.runForever().then(
      () => {
        this.#running = null;
      },
      (error: unknown) => {
        this.#running = null;
        this.#loopFailed(loop, error);
        throw error;
      },
    );
    this.#running = running;
    running.catch(() => {});
  }

  /**
   * The loop stopped with an error (a DeadlockError when every task waits on something that
   * can never happen): the runs waiting on it get the error; with none waiting, the exception
   * handler reports it if tasks were left stuck. The next `run()` starts the loop again.
   */
  #loopFailed(loop: EventLoop, error: unknown): void {
    const waiting = [...this.#waitingRuns];
    this.#waitingRuns.clear();
    for (const reject of waiting) reject(error);
    if (waiting.length === 0 && allTasks(loop).size > 0) {
      loop.callExceptionHandler({ message: "ConcurrentRunner's loop stopped", exception: error });
    }
  }
}

/** Cancels `task` when `signal` aborts; the listener goes when the task is done. */
function cancelOnAbort(task: Task<unknown>, signal: AbortSignal): void {
  const onAbort = () => task.cancel(abortMessage(signal.reason));
  if (signal.aborted) {
    onAbort();
    return;
  }
  signal.addEventListener("abort", onAbort, { once: true });
  task.addDoneCallback(() => signal.removeEventListener("abort", onAbort));
}

function abortMessage(reason: unknown): string {
  const detail = reason instanceof Error ? reason.message : String(reason);
  return `aborted by its AbortSignal: ${detail}`;
}
