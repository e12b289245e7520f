/**
 * EventLoop: the scheduler of events.ts plus what needs futures and tasks (asyncio's
 * BaseEventLoop): `createFuture`, `createTask` and task factories, `runUntilComplete`, async
 * generator shutdown, the deadlock report that lists waiting tasks, and at close: closing what
 * the loop's I/O layers left open, and the unretrieved exception check.
 */

import type { AsyncGen } from "./asyncgen.ts";
import type { Awaitable, Coro } from "./coroutines.ts";
import { BaseEventLoop, type EventLoopOptions } from "./events.ts";
import { RuntimeError } from "./exceptions.ts";
import { formatValue } from "./format.ts";
import { Future, reportUnretrievedAtClose, whenAllDone } from "./futures.ts";
import { creationSite } from "./handles.ts";
import {
  ensureFuture,
  NO_TASK_OPTIONS,
  Task,
  type TaskFactory,
  type TaskOptions,
  taskCreationStack,
} from "./tasks.ts";

/**
 * @internal Something open on a loop that would keep Node alive: a server, an endpoint, a
 * transport, a child process. The layer that makes it adds it to `loop._openResources` and
 * deletes it once it is closed; closing the loop closes what is left.
 */
export interface LoopResource {
  /** Closes without waiting (a running child is killed), so Node is not kept alive. */
  _closeAtLoopClose(): void;
}

/**
 * An asyncio event loop. Most programs never make one: `asyncio.run(main())` does. Make one
 * to drive a loop by hand, or to pick the virtual clock.
 *
 * @example
 * ```ts
 * const loop = asyncio.newEventLoop({ clock: "virtual" });
 * const result = await loop.runUntilComplete(main());
 * loop.close();
 * ```
 */
export class EventLoop extends BaseEventLoop {
  /** @internal The task being stepped. */
  _currentTask: Task<unknown> | null = null;
  /** @internal First and last of the pending tasks (an intrusive list; see tasks.ts). */
  _taskHead: Task<unknown> | null = null;
  /** @internal */ _taskTail: Task<unknown> | null = null;
  /** @internal Futures whose exception nobody has retrieved yet. */
  readonly _unretrieved = new Set<WeakRef<Future<unknown>>>();
  /** @internal Async generators started on this loop and not finished. */
  readonly _asyncgens = new Set<WeakRef<AsyncGen<unknown, unknown>>>();
  /** @internal */ _asyncgensShutdownCalled = false;
  /**
   * @internal Clean-up that `Runner.close()` (so `run()`) runs after closing async generators
   * and before closing the loop, in order: higher layers register here (the executors layer
   * shuts the default executor down).
   */
  readonly _shutdownHooks: (() => Awaitable<void>)[] = [];
  /** @internal Servers, endpoints, transports and child processes not closed yet. */
  readonly _openResources = new Set<LoopResource>();
  #taskFactory: TaskFactory | null = null;

  constructor(options?: EventLoopOptions) {
    super(options);
  }

  /** A new pending Future on this loop. */
  createFuture<T = unknown>(): Future<T> {
    this._checkClosed();
    return new Future<T>(this);
  }

  /**
   * Schedules `coro` as a Task on this loop (through the task factory, if one is set).
   *
   * @example
   * ```ts
   * const task = loop.createTask(worker(1), { name: "worker-1" });
   * ```
   */
  createTask<T>(coro: Coro<T> | Awaitable<T>, options: TaskOptions = NO_TASK_OPTIONS): Task<T> {
    this._checkClosed();
    const factory = this.#taskFactory;
    if (factory === null) return new Task(coro, options, this);
    return factory(this, coro as Coro<T>, options);
  }

  /** Routes `createTask` through `factory(loop, coro, options)`; null restores the default. */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== "function") {
      throw new TypeError(
        `setTaskFactory() expects a function (loop, coro, options) => Task or null, got ${formatValue(factory)}`,
      );
    }
    this.#taskFactory = factory;
  }

  getTaskFactory(): TaskFactory | null {
    return this.#taskFactory;
  }

  /**
   * Runs the loop until `awaitable` (a coroutine becomes a Task) is done; resolves with its
   * result or rejects with its exception.
   *
   * @example
   * ```ts
   * const loop = asyncio.newEventLoop();
   * console.log(await loop.runUntilComplete(asyncio.sleep(0.1, "done")));
   * loop.close();
   * ```
   */
  async runUntilComplete<T>(awaitable: Awaitable<T> | PromiseLike<T>): Promise<T> {
    this._checkClosed();
    const future = ensureFuture(awaitable, this) as Future<T>;
    const stop = () => this.stop();
    future.addDoneCallback(stop);
    try {
      await this.runForever();
    } catch (error) {
      if (future.done() && !future.cancelled()) future.exception();
      throw error;
    } finally {
      future.removeDoneCallback(stop);
    }
    if (!future.done()) throw new RuntimeError("Event loop stopped before Future completed.");
    return future.result();
  }

  /**
   * Closes the loop. What is still open on it is closed, so nothing it made keeps Node alive:
   * servers stop listening, UDP endpoints and connections close (a connection's buffered data
   * is still flushed, without holding the process), pipes to child processes close and a child
   * still running is killed (SIGKILL). Then it reports (through the exception handler) every
   * task still pending, which can never run again, and every future and task whose exception
   * was never retrieved.
   */
  override close(): void {
    if (this.isClosed()) return;
    super.close();
    for (const resource of [...this._openResources]) {
      try {
        resource._closeAtLoopClose();
      } catch (exception) {
        this.callExceptionHandler({
          message: "closing a resource left open failed at loop close",
          exception,
          resource,
        });
      }
    }
    this._openResources.clear();
    for (let task = this._taskHead; task !== null; task = task._nextTask) {
      // It can never run again: say so rather than drop it silently (asyncio reports this
      // when such a task is garbage collected).
      this.callExceptionHandler({ message: "Task was destroyed but it is pending!", task });
    }
    reportUnretrievedAtClose(this);
    const trace = this._trace;
    if (trace !== null) {
      this._trace = null;
      const pending = [];
      for (let task = this._taskHead; task !== null; task = task._nextTask) pending.push(task);
      trace.close(pending);
    }
  }

  /**
   * Closes every async generator still open on this loop (their `finally` blocks run), as
   * `run()` does at shutdown.
   */
  *shutdownAsyncgens(): Awaitable<void> {
    this._asyncgensShutdownCalled = true;
    const open = [...this._asyncgens].map((ref) => ref.deref()).filter((gen) => gen !== undefined);
    this._asyncgens.clear();
    if (open.length === 0) return;
    const closing = open.map((gen) => this.createTask(gen.aclose(), { name: "asyncgen-close" }));
    yield* whenAllDone(closing, this);
    for (let index = 0; index < closing.length; index++) {
      const task = closing[index]!;
      if (!task.cancelled() && task.exception() !== null) {
        this.callExceptionHandler({
          message: "an error occurred during closing of asynchronous generator",
          exception: task.exception(),
          asyncgen: open[index],
        });
      }
    }
  }

  /** @internal Lists what each pending task waits on. */
  override _describeDeadlock(): string {
    const lines = [];
    for (let task = this._taskHead; task !== null; task = task._nextTask) {
      if (task.done()) continue;
      const waitsOn =
        task._futWaiter === null ? "nothing (it is scheduled)" : String(task._futWaiter);
      const stack = taskCreationStack(task);
      const site = stack === undefined ? null : creationSite(stack);
      lines.push(
        `  ${task.getName()} waits on ${waitsOn}${site ? ` (task created at ${site})` : ""}`,
      );
    }
    if (lines.length === 0) return super._describeDeadlock();
    return [
      `deadlock: ${lines.length} ${lines.length === 1 ? "task waits" : "tasks wait"} and nothing can wake them (no callback ready, no timer, nothing left in Node's event loop):`,
      ...lines,
      ...(this._debug
        ? []
        : ["(run with debug: true to see where each task and future was created)"]),
    ].join("\n");
  }
}

/**
 * A new event loop, not running and not current.
 *
 * @example
 * ```ts
 * const loop = asyncio.newEventLoop({ clock: "virtual" });
 * ```
 */
export function newEventLoop(options?: EventLoopOptions): EventLoop {
  return new EventLoop(options);
}
