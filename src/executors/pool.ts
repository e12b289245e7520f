/**
 * WorkerPool: the engine under ThreadPoolExecutor and ProcessPoolExecutor. It owns the queue,
 * the workers and every rule of the executors layer; the two subclasses only say how a worker
 * is started (a thread or a process) and which error a dead worker raises.
 *
 * - A worker runs one item at a time. Items wait in a FIFO queue (a linked list: cancelling a
 *   queued item unlinks it at once); `maxQueueSize` bounds it, and `submitWait` waits for room.
 * - Workers start on demand, up to `maxWorkers`; an idle worker does not keep Node alive.
 * - Cancelling an item's future: a queued item is dropped; a running one gets an `abort`
 *   (its `workSignal()` aborts) and, if still running after `cancelGracePeriod` real seconds,
 *   its worker is terminated and replaced. A worker holds no item but the one it runs, so a
 *   forced stop never touches anyone else's work.
 * - A worker that dies fails its item with the subclass's BrokenExecutor error (exit code,
 *   signal, cause) and is replaced; workers that fail at start-up several times in a row break
 *   the pool.
 * - Each submitted item counts as foreign work on its loop (`_externalBegin/_externalEnd`), so
 *   a virtual clock does not jump past running work; results arrive through Node callbacks.
 *
 * Grace periods and shutdown timeouts are real seconds, also on a virtual-clock loop: they
 * bound real computation.
 */

import { availableParallelism } from "node:os";
import type { TransferListItem } from "node:worker_threads";
import type { AsyncGen } from "../core/asyncgen.ts";
import type { Awaitable, Coro, Suspend } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { RuntimeError, ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";
import { Future } from "../core/futures.ts";

import type { EventLoop } from "../core/loop.ts";
import {
  addWaiter,
  checkClosed,
  foreignWorkBegin,
  foreignWorkEnd,
  handlerBegin,
  handlerEnd,
  logger,
  tracerOf,
} from "../core/lowlevel.ts";
import { checkInteger, checkOptions } from "../core/validate.ts";
import {
  type BrokenExecutor,
  ExecutorQueueFull,
  UnsendableError,
  type WorkerExit,
} from "./errors.ts";
import type {
  Executor,
  ExecutorStatistics,
  MapOptions,
  ShutdownOptions,
  ShutdownWait,
} from "./executor.ts";
import { detectLoader, isTypeScriptModule, type WorkerLoader } from "./loader.ts";
import { mapWork } from "./map.ts";
import {
  deserializeError,
  type FromWorker,
  findUnsendable,
  type ToWorker,
  type WorkCall,
} from "./protocol.ts";
import { collectTransfers } from "./transfer.ts";
import {
  type AnyWorkFn,
  describeWork,
  explainUnloadableModule,
  isWorkFn,
  type WorkFn,
} from "./work.ts";

/** @internal The names of {@link PoolOptions}; each pool adds its own. */
export const POOL_OPTIONS = [
  "maxWorkers",
  "maxQueueSize",
  "cancelGracePeriod",
  "initializer",
  "initargs",
] as const;
const SHUTDOWN_OPTIONS = ["wait", "cancelFutures", "timeout"] as const;

/**
 * Options every pool takes.
 *
 * @example
 * ```ts
 * new asyncio.ThreadPoolExecutor({
 *   maxWorkers: 4,
 *   maxQueueSize: 1000,
 *   cancelGracePeriod: 0.5,
 *   initializer: tasks.fn("loadModel"),
 *   initargs: ["/models/small.bin"],
 * });
 * ```
 */
export interface PoolOptions<IA extends unknown[] = unknown[]> {
  /** The most workers running at once; default `os.availableParallelism()`. */
  maxWorkers?: number;
  /**
   * The most items waiting for a worker: `submit` past it throws ExecutorQueueFull and
   * `submitWait` waits. Default: unbounded.
   */
  maxQueueSize?: number;
  /**
   * Real seconds a running item whose future was cancelled may take to stop by itself (its
   * `workSignal()` aborted) before its worker is terminated; 0 terminates at once. Default 1.
   */
  cancelGracePeriod?: number;
  /** Runs in every worker when it starts; if it throws, the worker fails to start. */
  initializer?: WorkFn<IA, unknown>;
  /** The initializer's arguments. */
  initargs?: NoInfer<IA>;
}

/** @internal The events a worker transport reports to its pool. */
export interface WorkerEvents {
  message(message: FromWorker): void;
  error(error: unknown): void;
  exit(exitCode: number | null, signal: string | null): void;
}

/** @internal A worker thread or process, as the pool drives it. */
export interface WorkerTransport {
  /** "worker thread 3", "worker process 4711". */
  readonly label: string;
  /**
   * Sends a message; false when the worker can no longer receive (it is exiting); throws at
   * once when the message cannot be serialized.
   */
  send(message: ToWorker, transfer: readonly TransferListItem[]): boolean;
  /** Stops the worker now, whatever it is doing. */
  terminate(): void;
  /** Whether the worker keeps Node running. */
  ref(): void;
  unref(): void;
  /** What the worker wrote to stderr lately, for crash reports ("" if not captured). */
  recentOutput(): string;
}

/** Consecutive start-up failures after which a pool is broken. */
const MAX_START_FAILURES = 3;

const STARTING = 0;
const IDLE = 1;
const BUSY = 2;
const STOPPING = 3;
const DEAD = 4;

const OPEN = 0;
const SHUTTING_DOWN = 1;
const TERMINATED = 2;

const NO_TRANSFER: readonly TransferListItem[] = [];

class PoolWorker {
  state = STARTING;
  transport: WorkerTransport | null = null;
  job: WorkFuture<unknown> | null = null;
  tasksRun = 0;
  killTimer: ReturnType<typeof setTimeout> | null = null;
  /** The pool terminated it: its exit is expected. */
  killed = false;
  /** Why it failed: its 'error' event, or the initializer's error. */
  failure: unknown = undefined;

  get label(): string {
    return this.transport?.label ?? "worker";
  }
}

/**
 * The Future of a submitted item. It is also its own queue link and the waiter that ends its
 * foreign-work count on the loop, so an item costs one object.
 */
class WorkFuture<R> extends Future<R> {
  readonly _pool: WorkerPool;
  readonly _work: AnyWorkFn;
  _args: unknown[] | null;
  readonly _chunk: boolean;
  readonly _id: number;
  readonly _queuedAt: number;
  _startedAt = 0;
  _worker: PoolWorker | null = null;
  _queued = false;
  _prev: WorkFuture<unknown> | null = null;
  _next: WorkFuture<unknown> | null = null;

  constructor(
    loop: EventLoop,
    pool: WorkerPool,
    work: AnyWorkFn,
    args: unknown[],
    chunk: boolean,
    id: number,
  ) {
    super(loop);
    this._pool = pool;
    this._work = work;
    this._args = args;
    this._chunk = chunk;
    this._id = id;
    this._queuedAt = performance.now();
    foreignWorkBegin(loop);
    addWaiter(this, this);
  }

  /**
   * Cancels the item: dropped from the queue if it waits there; if it runs, its worker's
   * signal aborts and the worker is terminated after the grace period.
   */
  override cancel(message?: string): boolean {
    if (!super.cancel(message)) return false;
    this._pool._onCancel(this as WorkFuture<unknown>);
    return true;
  }

  /** @internal Runs (as this future's first waiter) once it is done. */
  _run(): void {
    foreignWorkEnd(this.getLoop());
  }

  override _describe(): string[] {
    const parts = super._describe();
    parts.splice(2, 0, describeWork(this._work));
    if (this._queued) parts.push("queued");
    else if (this._worker !== null) parts.push(`running on ${this._worker.label}`);
    return parts;
  }
}

/** The future a task waits on in `yield* executor.shutdown()`; cancelling it stops the work. */
class ShutdownFuture extends Future<void> {
  readonly #pool: WorkerPool;

  constructor(loop: EventLoop, pool: WorkerPool) {
    super(loop);
    this.#pool = pool;
  }

  override cancel(message?: string): boolean {
    if (!super.cancel(message)) return false;
    this.#pool._force("the wait for the executor's shutdown was cancelled");
    return true;
  }
}

class Shutdown implements PromiseLike<void> {
  readonly #pool: WorkerPool;
  readonly #wait: boolean;

  constructor(pool: WorkerPool, wait: boolean) {
    this.#pool = pool;
    this.#wait = wait;
  }

  [Symbol.iterator](): Iterator<Suspend, void, unknown> {
    const loop = getRunningLoop();
    const future = new ShutdownFuture(loop, this.#pool);
    if (!this.#wait) future.setResult(undefined);
    else this.#pool._whenTerminated(loop, future);
    return future[Symbol.iterator]();
  }

  // biome-ignore lint/suspicious/noThenProperty: shutdown() is awaitable from async code too
  then<A = void, B = never>(
    onfulfilled?: ((value: void) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const done = this.#wait
      ? new Promise<void>((resolve) => this.#pool._whenTerminated(null, resolve))
      : Promise.resolve();
    return done.then(onfulfilled, onrejected);
  }
}

/**
 * The engine of ThreadPoolExecutor and ProcessPoolExecutor (see the file header). Not made
 * directly.
 */
/**
 * @internal The pools made in this process, weakly, so `asyncio-ts ps` can show their
 * statistics; cleared entries go when the set reaches 64.
 */
export const livePools = new Set<WeakRef<WorkerPool>>();

export abstract class WorkerPool implements Executor {
  readonly #maxWorkers: number;
  readonly #maxQueueSize: number;
  readonly #gracePeriod: number;
  readonly #initializer: WorkCall | null;
  /** @internal How workers load code (from the parent's loader flags). */
  readonly _loader: WorkerLoader;
  /** @internal Why the work was stopped by force (`_force`), or null. */
  _forcedBy: string | null = null;
  readonly #workers = new Set<PoolWorker>();
  readonly #idle: PoolWorker[] = [];
  #starting = 0;
  #busy = 0;
  #head: WorkFuture<unknown> | null = null;
  #tail: WorkFuture<unknown> | null = null;
  #queued = 0;
  readonly #roomWaiters: Future<void>[] = [];
  #nextId = 0;
  #state = OPEN;
  #broken: BrokenExecutor | null = null;
  #startFailures = 0;
  #forcing = false;
  #shutdownTimer: ReturnType<typeof setTimeout> | null = null;
  #shutdownDeadline = Infinity;
  readonly #terminated: (() => void)[] = [];
  readonly #stats = {
    submitted: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    workersStarted: 0,
    workerCrashes: 0,
    totalRunTime: 0,
    maxRunTime: 0,
    totalWaitTime: 0,
    maxWaitTime: 0,
  };

  constructor(options: PoolOptions, loader: WorkerLoader = detectLoader()) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(`executor options must be an object, got ${formatValue(options)}`);
    }
    const where = `${this.constructor.name}()`;
    const maxWorkers = checkInteger(
      options.maxWorkers ?? Math.max(1, availableParallelism()),
      where,
      "maxWorkers",
      1,
    );
    const maxQueueSize = options.maxQueueSize ?? Infinity;
    if (maxQueueSize !== Infinity)
      checkInteger(maxQueueSize, where, "maxQueueSize (or Infinity)", 1);
    const grace = options.cancelGracePeriod ?? 1;
    if (typeof grace !== "number") {
      throw new TypeError(
        `${where}: cancelGracePeriod must be a number of seconds >= 0, got ${formatValue(grace)}`,
      );
    }
    if (!(grace >= 0)) {
      throw new ValueError(
        `${where}: cancelGracePeriod must be a number of seconds >= 0, got ${formatValue(grace)}`,
      );
    }
    this.#maxWorkers = maxWorkers;
    this.#maxQueueSize = maxQueueSize;
    this.#gracePeriod = grace;
    this._loader = loader;
    this.#initializer = this.#checkInitializer(options);
    if (livePools.size >= 64) {
      for (const ref of livePools) if (ref.deref() === undefined) livePools.delete(ref);
    }
    livePools.add(new WeakRef(this));
  }

  /** @internal Starts a worker; its events go to `events`. */
  protected abstract _spawn(events: WorkerEvents): WorkerTransport;

  /** @internal The error of a dead worker or a broken pool. */
  protected abstract _brokenError(message: string, exit: WorkerExit): BrokenExecutor;

  /** @internal Items a worker runs before it is replaced (processes: `maxTasksPerChild`). */
  protected _maxTasksPerWorker(): number {
    return Infinity;
  }

  /**
   * Schedules `fn(...args)` in a worker; returns its Future. Arguments are copied to the
   * worker (structured clone), except ArrayBuffers marked with `transfer()`, which move.
   * Throws ExecutorQueueFull when `maxQueueSize` items are queued, RuntimeError after
   * shutdown, the pool's BrokenExecutor error once it is broken.
   *
   * Cancel safety: cancelling the Future (or the task waiting on it) drops the item if it is
   * queued; if it runs, its `workSignal()` aborts and after `cancelGracePeriod` its worker is
   * terminated and replaced. No other item is affected.
   *
   * @example
   * ```ts
   * const future = pool.submit(tasks.fn("fib"), 30);
   * console.log(yield* future);
   * ```
   */
  submit<A extends unknown[], R>(fn: WorkFn<A, R>, ...args: NoInfer<A>): Future<R> {
    return this._submitOn(getRunningLoop(), fn as unknown as AnyWorkFn, args, false) as Future<R>;
  }

  /**
   * Waits while the queue is full (`maxQueueSize`), then submits `fn(...args)`; evaluates to
   * its Future. Memory stays bounded however fast a producer submits.
   *
   * Cancel safety: cancelled while waiting, nothing was submitted, and the room it was woken
   * for passes to the next waiting submitter.
   *
   * @example
   * ```ts
   * for (const chunk of chunks) results.push(yield* pool.submitWait(tasks.fn("crunch"), chunk));
   * ```
   */
  *submitWait<A extends unknown[], R>(fn: WorkFn<A, R>, ...args: NoInfer<A>): Awaitable<Future<R>> {
    const loop = getRunningLoop();
    this.#checkWork(fn as unknown as AnyWorkFn);
    yield* this._waitForRoom(loop);
    return this._submitOn(loop, fn as unknown as AnyWorkFn, args, false) as Future<R>;
  }

  /**
   * Runs `fn(item)` for every item in workers; the async generator gives the results in the
   * items' order. The first error (or `timeout`, seconds from the call) ends it and cancels the
   * items not taken; so does closing it or cancelling the task that reads it.
   *
   * Cancel safety: cancelling the task waiting in `next()` cancels every item not yet taken
   * (queued ones are dropped, running ones stopped); results already taken stay taken.
   *
   * @example
   * ```ts
   * const squares = pool.map(tasks.fn("square"), [1, 2, 3], { chunksize: 2 });
   * for (let step = yield* squares.next(); !step.done; step = yield* squares.next()) {
   *   console.log(step.value);
   * }
   * ```
   */
  map<T, R>(
    fn: WorkFn<[T], R>,
    items: Iterable<NoInfer<T>>,
    options: MapOptions = {},
  ): AsyncGen<R> {
    const loop = getRunningLoop();
    this.#checkWork(fn as unknown as AnyWorkFn);
    this.#checkOpen();
    return mapWork<R>(this, loop, fn as unknown as AnyWorkFn, items, options);
  }

  /**
   * Stops accepting work. Queued and running items still run (`cancelFutures` cancels the
   * queued ones); then the workers exit. `yield*` (or `await`) the result to wait for that
   * (`wait: false` returns at once). `timeout` bounds the wait in real seconds: what still runs
   * then is terminated and its futures cancelled. Calling it again is harmless.
   *
   * Cancel safety: cancelling the task waiting here terminates the work still running (its
   * futures are cancelled) and every worker, at once.
   *
   * @example
   * ```ts
   * yield* pool.shutdown({ cancelFutures: true, timeout: 5 });
   * ```
   */
  shutdown(options: ShutdownOptions = {}): ShutdownWait {
    checkOptions(options, "shutdown()", SHUTDOWN_OPTIONS);
    const { wait = true, cancelFutures = false, timeout = Infinity } = options;
    if (typeof timeout !== "number") {
      throw new TypeError(`shutdown() timeout must be seconds >= 0, got ${formatValue(timeout)}`);
    }
    if (!(timeout >= 0)) {
      throw new ValueError(`shutdown() timeout must be seconds >= 0, got ${formatValue(timeout)}`);
    }
    if (this.#state === OPEN) this.#state = SHUTTING_DOWN;
    if (cancelFutures) this.#cancelQueued("the executor was shut down with cancelFutures");
    this.#failRoomWaiters(
      new RuntimeError("cannot schedule new futures after shutdown: the executor was shut down"),
    );
    if (this.#state !== TERMINATED && timeout !== Infinity) this.#armShutdownTimer(timeout);
    this.#adjust();
    return new Shutdown(this, wait);
  }

  /**
   * `using` enters: evaluates to the executor. Cancel safety: it does not wait.
   *
   * @example
   * ```ts
   * yield* asyncio.using(new asyncio.ThreadPoolExecutor(), function* (pool) { ... });
   * ```
   */
  *aenter(): Awaitable<this> {
    return this;
  }

  /**
   * `using` exits: `shutdown({ wait: true })`, so the block ends when its work is done.
   *
   * Cancel safety: cancelled while waiting, the work still running is terminated (see
   * `shutdown`).
   */
  *aexit(_error: unknown): Awaitable<false> {
    yield* this.shutdown({ wait: true });
    return false;
  }

  /**
   * Workers, queue, outcomes and times (see {@link ExecutorStatistics}).
   *
   * @example
   * ```ts
   * const { busy, queued, completed, totalRunTime } = pool.statistics();
   * console.log(`${busy} busy, ${queued} queued, ${totalRunTime / completed} s per item`);
   * ```
   */
  statistics(): ExecutorStatistics {
    const stats = this.#stats;
    return {
      maxWorkers: this.#maxWorkers,
      workers: this.#workers.size,
      busy: this.#busy,
      idle: this.#idle.length,
      starting: this.#starting,
      queued: this.#queued,
      maxQueueSize: this.#maxQueueSize,
      waitingSubmitters: this.#roomWaiters.filter((waiter) => !waiter.done()).length,
      ...stats,
    };
  }

  toString(): string {
    const state = this.#broken ? "broken" : ["running", "shutting down", "shut down"][this.#state];
    return `<${this.constructor.name} ${state} workers=${this.#workers.size}/${this.#maxWorkers} busy=${this.#busy} queued=${this.#queued}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** @internal Whether `future` (from `_submitOn`) still waits in the queue for a worker. */
  _waiting(future: Future<unknown>): boolean {
    return future instanceof WorkFuture && future._queued;
  }

  /** @internal Submits on `loop`; `chunk`: `args` is a list of argument lists. */
  _submitOn(loop: EventLoop, fn: AnyWorkFn, args: unknown[], chunk: boolean): Future<unknown> {
    this.#checkWork(fn);
    this.#checkOpen();
    checkClosed(loop);
    if (this.#queued >= this.#maxQueueSize) {
      throw new ExecutorQueueFull(
        `${this} has ${this.#queued} items queued (maxQueueSize): wait for room with yield* executor.submitWait(...)`,
      );
    }
    const item = new WorkFuture<unknown>(loop, this, fn, args, chunk, ++this.#nextId);
    tracerOf(loop)?.submitted(item);
    this.#stats.submitted++;
    this.#enqueue(item);
    this.#dispatch();
    return item;
  }

  /** @internal True when `submit` would not throw ExecutorQueueFull. */
  _hasRoom(): boolean {
    return this.#queued < this.#maxQueueSize;
  }

  /** @internal Waits until the queue has room (or the pool is shut down or broken). */
  *_waitForRoom(loop: EventLoop): Coro<void> {
    while (this.#queued >= this.#maxQueueSize) {
      this.#checkOpen();
      const waiter = loop.createFuture<void>();
      this.#roomWaiters.push(waiter);
      try {
        yield* waiter;
      } catch (error) {
        const index = this.#roomWaiters.indexOf(waiter);
        if (index >= 0) this.#roomWaiters.splice(index, 1);
        // Woken for room, then cancelled before using it: the room goes to the next one.
        if (waiter.done() && !waiter.cancelled() && waiter.exception() === null) {
          this.#wakeSubmitters();
        }
        throw error;
      }
    }
    this.#checkOpen();
  }

  /** @internal A WorkFuture was cancelled (see WorkFuture.cancel). */
  _onCancel(item: WorkFuture<unknown>): void {
    this.#stats.cancelled++;
    if (item._queued) {
      this.#unlink(item);
      item._args = null;
      this.#wakeSubmitters();
      this.#adjust();
      return;
    }
    const worker = item._worker;
    if (worker === null || worker.job !== item || worker.killed) return;
    if (this.#forcing || this.#gracePeriod === 0) {
      this.#kill(worker);
      return;
    }
    worker.transport!.send({ kind: "abort", id: item._id }, NO_TRANSFER);
    worker.killTimer = setTimeout(() => {
      worker.killTimer = null;
      if (worker.job === item) this.#kill(worker);
    }, this.#gracePeriod * 1000);
  }

  /** @internal Stops everything now: queued and running items cancelled, workers terminated. */
  _force(reason: string): void {
    if (this.#state === TERMINATED) return;
    if (this.#state === OPEN) this.#state = SHUTTING_DOWN;
    this.#forcing = true;
    this._forcedBy ??= reason;
    this.#cancelQueued(reason);
    for (const worker of [...this.#workers]) {
      if (worker.job !== null && !worker.job.done()) worker.job.cancel(reason);
      this.#kill(worker);
    }
    this.#failRoomWaiters(new RuntimeError("cannot schedule new futures after shutdown"));
    this.#checkTerminated();
  }

  /** @internal Calls back (on `loop`, through `future`, or directly) once every worker exited. */
  _whenTerminated(loop: EventLoop | null, done: Future<void> | (() => void)): void {
    const notify =
      done instanceof Future
        ? () => {
            foreignWorkEnd(loop!);
            if (!done.done()) done.setResult(undefined);
          }
        : done;
    if (this.#state === TERMINATED) {
      if (done instanceof Future) done.setResult(undefined);
      else done();
      return;
    }
    if (loop !== null) foreignWorkBegin(loop);
    this.#terminated.push(notify);
  }

  #checkInitializer(options: PoolOptions): WorkCall | null {
    const { initializer, initargs = [] } = options;
    if (initializer === undefined) return null;
    if (!isWorkFn(initializer)) {
      throw new TypeError(
        `initializer must be a work function (workModule(url).fn(name)), got ${formatValue(initializer)}`,
      );
    }
    if (!Array.isArray(initargs)) {
      throw new TypeError(`initargs must be an array, got ${formatValue(initargs)}`);
    }
    const unsendable = findUnsendable(initargs);
    if (unsendable !== null) {
      throw new UnsendableError(`initializer ${describeWork(initializer)}: ${unsendable}`);
    }
    this.#checkLoadable(initializer);
    return { module: initializer.module, name: initializer.name, args: initargs };
  }

  #checkWork(fn: AnyWorkFn): void {
    if (!isWorkFn(fn)) {
      throw new TypeError(
        `executors run work named by module and export: pass workModule(url).fn(name), got ${formatValue(fn)}`,
      );
    }
    this.#checkLoadable(fn);
  }

  #checkLoadable(fn: AnyWorkFn): void {
    if (!this._loader.typeScript && isTypeScriptModule(fn.module)) {
      throw new TypeError(
        `cannot run ${describeWork(fn)} in a worker: it is a TypeScript module and this process runs without a TypeScript loader, so workers would start without one too; run under tsx (node --import tsx), or point workModule() at compiled JavaScript`,
      );
    }
  }

  #checkOpen(): void {
    if (this.#broken !== null) throw this.#broken;
    if (this.#state !== OPEN) {
      throw new RuntimeError(
        "cannot schedule new futures after shutdown: the executor was shut down",
      );
    }
  }

  /** Cancels every queued item (one whose future was completed by hand is just dropped). */
  #cancelQueued(reason: string): void {
    for (let item = this.#head; item !== null; item = this.#head) {
      if (!item.cancel(reason)) {
        this.#unlink(item);
        item._args = null;
      }
    }
  }

  /** The next queued item to run, unlinked; items whose future was completed by hand are dropped. */
  #takeNext(): WorkFuture<unknown> | null {
    for (let item = this.#head; item !== null; item = this.#head) {
      this.#unlink(item);
      if (!item.done()) return item;
      item._args = null;
    }
    return null;
  }

  #enqueue(item: WorkFuture<unknown>): void {
    item._queued = true;
    item._prev = this.#tail;
    if (this.#tail === null) this.#head = item;
    else this.#tail._next = item;
    this.#tail = item;
    this.#queued++;
  }

  #enqueueFirst(item: WorkFuture<unknown>): void {
    item._queued = true;
    item._next = this.#head;
    if (this.#head === null) this.#tail = item;
    else this.#head._prev = item;
    this.#head = item;
    this.#queued++;
  }

  #unlink(item: WorkFuture<unknown>): void {
    if (item._prev === null) this.#head = item._next;
    else item._prev._next = item._next;
    if (item._next === null) this.#tail = item._prev;
    else item._next._prev = item._prev;
    item._prev = item._next = null;
    item._queued = false;
    this.#queued--;
  }

  /** Hands queued items to idle workers, then starts or stops workers as needed. */
  #dispatch(): void {
    while (this.#head !== null && this.#idle.length > 0) {
      const item = this.#takeNext();
      if (item === null) break;
      this.#startItem(this.#idle.pop()!, item);
    }
    this.#wakeSubmitters();
    this.#adjust();
  }

  #startItem(worker: PoolWorker, item: WorkFuture<unknown>): void {
    const args = item._args!;
    const transport = worker.transport!;
    let sent: boolean;
    try {
      sent = transport.send(
        {
          kind: "run",
          id: item._id,
          module: item._work.module,
          name: item._work.name,
          args,
          chunk: item._chunk,
        },
        collectTransfers(args),
      );
    } catch (error) {
      item._args = null;
      this.#becomeIdle(worker);
      this.#stats.failed++;
      const which = item._chunk
        ? findUnsendable((args as unknown[][]).flat())
        : findUnsendable(args);
      item.setException(
        new UnsendableError(
          `${describeWork(item._work)}: ${which ?? `its arguments cannot be sent: ${error instanceof Error ? error.message : String(error)}`}; send plain data (numbers, strings, arrays, plain objects, typed arrays, Map, Set, Date, Error)`,
          { cause: error },
        ),
      );
      return;
    }
    if (!sent) {
      // The worker died and its exit event is on its way: the item goes back to the front.
      this.#kill(worker);
      this.#enqueueFirst(item);
      return;
    }
    item._args = null;
    const now = performance.now();
    const waited = (now - item._queuedAt) / 1000;
    this.#stats.totalWaitTime += waited;
    if (waited > this.#stats.maxWaitTime) this.#stats.maxWaitTime = waited;
    item._startedAt = now;
    item._worker = worker;
    worker.job = item;
    worker.state = BUSY;
    this.#busy++;
    transport.ref();
    const trace = tracerOf(item.getLoop());
    if (trace !== null) {
      trace.workBegin(
        worker,
        `${this.constructor.name} ${worker.label}`,
        describeWork(item._work),
        item,
      );
    }
  }

  /** Starts workers for waiting items; lets idle ones go once the pool is shutting down. */
  #adjust(): void {
    if (this.#broken === null && !this.#forcing) {
      while (this.#queued > this.#starting && this.#workers.size < this.#maxWorkers) {
        if (!this.#spawnWorker()) break;
      }
    }
    if (this.#state !== OPEN && this.#head === null) {
      while (this.#idle.length > 0) this.#retire(this.#idle.pop()!);
    }
    this.#checkTerminated();
  }

  #spawnWorker(): boolean {
    const worker = new PoolWorker();
    this.#workers.add(worker);
    this.#starting++;
    this.#stats.workersStarted++;
    try {
      worker.transport = this._spawn({
        message: (message) => this.#onMessage(worker, message),
        error: (error) => {
          worker.failure ??= error;
        },
        exit: (exitCode, signal) => this.#onExit(worker, exitCode, signal),
      });
      worker.transport.send({ kind: "start", initializer: this.#initializer }, NO_TRANSFER);
      return true;
    } catch (error) {
      worker.failure ??= error;
      if (worker.transport !== null) {
        this.#kill(worker);
        return true;
      }
      this.#workers.delete(worker);
      this.#starting--;
      worker.state = DEAD;
      return this.#startFailed(worker, null, null);
    }
  }

  #onMessage(worker: PoolWorker, message: FromWorker): void {
    switch (message.kind) {
      case "ready":
        if (worker.state !== STARTING) return;
        this.#starting--;
        this.#startFailures = 0;
        this.#becomeIdle(worker);
        this.#dispatch();
        return;
      case "startFailed":
        worker.failure = deserializeError(message.error);
        return;
      case "done":
      case "failed": {
        const item = worker.job;
        if (item === null || item._id !== message.id) return;
        // The task waiting for the item runs at the end of this message event, not a
        // setImmediate hop later: less work on the loop's thread, which shares the cores.
        const loop = item.getLoop();
        handlerBegin(loop);
        try {
          this.#release(worker, item);
          if (!item.done()) {
            if (message.kind === "done") {
              this.#stats.completed++;
              item.setResult(message.value);
            } else {
              this.#stats.failed++;
              const error = deserializeError(message.error);
              explainUnloadableModule(error, item._work);
              item.setException(error);
            }
          }
          if (worker.killed) return;
          if (worker.tasksRun >= this._maxTasksPerWorker()) this.#retire(worker);
          else {
            // Straight on to the next item: the worker stays busy (and keeps Node running).
            const next = this.#takeNext();
            if (next === null) this.#becomeIdle(worker);
            else this.#startItem(worker, next);
          }
          this.#dispatch();
        } finally {
          handlerEnd(loop);
        }
      }
    }
  }

  #onExit(worker: PoolWorker, exitCode: number | null, signal: string | null): void {
    const previous = worker.state;
    if (previous === DEAD) return;
    worker.state = DEAD;
    this.#workers.delete(worker);
    if (worker.killTimer !== null) clearTimeout(worker.killTimer);
    if (previous === STARTING) this.#starting--;
    if (previous === IDLE) this.#removeIdle(worker);
    const item = worker.job;
    if (item !== null) this.#release(worker, item);
    if (worker.killed || previous === STOPPING) {
      // Terminated or retired by the pool: expected.
    } else if (previous === STARTING) {
      this.#startFailed(worker, exitCode, signal);
    } else {
      this.#stats.workerCrashes++;
      const doing = item === null ? "while idle" : `while running ${describeWork(item._work)}`;
      const error = this._brokenError(
        `${worker.label} ${describeExit(exitCode, signal)} ${doing}${describeCause(worker)}; the pool replaces it`,
        { exitCode, signal, cause: worker.failure },
      );
      if (item !== null && !item.done()) {
        this.#stats.failed++;
        item.setException(error);
      } else if (item === null) {
        logger.warning(error.message);
      }
    }
    this.#dispatch();
  }

  /** A worker failed to start; returns whether spawning may go on. */
  #startFailed(worker: PoolWorker, exitCode: number | null, signal: string | null): boolean {
    this.#startFailures++;
    if (this.#startFailures < MAX_START_FAILURES) return true;
    const reason =
      worker.failure !== undefined
        ? `the last one failed with ${describeError(worker.failure)}`
        : `the last one ${describeExit(exitCode, signal)}${describeCause(worker)}`;
    this.#break(
      this._brokenError(
        `${this.constructor.name} is broken: ${this.#startFailures} workers in a row failed to start; ${reason}`,
        { exitCode, signal, cause: worker.failure },
      ),
    );
    return false;
  }

  #break(error: BrokenExecutor): void {
    this.#broken = error;
    for (let item = this.#head; item !== null; item = this.#head) {
      this.#unlink(item);
      item._args = null;
      if (item.done()) continue;
      this.#stats.failed++;
      item.setException(error);
    }
    this.#failRoomWaiters(error);
    for (const worker of [...this.#workers]) if (worker.job === null) this.#kill(worker);
  }

  /** Frees `worker` from `item` (result, death or termination). */
  #release(worker: PoolWorker, item: WorkFuture<unknown>): void {
    if (worker.killTimer !== null) {
      clearTimeout(worker.killTimer);
      worker.killTimer = null;
    }
    worker.job = null;
    item._worker = null;
    tracerOf(item.getLoop())?.workEnd(worker, item);
    worker.tasksRun++;
    this.#busy--;
    const ran = (performance.now() - item._startedAt) / 1000;
    this.#stats.totalRunTime += ran;
    if (ran > this.#stats.maxRunTime) this.#stats.maxRunTime = ran;
  }

  #becomeIdle(worker: PoolWorker): void {
    worker.state = IDLE;
    worker.transport!.unref();
    this.#idle.push(worker);
  }

  /** Asks a worker to exit when it has nothing to do. */
  #retire(worker: PoolWorker): void {
    worker.state = STOPPING;
    worker.transport!.ref();
    if (!worker.transport!.send({ kind: "exit" }, NO_TRANSFER)) this.#kill(worker);
  }

  #kill(worker: PoolWorker): void {
    if (worker.killed || worker.state === DEAD) return;
    worker.killed = true;
    if (worker.state === IDLE) this.#removeIdle(worker);
    if (worker.transport === null) return;
    worker.transport.ref();
    worker.transport.terminate();
  }

  #removeIdle(worker: PoolWorker): void {
    const index = this.#idle.indexOf(worker);
    if (index >= 0) this.#idle.splice(index, 1);
  }

  #wakeSubmitters(): void {
    let room = this.#maxQueueSize - this.#queued;
    while (room > 0 && this.#roomWaiters.length > 0) {
      const waiter = this.#roomWaiters.shift()!;
      if (waiter.done()) continue;
      waiter.setResult(undefined);
      room--;
    }
  }

  #failRoomWaiters(error: Error): void {
    for (const waiter of this.#roomWaiters.splice(0)) {
      if (!waiter.done()) waiter.setException(error);
    }
  }

  #armShutdownTimer(timeout: number): void {
    const deadline = performance.now() + timeout * 1000;
    if (deadline >= this.#shutdownDeadline) return;
    this.#shutdownDeadline = deadline;
    if (this.#shutdownTimer !== null) clearTimeout(this.#shutdownTimer);
    this.#shutdownTimer = setTimeout(() => {
      this.#shutdownTimer = null;
      this._force(
        `the executor's shutdown timeout of ${timeout} seconds passed while the work still ran`,
      );
    }, timeout * 1000);
  }

  #checkTerminated(): void {
    if (this.#state !== SHUTTING_DOWN || this.#workers.size > 0 || this.#head !== null) return;
    this.#state = TERMINATED;
    if (this.#shutdownTimer !== null) {
      clearTimeout(this.#shutdownTimer);
      this.#shutdownTimer = null;
    }
    for (const notify of this.#terminated.splice(0)) notify();
  }
}

function describeExit(exitCode: number | null, signal: string | null): string {
  if (signal !== null) return `was killed by signal ${signal}`;
  if (exitCode !== null) return `exited with code ${exitCode}`;
  return "could not start";
}

function describeCause(worker: PoolWorker): string {
  const parts: string[] = [];
  if (worker.failure !== undefined) parts.push(describeError(worker.failure));
  const output = worker.transport?.recentOutput().trim() ?? "";
  if (output !== "") parts.push(`its last output: ${output}`);
  return parts.length === 0 ? "" : ` (${parts.join("; ")})`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}: ${error.message}${typeof code === "string" ? ` [${code}]` : ""}`;
  }
  return formatValue(error, 200);
}
