/**
 * Future: the result of an operation that is not done yet (asyncio/futures.py).
 *
 * A Future is its own stateless iterator, so `yield* future` allocates no generator: while
 * pending, `next()` yields the future itself (flagged as a deliberate suspension) and the Task
 * sleeps until it is done; once done, `next()` returns `result()`, which throws the future's
 * exception. A Future is also thenable, so plain async code can `await` it.
 *
 * Done callbacks always run through the loop's ready queue, never inline. A Task waiting on a
 * future is put on the ready queue itself, without a Handle or a closure.
 */

import { type Context, type ContextData, currentContextData } from "./contextvars.ts";
import { RESUME, type Suspend } from "./coroutines.ts";
import { getRunningLoop } from "./events.ts";
import { CancelledError, cancelledError, InvalidStateError, RuntimeError } from "./exceptions.ts";
import { BLOCKING, LOG_TRACEBACK } from "./flags.ts";
import { formatValue, inspectSymbol } from "./format.ts";
import { captureStack, creationSite, Handle } from "./handles.ts";
import type { EventLoop } from "./loop.ts";
import type { Runnable } from "./readyqueue.ts";

/** Future states, as `lowlevel.stateOf()` reports them (public through `lowlevel`). */
export const PENDING = 0;
export const CANCELLED = 1;
export const FINISHED = 2;
export const FAILED = 3;

/** A done callback: receives the future it was added to. */
export type DoneCallback<T> = (future: Future<T>) => unknown;

/** @internal Creation sites of futures and tasks made in debug mode. */
export const sourceTracebacks = new WeakMap<object, string>();

/**
 * An eventual result. Coroutines wait for it with `yield*`; async functions with `await`.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const loop = asyncio.getRunningLoop();
 *   const future = loop.createFuture<string>();
 *   loop.callLater(0.1, () => future.setResult("ready"));
 *   console.log(yield* future);   // "ready"
 * }
 * ```
 */
export class Future<T = unknown> implements PromiseLike<T> {
  // Fields are declared with `declare` and assigned in the constructor, and there are no
  // private (#) members: V8 builds a subclass (Task, WorkFuture, users' subclasses) several
  // times slower when a base class declares fields (`x = …`, `#x`, parameter properties) or
  // has private methods. The same holds for every class on a hot path that has subclasses.
  /** @internal */ declare _state: number;
  /** @internal The result; the exception when FAILED; the message or CancelledError when CANCELLED. */
  declare _result: unknown;
  /** @internal */ declare readonly _loop: EventLoop;
  /**
   * @internal Who to wake when done (callback Handles and Tasks): null, the one waiter most
   * futures have, or an array of several, in the order they were added.
   */
  declare _waiter: Runnable | Runnable[] | null;
  /** @internal Bits from the table in flags.ts. */
  declare _flags: number;

  /** A pending future on `loop` (default: the running loop). */
  constructor(loop?: EventLoop) {
    this._state = PENDING;
    this._result = undefined;
    this._loop = loop ?? getRunningLoop();
    this._waiter = null;
    this._flags = 0;
    if (this._loop._debug) sourceTracebacks.set(this, captureStack(new.target));
  }

  /** @internal True between `next()` yielding this future and the Task taking it. */
  get _blocking(): boolean {
    return (this._flags & BLOCKING) !== 0;
  }

  set _blocking(value: boolean) {
    this._flags = value ? this._flags | BLOCKING : this._flags & ~BLOCKING;
  }

  /** @internal An exception is set and nobody has looked at it yet. */
  get _logTraceback(): boolean {
    return (this._flags & LOG_TRACEBACK) !== 0;
  }

  set _logTraceback(value: boolean) {
    this._flags = value ? this._flags | LOG_TRACEBACK : this._flags & ~LOG_TRACEBACK;
  }

  /** The loop this future belongs to. */
  getLoop(): EventLoop {
    return this._loop;
  }

  /** True once the future has a result, an exception, or was cancelled. */
  done(): boolean {
    return this._state !== PENDING;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * The result; throws the future's exception, a CancelledError if it was cancelled, or an
   * InvalidStateError while it is pending.
   */
  result(): T {
    const state = this._state;
    if (state === FINISHED) return this._result as T;
    if (state === FAILED) {
      if (this._logTraceback) retrieved(this);
      throw this._result;
    }
    if (state === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError(`Result is not ready: ${this} is pending; wait for it with yield*`);
  }

  /**
   * The exception the future finished with, or null; throws CancelledError if it was
   * cancelled, InvalidStateError while it is pending.
   */
  exception(): unknown {
    const state = this._state;
    if (state === FAILED) {
      if (this._logTraceback) retrieved(this);
      return this._result;
    }
    if (state === FINISHED) return null;
    if (state === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError(`Exception is not set: ${this} is pending`);
  }

  /**
   * Cancels the future: its waiters get a CancelledError carrying `message`. Returns false if
   * it was already done.
   */
  cancel(message?: string): boolean {
    this._dropTraceback();
    return this._cancelFuture(message);
  }

  /** Marks the future done with `value` and wakes its waiters. */
  setResult(value: T): void {
    if (this._state !== PENDING) {
      throw new InvalidStateError(`invalid state: setResult() on ${this}, which is already done`);
    }
    this._finish(value);
  }

  /** Marks the future done with `exception` (its waiters get it thrown) and wakes them. */
  setException(exception: unknown): void {
    if (this._state !== PENDING) {
      throw new InvalidStateError(
        `invalid state: setException() on ${this}, which is already done`,
      );
    }
    this._fail(exception);
  }

  /**
   * Calls `callback(future)` when the future is done, through the loop (never inline), in the
   * context current now (or the one given).
   *
   * @example
   * ```ts
   * task.addDoneCallback((t) => console.log("finished:", t.cancelled() ? "cancelled" : t.result()));
   * ```
   */
  addDoneCallback(callback: DoneCallback<T>, options?: { context?: Context }): void {
    if (typeof callback !== "function") {
      throw new TypeError(`addDoneCallback() expects a function, got ${formatValue(callback)}`);
    }
    const context: ContextData = options?.context?._data ?? currentContextData();
    if (this._state !== PENDING) {
      this._loop._checkClosed();
      this._loop._readyPush(new Handle(callback, [this], this._loop, context));
      return;
    }
    this._addWaiter(new Handle(callback, [this], this._loop, context));
  }

  /** Removes every registration of `callback`; returns how many there were. */
  removeDoneCallback(callback: DoneCallback<T>): number {
    const waiter = this._waiter;
    if (waiter === null) return 0;
    const matches = (item: Runnable) => item instanceof Handle && item._callback === callback;
    if (!Array.isArray(waiter)) {
      if (!matches(waiter)) return 0;
      this._waiter = null;
      return 1;
    }
    const kept = waiter.filter((item) => !matches(item));
    this._waiter = kept.length === 0 ? null : kept.length === 1 ? kept[0]! : kept;
    return waiter.length - kept.length;
  }

  /** `yield* future` waits for it and evaluates to its result. */
  [Symbol.iterator](): Iterator<Suspend, T, unknown> {
    return this;
  }

  /** @internal The iterator protocol behind `yield*` (see the file header). */
  next(_sent?: unknown): IteratorResult<Suspend, T> {
    if (this._state === PENDING) {
      if (this._blocking || _sent === RESUME) {
        throw new RuntimeError(
          `yield* was resumed before ${this} was done: drive coroutines with a Task, not by hand`,
        );
      }
      this._blocking = true;
      return { done: false, value: this as unknown as Suspend };
    }
    return { done: true, value: this.result() };
  }

  /** @internal Cancellation thrown into a `yield* future` passes straight through. */
  throw(error: unknown): IteratorResult<Suspend, T> {
    throw error;
  }

  /** @internal */
  return(value?: T): IteratorResult<Suspend, T> {
    return { done: true, value: value as T };
  }

  /**
   * Makes the future awaitable from async functions (`await task`).
   *
   * @example
   * ```ts
   * const value = await loop.runUntilComplete(main());
   * ```
   */
  // biome-ignore lint/suspicious/noThenProperty: Futures are thenable by design (DESIGN §4)
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    let settled: Promise<T>;
    if (this._state === PENDING) {
      settled = new Promise<T>((resolve, reject) => {
        this._addWaiter(
          new Handle(
            (future: Future<T>) => {
              try {
                resolve(future.result());
              } catch (error) {
                reject(error);
              }
            },
            [this],
            this._loop,
            currentContextData(),
          ),
        );
      });
    } else {
      try {
        settled = Promise.resolve(this.result());
      } catch (error) {
        settled = Promise.reject(error);
      }
    }
    return settled.then(onfulfilled, onrejected);
  }

  toString(): string {
    return `<${this._describe().join(" ")}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** @internal The parts of the printed form; Task adds its own. */
  _describe(): string[] {
    const parts = [this.constructor.name, stateName(this._state)];
    if (this._state === FINISHED) parts.push(`result=${formatValue(this._result)}`);
    else if (this._state === FAILED) parts.push(`exception=${formatValue(this._result)}`);
    else if (this._state === CANCELLED) {
      const message = this._result instanceof CancelledError ? this._result.message : this._result;
      if (message) parts.push(`message=${formatValue(message)}`);
    }
    const stack = sourceTracebacks.get(this);
    if (stack !== undefined) {
      const site = creationSite(stack);
      if (site) parts.push(`created at ${site}`);
    }
    return parts;
  }

  /**
   * @internal Nobody is to be told of the exception: `cancel()` after it was set silences the
   * "never retrieved" report, as asyncio's does.
   */
  _dropTraceback(): void {
    if (this._logTraceback) retrieved(this);
  }

  /** @internal Reports say "Task" or "Future". */
  _isTask(): boolean {
    return false;
  }

  /** @internal The CancelledError a waiter of this cancelled future gets. */
  _makeCancelledError(): CancelledError {
    const reason = this._result;
    return reason instanceof CancelledError
      ? reason
      : cancelledError((reason as string | undefined) ?? "", this._loop._debug);
  }

  /** @internal Completes a pending future with `value`. */
  _finish(value: T): void {
    this._result = value;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /** @internal Completes a pending future with `exception`. */
  _fail(exception: unknown): void {
    this._result = exception;
    this._state = FAILED;
    trackUnretrieved(this);
    this._scheduleCallbacks();
  }

  /**
   * @internal Future.cancel without Task's override (Task ends cancelled through this, with
   * the CancelledError its coroutine threw, which waiters then get).
   */
  _cancelFuture(reason: string | CancelledError | undefined): boolean {
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._result = reason;
    this._scheduleCallbacks();
    return true;
  }

  /**
   * @internal Makes a future that finished with a result, and that nothing waits on or holds,
   * pending again, for an owner that hands out one wait at a time (a stream reader's). True
   * when it did.
   */
  _recycle(): boolean {
    if (this._state !== FINISHED || this._waiter !== null) return false;
    this._state = PENDING;
    this._result = undefined;
    this._flags = 0;
    return true;
  }

  /** @internal Adds a waiter: a callback Handle, or a Task to wake. */
  _addWaiter(waiter: Runnable): void {
    const current = this._waiter;
    if (current === null) this._waiter = waiter;
    else if (Array.isArray(current)) current.push(waiter);
    else this._waiter = [current, waiter];
  }

  /** @internal Removes a waiter added by `_addWaiter`; true if it was there. */
  _removeWaiter(waiter: Runnable): boolean {
    const current = this._waiter;
    if (current === waiter) {
      this._waiter = null;
      return true;
    }
    if (!Array.isArray(current)) return false;
    const index = current.indexOf(waiter);
    if (index < 0) return false;
    current.splice(index, 1);
    if (current.length === 1) this._waiter = current[0]!;
    return true;
  }

  /** @internal Puts every waiter on the ready queue, in the order they were added. */
  _scheduleCallbacks(): void {
    const waiter = this._waiter;
    if (waiter === null) return;
    this._waiter = null;
    const loop = this._loop;
    const trace = loop._trace;
    if (!Array.isArray(waiter)) {
      if (trace !== null) trace.woke(waiter);
      loop._readyPush(waiter);
      return;
    }
    if (trace !== null) for (let i = 0; i < waiter.length; i++) trace.woke(waiter[i]!);
    for (let i = 0; i < waiter.length; i++) loop._readyPush(waiter[i]!);
  }
}

/**
 * @internal A future that completes once every one of `futures` is done, whatever their
 * outcome (nothing is retrieved, nothing is cancelled): the runner's and shutdown's wait.
 */
export function whenAllDone(futures: readonly Future<unknown>[], loop: EventLoop): Future<void> {
  const all = new Future<void>(loop);
  let remaining = futures.length;
  const oneDone = () => {
    if (--remaining === 0 && !all.done()) all.setResult(undefined);
  };
  if (remaining === 0) all.setResult(undefined);
  for (const future of futures) {
    if (future.done()) oneDone();
    else future._addWaiter({ _run: oneDone });
  }
  return all;
}

function stateName(state: number): string {
  return state === PENDING ? "pending" : state === CANCELLED ? "cancelled" : "finished";
}

/**
 * True for a Future or Task (asyncio's `isfuture`).
 *
 * @example
 * ```ts
 * asyncio.isFuture(asyncio.createTask(job()));   // true
 * asyncio.isFuture(Promise.resolve(1));          // false
 * ```
 */
export function isFuture(value: unknown): value is Future<unknown> {
  return value instanceof Future;
}

// "Future exception was never retrieved": a future whose exception nobody looked at is
// reported when it is garbage collected, and, deterministically, when its loop closes.

interface Unretrieved {
  loop: EventLoop;
  exception: unknown;
  description: string;
  isTask: boolean;
  sourceTraceback: string | undefined;
  ref: WeakRef<Future<unknown>>;
}

const unretrievedRefs = new WeakMap<Future<unknown>, WeakRef<Future<unknown>>>();

const collectedUnretrieved = new FinalizationRegistry<Unretrieved>((held) => {
  held.loop._unretrieved.delete(held.ref);
  reportUnretrieved(held.loop, held, undefined);
});

function trackUnretrieved(future: Future<unknown>): void {
  const exception = future._result;
  if (exception instanceof CancelledError) return;
  future._logTraceback = true;
  // V8 formats an error's stack lazily, keeping each frame's receiver (the Task stepping the
  // coroutine) until then: formatting it now lets the failed task be collected.
  if (exception instanceof Error) void exception.stack;
  const ref = new WeakRef(future);
  unretrievedRefs.set(future, ref);
  future._loop._unretrieved.add(ref);
  collectedUnretrieved.register(
    future,
    {
      loop: future._loop,
      exception,
      description: future.toString(),
      isTask: future._isTask(),
      sourceTraceback: sourceTracebacks.get(future),
      ref,
    },
    future,
  );
}

function retrieved(future: Future<unknown>): void {
  future._logTraceback = false;
  const ref = unretrievedRefs.get(future);
  if (ref !== undefined) {
    unretrievedRefs.delete(future);
    future._loop._unretrieved.delete(ref);
    collectedUnretrieved.unregister(future);
  }
}

function reportUnretrieved(
  loop: EventLoop,
  held: Pick<Unretrieved, "exception" | "description" | "isTask" | "sourceTraceback">,
  future: Future<unknown> | undefined,
): void {
  const context: Record<string, unknown> = {
    message: `${held.isTask ? "Task" : "Future"} exception was never retrieved`,
    exception: held.exception,
    [held.isTask ? "task" : "future"]: future ?? held.description,
  };
  if (held.sourceTraceback !== undefined) context.sourceTraceback = held.sourceTraceback;
  loop.callExceptionHandler(context as { message: string });
}

/**
 * @internal Reports every future of `loop` whose exception is still unretrieved (at close, so
 * tests see the report without waiting for garbage collection).
 */
export function reportUnretrievedAtClose(loop: EventLoop): void {
  const refs = [...loop._unretrieved];
  loop._unretrieved.clear();
  for (const ref of refs) {
    const future = ref.deref();
    if (future === undefined || !future._logTraceback) continue;
    retrieved(future);
    reportUnretrieved(
      loop,
      {
        exception: future._result,
        description: future.toString(),
        isTask: future._isTask(),
        sourceTraceback: sourceTracebacks.get(future),
      },
      future,
    );
  }
}
