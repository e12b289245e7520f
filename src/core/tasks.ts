/**
 * Task: a Future that drives a coroutine (asyncio/tasks.py). Each step resumes the coroutine
 * until it yields; a yielded pending Future puts the task to sleep until that future is done,
 * a bare `yield` puts it back on the ready queue for the next iteration.
 *
 * Cancellation is asyncio's: `cancel()` cancels the future the task waits on (or, when it
 * waits on nothing, throws CancelledError into it at its next step); `cancelling()` counts the
 * requests, `uncancel()` withdraws one. docs/cancellation.md has the rules.
 *
 * The loop keeps every pending task in an intrusive list: a task nobody references still runs
 * to completion, and `allTasks()` needs no Set.
 */

import {
  Context,
  type ContextData,
  currentContextData,
  handOverContext,
  swapContext,
} from "./contextvars.ts";
import {
  type Awaitable,
  type Coro,
  describeType,
  explainNotIterable,
  isAwaitable,
  isCoroutine,
  isThenable,
  notACoroutineMessage,
  RESUME,
} from "./coroutines.ts";
import { getRunningLoop } from "./events.ts";
import {
  CancelledError,
  cancelledError,
  InvalidStateError,
  KeyboardInterrupt,
  RuntimeError,
  ValueError,
} from "./exceptions.ts";
import { CANCEL_COUNT_SHIFT, CANCEL_REQUEST, MUST_CANCEL, OWN_CONTEXT } from "./flags.ts";
import { formatValue } from "./format.ts";
import { Future, PENDING, sourceTracebacks } from "./futures.ts";
import { checkFunction, checkOptions } from "./validate.ts";

/** The Context objects of tasks that have one (rare: most tasks hold their context data). */
const explicitContexts = new WeakMap<Task<unknown>, Context>();

/** Messages of cancellations requested while a task waited on nothing (rare). */
const cancelMessages = new WeakMap<Task<unknown>, string>();

import { logger } from "./log.ts";
import type { EventLoop } from "./loop.ts";
import { fromPromise } from "./promises.ts";

/** Options of `createTask`. */
export interface TaskOptions {
  /** The task's name (default `Task-N`). */
  name?: string;
  /** The context the task runs in (default: a copy of the current one). */
  context?: Context;
  /**
   * Run the coroutine synchronously, up to its first suspension, inside `createTask` (asyncio
   * 3.12's eager tasks). A coroutine that finishes without suspending never touches the loop.
   */
  eagerStart?: boolean;
}

/** A loop's task factory: `loop.setTaskFactory(factory)` routes every `createTask` through it. */
export type TaskFactory = <T>(loop: EventLoop, coro: Coro<T>, options: TaskOptions) => Task<T>;

/** No error to throw into the coroutine at the next step. */
const NO_ERROR: unique symbol = Symbol("asyncio.noError");

/** Marks a coroutine some task already drives. */
const DRIVEN: unique symbol = Symbol("asyncio.driven");

let taskCounter = 0;

/** @internal Shared "no options", so creating a task allocates no options object. */
export const NO_TASK_OPTIONS: TaskOptions = Object.freeze({});

/**
 * A scheduled coroutine. Create one with `asyncio.createTask(coro)`; wait for it with
 * `yield* task`; stop it with `task.cancel()`.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const task = asyncio.createTask(fetchUser(7), { name: "fetch-7" });
 *   yield* asyncio.sleep(0.5);
 *   if (!task.done()) task.cancel("too slow");
 *   try {
 *     console.log(yield* task);
 *   } catch (e) {
 *     if (asyncio.isCancelledError(e)) console.log("cancelled:", e.message);
 *   }
 * }
 * ```
 */
export class Task<T = unknown> extends Future<T> {
  // Task keeps its field declarations: moving them into constructor assignments, as Future's,
  // made the spawn workload slower (measured), and the library does not subclass Task.
  /** @internal */ _coro: Coro<T>;
  /** @internal A number n stands for the lazily made name `Task-n`. */
  _name: string | number;
  /**
   * @internal The task is its own context holder: the data its steps run with, saving a
   * Context allocation per task. A task given a Context (or asked for one) runs in that
   * object instead (OWN_CONTEXT).
   */
  _data: ContextData;
  /** @internal The future this task sleeps on. */
  _futWaiter: Future<unknown> | null = null;
  /** @internal Links of the loop's list of pending tasks. */
  _prevTask: Task<unknown> | null = null;
  /** @internal */ _nextTask: Task<unknown> | null = null;

  /** Prefer `asyncio.createTask(coro)` or `loop.createTask(coro)`, which honour task factories. */
  constructor(
    coro: Coro<T> | Awaitable<T>,
    options: TaskOptions = NO_TASK_OPTIONS,
    loop?: EventLoop,
  ) {
    if (options !== NO_TASK_OPTIONS) checkTaskOptions(options);
    const owner = loop ?? getRunningLoop();
    super(owner);
    this._coro = adoptCoroutine(coro, this);
    this._name = options.name === undefined ? ++taskCounter : String(options.name);
    // While pending, _result holds the error to throw in at the next step.
    this._result = NO_ERROR;
    const context = options.context;
    if (context === undefined) this._data = currentContextData();
    else {
      this._data = context._data;
      this._flags |= OWN_CONTEXT;
      explicitContexts.set(this as Task<unknown>, context);
    }
    registerTask(this);
    if (owner._trace !== null) owner._trace.taskCreated(this);
    if (options.eagerStart && owner.isRunning()) this.#eagerStart();
    else owner._readyPush(this);
  }

  getName(): string {
    return typeof this._name === "number" ? `Task-${this._name}` : this._name;
  }

  setName(name: unknown): void {
    this._name = String(name);
  }

  /** The coroutine this task drives. */
  getCoro(): Coro<T> {
    return this._coro;
  }

  /** The context the task's steps run in. */
  getContext(): Context {
    if (this._flags & OWN_CONTEXT) return explicitContexts.get(this as Task<unknown>)!;
    const context = new Context(this._data);
    explicitContexts.set(this as Task<unknown>, context);
    this._flags |= OWN_CONTEXT;
    handOverContext(this, context);
    return context;
  }

  /** @internal The message of a cancellation requested while waiting on nothing. */
  get _cancelMessage(): string | undefined {
    return cancelMessages.get(this as Task<unknown>);
  }

  /** @internal Throw CancelledError in at the next step. */
  get _mustCancel(): boolean {
    return (this._flags & MUST_CANCEL) !== 0;
  }

  set _mustCancel(value: boolean) {
    this._flags = value ? this._flags | MUST_CANCEL : this._flags & ~MUST_CANCEL;
  }

  /**
   * Requests cancellation: the coroutine gets a CancelledError (carrying `message`) at its
   * current `yield*`, and may catch it. Returns false if the task is already done.
   */
  override cancel(message?: string): boolean {
    this._dropTraceback();
    if (this._state !== PENDING) return false;
    this._flags += CANCEL_REQUEST;
    // The waited-on future takes the cancellation; if it is a Task that ignores it, this task
    // keeps waiting and may be cancelled again later, so _futWaiter stays.
    if (this._futWaiter !== null && this._futWaiter.cancel(message)) return true;
    // Waiting on nothing: a step is already scheduled, and throws CancelledError in.
    this._mustCancel = true;
    if (message === undefined) cancelMessages.delete(this as Task<unknown>);
    else cancelMessages.set(this as Task<unknown>, message);
    return true;
  }

  /** How many cancellation requests are pending (not withdrawn by `uncancel()`). */
  cancelling(): number {
    return this._flags >>> CANCEL_COUNT_SHIFT;
  }

  /**
   * Withdraws one cancellation request; returns how many remain. The party that called
   * `cancel()` calls it once it has handled that cancellation (timeouts and TaskGroups do).
   */
  uncancel(): number {
    if (this._flags >= CANCEL_REQUEST) {
      this._flags -= CANCEL_REQUEST;
      if (this._flags < CANCEL_REQUEST) this._mustCancel = false;
    }
    return this._flags >>> CANCEL_COUNT_SHIFT;
  }

  /** Not allowed: a task's result is its coroutine's return value. */
  override setResult(_value: T): never {
    throw new RuntimeError(
      "Task does not support setResult(): its result is what its coroutine returns",
    );
  }

  /** Not allowed: a task's exception is what its coroutine throws. */
  override setException(_exception: unknown): never {
    throw new RuntimeError(
      "Task does not support setException(): its exception is what its coroutine throws",
    );
  }

  /** @internal The ready queue runs a task by stepping it. */
  _run(): void {
    if (this._state !== PENDING) {
      this.#stepAfterDone();
      return;
    }
    const error = this._result;
    this._result = NO_ERROR;
    this.#step(error);
  }

  /** @internal */
  override _isTask(): boolean {
    return true;
  }

  /** @internal While pending, the CancelledError to throw in carries the requested message. */
  override _makeCancelledError(): CancelledError {
    if (this._state === PENDING)
      return cancelledError(this._cancelMessage ?? "", this._loop._debug);
    return super._makeCancelledError();
  }

  /** @internal */
  override _describe(): string[] {
    const parts = super._describe();
    parts.splice(2, 0, `name='${this.getName()}'`);
    // As CPython's repr: a task asked to cancel but not done yet reads "cancelling", not "pending".
    if (this._state === PENDING && this.cancelling() > 0) parts[1] = "cancelling";
    if (this._futWaiter !== null) parts.push(`wait_for=${this._futWaiter}`);
    return parts;
  }

  /**
   * A step came due after `Future.prototype.setResult/setException` completed the task from
   * outside: the task keeps that outcome, and the stray step is reported as asyncio does.
   */
  #stepAfterDone(): void {
    unregisterTask(this);
    this._loop.callExceptionHandler({
      message: `Exception in callback ${this.getName()} step`,
      exception: new InvalidStateError(`step(): already done: ${this}`),
      task: this,
    });
  }

  #eagerStart(): void {
    const loop = this._loop;
    const previous = loop._currentTask;
    loop._currentTask = null;
    try {
      this.#step(NO_ERROR);
    } finally {
      loop._currentTask = previous;
    }
  }

  /** One step: resume (or throw into) the coroutine and act on what it yields. */
  #step(error: unknown): void {
    const loop = this._loop;
    if (this._state !== PENDING) {
      throw new RuntimeError(`Task step on ${this}, which is already done`);
    }
    if (this._mustCancel) {
      // Woken by a cancelled future: resuming lets that future's own CancelledError (with the
      // first cancel()'s message) surface at the yield*, as asyncio's wakeup passes it on.
      const wokenByCancel =
        error === NO_ERROR && this._futWaiter !== null && this._futWaiter.cancelled();
      if (!wokenByCancel && !(error instanceof CancelledError)) error = this._makeCancelledError();
      this._mustCancel = false;
    }
    this._futWaiter = null;
    if (loop._currentTask !== null) {
      throw new RuntimeError(
        `Cannot enter into task ${this} while another task ${loop._currentTask} is being executed`,
      );
    }
    loop._currentTask = this as Task<unknown>;
    const previousContext = swapContext(
      this._flags & OWN_CONTEXT ? explicitContexts.get(this as Task<unknown>)! : this,
    );
    try {
      let result: IteratorResult<unknown, T>;
      try {
        result = error === NO_ERROR ? this._coro.next(RESUME) : this._coro.throw(error);
      } catch (thrown) {
        this.#threw(thrown);
        return;
      }
      if (result.done) {
        this.#returned(result.value);
        return;
      }
      this.#suspend(result.value);
    } finally {
      swapContext(previousContext);
      loop._currentTask = null;
    }
  }

  // The ends of a step are methods of their own, out of #step: a smaller #step is one V8
  // inlines with what it calls, and every switch between tasks runs it.

  /** The coroutine threw `thrown`: the task ends with it. */
  #threw(thrown: unknown): void {
    if (thrown instanceof CancelledError) {
      this._cancelFuture(thrown);
    } else {
      explainNotIterable(thrown);
      this._fail(thrown);
    }
    unregisterTask(this);
    // Python's BaseExceptions that are not CancelledError end the loop too.
    if (thrown instanceof KeyboardInterrupt) throw thrown;
  }

  /** The coroutine returned `value`: the task ends with it, or cancelled if asked meanwhile. */
  #returned(value: T): void {
    if (this._mustCancel) {
      // The task was cancelled as its coroutine returned: it ends cancelled.
      this._mustCancel = false;
      this._cancelFuture(this._cancelMessage);
    } else {
      if (this._flags >= CANCEL_REQUEST && this._loop._debug) warnSwallowed(this);
      this._finish(value);
    }
    unregisterTask(this);
  }

  /** Acts on what the coroutine yielded. */
  #suspend(yielded: unknown): void {
    const loop = this._loop;
    if (yielded === undefined) {
      loop._ready.push(this);
      return;
    }
    if (yielded instanceof Future) {
      if (!yielded._blocking) {
        this.#throwNext(
          new TypeError(
            `yield was used instead of yield* in task ${this.getName()} with ${yielded}: write yield* future`,
          ),
        );
      } else if (yielded._loop !== loop) {
        yielded._blocking = false;
        this.#throwNext(
          new RuntimeError(`Task ${this} got Future ${yielded} attached to a different loop`),
        );
      } else if (yielded === this) {
        yielded._blocking = false;
        this.#throwNext(new RuntimeError(`Task cannot await on itself: ${this}`));
      } else {
        yielded._blocking = false;
        yielded._addWaiter(this);
        this._futWaiter = yielded;
        if (this._mustCancel && yielded.cancel(this._cancelMessage)) this._mustCancel = false;
      }
      return;
    }
    this.#throwNext(new TypeError(badYieldMessage(this, yielded)));
  }

  /** Throws `error` into the coroutine at its next step (asyncio does this for a bad yield). */
  #throwNext(error: Error): void {
    this._result = error;
    this._loop._ready.push(this);
  }
}

function badYieldMessage(task: Task<unknown>, yielded: unknown): string {
  const where = `in task ${task.getName()}`;
  if (isCoroutine(yielded))
    return `yield was used instead of yield* for a coroutine ${where}: write yield* coro`;
  if (yielded !== null && typeof (yielded as PromiseLike<unknown>).then === "function") {
    return `a Promise was yielded ${where}: write yield* asyncio.fromPromise(promise)`;
  }
  return `Task got bad yield ${where}: ${formatValue(yielded)}; coroutines yield* awaitables (Futures, Tasks, coroutines, sleep())`;
}

function warnSwallowed(task: Task<unknown>): void {
  logger.warning(
    `${task} was cancelled (cancelling()=${task.cancelling()}) but returned normally: a catch block swallowed its CancelledError. Re-throw it (asyncio.rethrowIfCancelled(e)) or call uncancel() if stopping the cancellation was intended`,
  );
}

const TASK_OPTIONS = ["name", "context", "eagerStart"] as const;

/** Options of a new task: known names only, and a Context object for `context`. */
function checkTaskOptions(options: TaskOptions): void {
  checkOptions(options, "createTask()", TASK_OPTIONS);
  const context = options.context;
  if (context !== undefined && !(context instanceof Context)) {
    throw new TypeError(
      `createTask(): context must be a Context (asyncio.copyContext()), got ${formatValue(context)}`,
    );
  }
}

/** Takes ownership of the coroutine a new task will drive, or explains what is wrong with it. */
function adoptCoroutine<T>(coro: Coro<T> | Awaitable<T>, task: Task<T>): Coro<T> {
  if (isCoroutine(coro)) {
    const marked = coro as Coro<T> & { [DRIVEN]?: Task<unknown> };
    if (marked[DRIVEN] !== undefined) {
      throw new RuntimeError(
        `this coroutine is already driven by ${marked[DRIVEN]}: a coroutine runs in one task; call the coroutine function again for a new one`,
      );
    }
    marked[DRIVEN] = task as Task<unknown>;
    return coro as Coro<T>;
  }
  if (isAwaitable(coro)) return awaitOnce(coro);
  throw new TypeError(notACoroutineMessage("createTask()", coro));
}

function* awaitOnce<T>(awaitable: Awaitable<T>): Coro<T> {
  return yield* awaitable;
}

/** Adds a task to its loop's list of pending tasks. */
function registerTask(task: Task<unknown>): void {
  const loop = task._loop;
  const tail = loop._taskTail;
  task._prevTask = tail;
  if (tail === null) loop._taskHead = task;
  else tail._nextTask = task;
  loop._taskTail = task;
}

function unregisterTask(task: Task<unknown>): void {
  const loop = task._loop;
  const previous = task._prevTask;
  const next = task._nextTask;
  if (previous === null) {
    if (loop._taskHead === task) loop._taskHead = next;
  } else previous._nextTask = next;
  if (next === null) {
    if (loop._taskTail === task) loop._taskTail = previous;
  } else next._prevTask = previous;
  task._prevTask = null;
  task._nextTask = null;
}

/**
 * Wraps a coroutine in a Task scheduled on the running loop (through its task factory).
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const a = asyncio.createTask(download("a"));
 *   const b = asyncio.createTask(download("b"), { name: "download-b" });
 *   console.log(yield* a, yield* b);
 * }
 * ```
 */
export function createTask<T>(coro: Coro<T> | Awaitable<T>, options?: TaskOptions): Task<T> {
  return getRunningLoop().createTask(coro, options);
}

/**
 * The task running now, or null (in a plain callback).
 *
 * @example
 * ```ts
 * function* worker(): asyncio.Coro<void> {
 *   console.log("running in", asyncio.currentTask()!.getName());
 * }
 * ```
 */
export function currentTask(loop?: EventLoop): Task<unknown> | null {
  return (loop ?? getRunningLoop())._currentTask;
}

/**
 * The tasks of `loop` (default: the running one) that are not done yet.
 *
 * @example
 * ```ts
 * for (const task of asyncio.allTasks()) console.log(String(task));   // <Task pending name='…' …>
 * ```
 */
export function allTasks(loop?: EventLoop): Set<Task<unknown>> {
  const tasks = new Set<Task<unknown>>();
  for (let task = (loop ?? getRunningLoop())._taskHead; task !== null; task = task._nextTask) {
    if (!task.done()) tasks.add(task);
  }
  return tasks;
}

/** A Task class (Task or a subclass) as `createEagerTaskFactory` calls it. */
export type TaskConstructor = new <T>(
  coro: Coro<T> | Awaitable<T>,
  options: TaskOptions,
  loop: EventLoop,
) => Task<T>;

/**
 * A task factory that makes every task with `taskConstructor` (Task or a subclass of it),
 * started eagerly (asyncio 3.12's `create_eager_task_factory`).
 *
 * @example
 * ```ts
 * class TracedTask<T> extends asyncio.Task<T> {}
 * asyncio.getRunningLoop().setTaskFactory(asyncio.createEagerTaskFactory(TracedTask));
 * ```
 */
export function createEagerTaskFactory(taskConstructor: TaskConstructor): TaskFactory {
  checkFunction(
    taskConstructor,
    "createEagerTaskFactory()",
    "taskConstructor",
    "a Task class (asyncio.Task or a subclass)",
  );
  return (loop, coro, options) => new taskConstructor(coro, { ...options, eagerStart: true }, loop);
}

/**
 * A task factory that starts every task eagerly (asyncio 3.12's `eager_task_factory`).
 *
 * @example
 * ```ts
 * asyncio.getRunningLoop().setTaskFactory(asyncio.eagerTaskFactory);
 * ```
 */
export const eagerTaskFactory: TaskFactory = createEagerTaskFactory(Task);

/**
 * Wraps `awaitable` in a Future: a Future or Task is returned as it is, a coroutine becomes a
 * Task, a Promise a Future that follows it.
 *
 * @example
 * ```ts
 * const future = asyncio.ensureFuture(fetchUser(7));   // a Task
 * ```
 */
export function ensureFuture<T>(
  awaitable: Awaitable<T> | PromiseLike<T>,
  loop?: EventLoop,
): Future<T> {
  if (awaitable instanceof Future) {
    if (loop !== undefined && awaitable._loop !== loop) {
      throw new ValueError(
        `The future ${awaitable} belongs to a different loop than the one given`,
      );
    }
    return awaitable as Future<T>;
  }
  // The type is checked before the loop is looked up: a wrong argument is a TypeError
  // whether or not a loop runs, as in asyncio.
  if (isThenable(awaitable)) return fromPromise(awaitable, loop ?? getRunningLoop()) as Future<T>;
  if (isAwaitable(awaitable)) return (loop ?? getRunningLoop()).createTask(awaitable);
  throw new TypeError(
    `An asyncio Future, a coroutine or an awaitable is required, got ${describeType(awaitable)}`,
  );
}

/** @internal Used by debug reports: where the task was created. */
export function taskCreationStack(task: Task<unknown>): string | undefined {
  return sourceTracebacks.get(task);
}
