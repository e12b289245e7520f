/**
 * BullMQExecutor: the Executor interface in front of BullMQ on Redis, so work submitted,
 * mapped, cancelled and timed out as with the local pools runs on worker hosts anywhere.
 *
 * - `submit` checks the work (portable module under `root`, JSON arguments) and returns a
 *   Future at once; jobs submitted in one loop iteration go to Redis in one `addBulk`.
 * - Results come from one QueueEvents subscription (a Redis stream read from the id it had
 *   when the executor connected, so no event is missed), never by polling a job.
 * - Cancelling a future removes the job if it still waits and publishes its id on the cancel
 *   channel: the host running it aborts its `workSignal()` and terminates it after its grace
 *   period. The future is cancelled at once and no later outcome reaches it.
 * - When the connection comes back after Redis went away, every job in flight is looked up:
 *   finished ones deliver their outcome, vanished ones (a Redis restarted without its data)
 *   are added again. Delivery is therefore at least once.
 * - BullMQ keeps about `maxLenEvents` (10,000) events. An executor held up long enough for
 *   the stream to be trimmed past what it had read (its loop blocked while thousands of jobs
 *   finished) would never see those outcomes. Only then does one read bring half the stream
 *   or more at once: after such a read the jobs in flight are looked up as after a reconnect.
 * - Finished jobs stay in Redis for `keepFinished` seconds, then BullMQ removes them.
 */

import { type ConnectionOptions, type JobsOptions, Queue, QueueEvents } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import type { AsyncGen } from "../core/asyncgen.ts";
import type { Awaitable, Coro, Suspend } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { RuntimeError, ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";
import { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import {
  addShutdownHook,
  addWaiter,
  checkClosed,
  foreignWorkBegin,
  foreignWorkEnd,
  handlerBegin,
  handlerEnd,
} from "../core/lowlevel.ts";
import { ExecutorQueueFull } from "../executors/errors.ts";
import type {
  Executor,
  ExecutorStatistics,
  MapOptions,
  ShutdownOptions,
  ShutdownWait,
} from "../executors/executor.ts";
import { mapWork } from "../executors/map.ts";
import { type AnyWorkFn, describeWork, isWorkFn, type WorkFn } from "../executors/work.ts";
import { ConnectionError } from "../net/errors.ts";
import {
  closeRedis,
  connectWithin,
  describeRedis,
  type RedisConnection,
  redisOptions,
} from "./connection.ts";
import {
  cancelChannel,
  decodeFailure,
  findNonJSON,
  type JobData,
  portableModule,
  rootURL,
} from "./protocol.ts";

/**
 * Options of {@link BullMQExecutor}.
 *
 * @example
 * ```ts
 * new BullMQExecutor({
 *   queue: "images",
 *   connection: "redis://127.0.0.1:6379",
 *   root: new URL("./", import.meta.url),
 *   maxQueueSize: 1000,
 *   attempts: 3,
 *   backoff: { type: "exponential", delay: 1 },
 * });
 * ```
 */
export interface BullMQExecutorOptions {
  /** The BullMQ queue's name (no `:`); hosts started with `--queue NAME` take its jobs. */
  queue: string;
  /** Where Redis is: a URL or ioredis options. Default `redis://127.0.0.1:6379`. */
  connection?: RedisConnection;
  /**
   * The directory work modules are named relative to (a path or a `file:` URL); hosts are
   * given the same tree as `--root`. Default: the current directory.
   */
  root?: URL | string;
  /** BullMQ's key prefix (default `"bull"`). */
  prefix?: string;
  /** The most jobs in flight from this executor: `submit` past it throws, `submitWait` waits. */
  maxQueueSize?: number;
  /** Runs a job may get when it throws (BullMQ's `attempts`; default 1: no retry). */
  attempts?: number;
  /** The wait between attempts: seconds, or BullMQ's fixed / exponential backoff in seconds. */
  backoff?: number | { type: "fixed" | "exponential"; delay: number };
  /** Seconds to wait for Redis before submissions fail with ConnectionError (default 10). */
  connectTimeout?: number;
  /** Seconds finished jobs stay in Redis before BullMQ removes them (default 3600). */
  keepFinished?: number;
  /** Further BullMQ job options for every job (`priority`, `lifo`, `delay`, …). */
  jobOptions?: Omit<
    JobsOptions,
    "jobId" | "attempts" | "backoff" | "removeOnComplete" | "removeOnFail"
  >;
}

/**
 * The figures of a BullMQExecutor: those of every executor (counted from this executor's own
 * jobs; `maxWorkers`, `workers`, `idle`, `starting`, `workersStarted` and `workerCrashes`
 * are 0, as the hosts own the workers), plus what Redis did. `busy` counts the jobs a host
 * has taken (BullMQ's "active"): the host starts the work a moment later, after its pool has
 * a worker free, so a job cancelled in between never starts and its `workSignal()` never
 * aborts.
 *
 * @example
 * ```ts
 * const { queued, busy, resubmitted } = executor.statistics();
 * ```
 */
export interface BullMQExecutorStatistics extends ExecutorStatistics {
  /** Times the connection to Redis came back after it was lost. */
  reconnects: number;
  /** Jobs added again because Redis had lost them. */
  resubmitted: number;
}

const OPEN = 0;
const SHUTTING_DOWN = 1;
const TERMINATED = 2;

/** The Future of a job: also the waiter that ends its foreign-work count on the loop. */
class JobFuture<R> extends Future<R> {
  readonly _executor: BullMQExecutor;
  readonly _work: AnyWorkFn;
  readonly _jobId: string;
  readonly _data: JobData;
  /** 0: not sent yet; 1: addBulk in progress; 2: in Redis. */
  _sent = 0;
  _active = false;
  /** The job's own outcome (completed or failed in Redis) reached the future. */
  _reported = false;
  readonly _queuedAt = performance.now();
  _startedAt = 0;

  constructor(
    loop: EventLoop,
    executor: BullMQExecutor,
    work: AnyWorkFn,
    jobId: string,
    data: JobData,
  ) {
    super(loop);
    this._executor = executor;
    this._work = work;
    this._jobId = jobId;
    this._data = data;
    foreignWorkBegin(loop);
    addWaiter(this, this);
  }

  /** Cancels the job: removed if it waits, told to stop on its host if it runs. */
  override cancel(message?: string): boolean {
    if (!super.cancel(message)) return false;
    this._executor._onCancel(this as JobFuture<unknown>);
    return true;
  }

  /** @internal Runs (as this future's first waiter) once it is done. */
  _run(): void {
    foreignWorkEnd(this.getLoop());
  }

  override _describe(): string[] {
    const parts = super._describe();
    parts.splice(2, 0, `${describeWork(this._work)} job ${this._jobId}`);
    return parts;
  }
}

class Shutdown implements PromiseLike<void> {
  readonly #executor: BullMQExecutor;
  readonly #wait: boolean;

  constructor(executor: BullMQExecutor, wait: boolean) {
    this.#executor = executor;
    this.#wait = wait;
  }

  [Symbol.iterator](): Iterator<Suspend, void, unknown> {
    const loop = getRunningLoop();
    const future = loop.createFuture<void>();
    if (!this.#wait) future.setResult(undefined);
    else {
      foreignWorkBegin(loop);
      this.#executor._whenTerminated(() => {
        foreignWorkEnd(loop);
        if (!future.done()) future.setResult(undefined);
      });
    }
    return future[Symbol.iterator]();
  }

  // biome-ignore lint/suspicious/noThenProperty: shutdown() is awaitable from async code too
  then<A = void, B = never>(
    onfulfilled?: ((value: void) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const done = this.#wait
      ? new Promise<void>((resolve) => this.#executor._whenTerminated(resolve))
      : Promise.resolve();
    return done.then(onfulfilled, onrejected);
  }
}

interface Connected {
  redis: Redis;
  queue: Queue;
  events: QueueEvents;
  /** A read of this many events or more may follow a gap: the jobs are looked up. */
  largeRead: number;
}

/**
 * An executor whose work runs as BullMQ jobs on worker hosts (`npx asyncio-ts worker`), on
 * this machine or others, with the local pools' API: `submit`, `submitWait`, `map`,
 * `shutdown`, `using`, `statistics()`, and `loop.runInExecutor`.
 *
 * Work is named by a module under `root` and an export, as `workModule(...).fn(name)` names it;
 * the hosts resolve the module's path against their own `--root`. Arguments and results are
 * JSON. Errors come back as `WorkerError` with the original name, message, stack and cause.
 * Delivery is at least once: a job whose host dies runs again on another.
 *
 * @example
 * ```ts
 * import * as asyncio from "asyncio-ts";
 * import { BullMQExecutor } from "asyncio-ts/bullmq";
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 *
 * function* main(): asyncio.Coro<void> {
 *   const executor = new BullMQExecutor({ queue: "fib", root: new URL("./", import.meta.url) });
 *   yield* asyncio.using(executor, function* () {
 *     console.log(yield* executor.submit(tasks.fn("fib"), 30));
 *   });
 * }
 * await asyncio.run(main());
 * ```
 */
export class BullMQExecutor implements Executor {
  readonly #queueName: string;
  readonly #redis: RedisOptions;
  readonly #where: string;
  readonly #root: URL;
  readonly #prefix: string;
  readonly #maxQueueSize: number;
  readonly #connectTimeout: number;
  readonly #jobOptions: JobsOptions;
  readonly #idPrefix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  #nextId = 0;
  #state = OPEN;
  #connected: Connected | null = null;
  #connecting: Promise<Connected> | null = null;
  #lastError: unknown = undefined;
  /** The id of the last event QueueEvents read, and how many it read in its latest read. */
  #lastEventId = "0-0";
  #readSize = -1;
  /** How many lookups of the jobs in flight have begun (see #reconcile). */
  #reconciles = 0;
  /** Jobs in flight whose future is not done, by job id. */
  readonly #jobs = new Map<string, JobFuture<unknown>>();
  #toSend: JobFuture<unknown>[] = [];
  #sendScheduled = false;
  /** Redis operations still running (adds, cancels): the connection closes after them. */
  #operations = 0;
  readonly #roomWaiters: Future<void>[] = [];
  readonly #terminated: (() => void)[] = [];
  readonly #hooked = new WeakSet<EventLoop>();
  #shutdownTimer: ReturnType<typeof setTimeout> | null = null;
  #closing = false;
  readonly #stats = {
    submitted: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    totalRunTime: 0,
    maxRunTime: 0,
    totalWaitTime: 0,
    maxWaitTime: 0,
    reconnects: 0,
    resubmitted: 0,
  };

  constructor(options: BullMQExecutorOptions) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(
        `BullMQExecutor options must be an object ({ queue, connection, root }), got ${formatValue(options)}`,
      );
    }
    const { queue, prefix = "bull" } = options;
    if (typeof queue !== "string" || queue === "" || queue.includes(":")) {
      throw new ValueError(
        `BullMQExecutor needs the queue's name (a non-empty string without ':'), got ${formatValue(queue)}`,
      );
    }
    if (typeof prefix !== "string" || prefix === "") {
      throw new ValueError(`prefix must be a non-empty string, got ${formatValue(prefix)}`);
    }
    const maxQueueSize = options.maxQueueSize ?? Infinity;
    if (!(maxQueueSize === Infinity || (Number.isInteger(maxQueueSize) && maxQueueSize >= 1))) {
      throw new ValueError(
        `maxQueueSize must be an integer >= 1 or Infinity, got ${formatValue(maxQueueSize)}`,
      );
    }
    const connectTimeout = options.connectTimeout ?? 10;
    if (typeof connectTimeout !== "number" || !(connectTimeout > 0)) {
      throw new ValueError(
        `connectTimeout must be a number of seconds > 0, got ${formatValue(connectTimeout)}`,
      );
    }
    this.#queueName = queue;
    this.#prefix = prefix;
    this.#redis = redisOptions(options.connection ?? "redis://127.0.0.1:6379", "connection");
    this.#where = describeRedis(this.#redis);
    this.#root = rootURL(options.root ?? process.cwd(), "root");
    this.#maxQueueSize = maxQueueSize;
    this.#connectTimeout = connectTimeout;
    this.#jobOptions = jobOptions(options);
  }

  /** The queue's name. */
  get queue(): string {
    return this.#queueName;
  }

  /** The directory work modules are named relative to. */
  get root(): URL {
    return this.#root;
  }

  /**
   * Adds `fn(...args)` as a job; returns its Future. Arguments must survive JSON unchanged;
   * anything else (a Map, a Date, undefined in an array, a class instance) is refused here and
   * nothing is enqueued. Throws ExecutorQueueFull when `maxQueueSize` jobs are in flight,
   * RuntimeError after shutdown. An unreachable Redis fails the future with ConnectionError
   * after `connectTimeout` seconds.
   *
   * Cancel safety: cancelling the Future (or the task waiting on it) removes the job if it
   * waits; if it runs, the host running it aborts its `workSignal()` and terminates it after
   * its grace period. The future is cancelled at once.
   *
   * @example
   * ```ts
   * const future = executor.submit(tasks.fn("fib"), 30);
   * console.log(yield* future);
   * ```
   */
  submit<A extends unknown[], R>(fn: WorkFn<A, R>, ...args: NoInfer<A>): Future<R> {
    return this._submitOn(getRunningLoop(), fn as unknown as AnyWorkFn, args, false) as Future<R>;
  }

  /**
   * Waits while `maxQueueSize` jobs are in flight, then submits `fn(...args)`; evaluates to
   * its Future.
   *
   * Cancel safety: cancelled while waiting, nothing was submitted, and the room passes on.
   *
   * @example
   * ```ts
   * for (const n of inputs) futures.push(yield* executor.submitWait(tasks.fn("fib"), n));
   * ```
   */
  *submitWait<A extends unknown[], R>(fn: WorkFn<A, R>, ...args: NoInfer<A>): Awaitable<Future<R>> {
    const loop = getRunningLoop();
    this.#workData(fn as unknown as AnyWorkFn, args, false);
    yield* this._waitForRoom(loop);
    return this._submitOn(loop, fn as unknown as AnyWorkFn, args, false) as Future<R>;
  }

  /**
   * Runs `fn(item)` for every item as jobs; the async generator gives the results in order.
   * `chunksize` puts several items in one job. The first error (or `timeout`) ends it and
   * cancels the jobs not taken.
   *
   * Cancel safety: cancelling the reading task cancels every job not yet taken.
   *
   * @example
   * ```ts
   * const results = executor.map(tasks.fn("square"), [1, 2, 3], { chunksize: 2 });
   * for (let step = yield* results.next(); !step.done; step = yield* results.next()) console.log(step.value);
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
   * Stops accepting work; jobs in flight still run (`cancelFutures` cancels those no host has
   * started). Once none is left, the Redis connections close. `yield*` (or `await`) the result
   * to wait for that; `timeout` (real seconds) cancels what still runs then.
   *
   * Cancel safety: cancelling the task waiting here leaves the jobs running; shut down again
   * with a `timeout` to stop them.
   *
   * @example
   * ```ts
   * yield* executor.shutdown({ cancelFutures: true, timeout: 30 });
   * ```
   */
  shutdown(options: ShutdownOptions = {}): ShutdownWait {
    const { wait = true, cancelFutures = false, timeout = Infinity } = options;
    if (typeof timeout !== "number" || !(timeout >= 0)) {
      throw new ValueError(`shutdown() timeout must be seconds >= 0, got ${formatValue(timeout)}`);
    }
    if (this.#state === OPEN) this.#state = SHUTTING_DOWN;
    for (const waiter of this.#roomWaiters.splice(0)) {
      if (!waiter.done()) {
        waiter.setException(
          new RuntimeError(
            "cannot schedule new futures after shutdown: the executor was shut down",
          ),
        );
      }
    }
    if (cancelFutures) {
      for (const job of [...this.#jobs.values()]) {
        if (!job._active) job.cancel("the executor was shut down with cancelFutures");
      }
    }
    if (timeout === 0) this.#cancelAll(`the executor's shutdown timeout of 0 seconds`);
    else if (timeout !== Infinity && this.#state !== TERMINATED) {
      if (this.#shutdownTimer !== null) clearTimeout(this.#shutdownTimer);
      this.#shutdownTimer = setTimeout(() => {
        this.#shutdownTimer = null;
        this.#cancelAll(
          `the executor's shutdown timeout of ${timeout} seconds passed while the work still ran`,
        );
      }, timeout * 1000);
    }
    this.#checkTerminated();
    return new Shutdown(this, wait);
  }

  /** `using` enters: the executor. */
  *aenter(): Awaitable<this> {
    return this;
  }

  /**
   * `using` exits: `shutdown({ wait: true })`, so the block ends when its jobs are done and
   * the connections closed.
   */
  *aexit(_error: unknown): Awaitable<false> {
    yield* this.shutdown({ wait: true });
    return false;
  }

  /**
   * Jobs in flight, outcomes and times, counted from this executor's own jobs (see
   * {@link BullMQExecutorStatistics}).
   *
   * @example
   * ```ts
   * const { queued, busy, completed } = executor.statistics();
   * ```
   */
  statistics(): BullMQExecutorStatistics {
    let busy = 0;
    for (const job of this.#jobs.values()) if (job._active) busy++;
    return {
      maxWorkers: 0,
      workers: 0,
      busy,
      idle: 0,
      starting: 0,
      queued: this.#jobs.size - busy,
      maxQueueSize: this.#maxQueueSize,
      waitingSubmitters: this.#roomWaiters.filter((waiter) => !waiter.done()).length,
      workersStarted: 0,
      workerCrashes: 0,
      ...this.#stats,
    };
  }

  toString(): string {
    const state = ["running", "shutting down", "shut down"][this.#state];
    return `<BullMQExecutor ${state} queue=${this.#queueName} redis=${this.#where} in flight=${this.#jobs.size}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** @internal Submits on `loop`; `chunk`: `args` is a list of argument lists (map). */
  _submitOn(loop: EventLoop, fn: AnyWorkFn, args: unknown[], chunk: boolean): Future<unknown> {
    const data = this.#workData(fn, args, chunk);
    this.#checkOpen();
    checkClosed(loop);
    if (this.#jobs.size >= this.#maxQueueSize) {
      throw new ExecutorQueueFull(
        `${this} has ${this.#jobs.size} jobs in flight (maxQueueSize): wait for room with yield* executor.submitWait(...)`,
      );
    }
    if (!this.#hooked.has(loop)) {
      // run() closes what a program forgot to shut down, so no connection outlives it.
      this.#hooked.add(loop);
      addShutdownHook(loop, () => this.#closeAtLoopEnd());
    }
    const job = new JobFuture<unknown>(loop, this, fn, `${this.#idPrefix}-${++this.#nextId}`, data);
    this.#stats.submitted++;
    this.#jobs.set(job._jobId, job);
    this.#toSend.push(job);
    if (!this.#sendScheduled) {
      this.#sendScheduled = true;
      loop.callSoon(() => this.#send());
    }
    return job;
  }

  /** @internal True when `submit` would not throw ExecutorQueueFull. */
  _hasRoom(): boolean {
    return this.#jobs.size < this.#maxQueueSize;
  }

  /** @internal Waits until fewer than `maxQueueSize` jobs are in flight. */
  *_waitForRoom(loop: EventLoop): Coro<void> {
    while (this.#jobs.size >= this.#maxQueueSize) {
      this.#checkOpen();
      const waiter = loop.createFuture<void>();
      this.#roomWaiters.push(waiter);
      try {
        yield* waiter;
      } catch (error) {
        const index = this.#roomWaiters.indexOf(waiter);
        if (index >= 0) this.#roomWaiters.splice(index, 1);
        if (waiter.done() && !waiter.cancelled() && waiter.exception() === null) {
          this.#wakeSubmitters();
        }
        throw error;
      }
    }
    this.#checkOpen();
  }

  /** @internal A JobFuture was cancelled. */
  _onCancel(job: JobFuture<unknown>): void {
    this.#stats.cancelled++;
    // Not sent yet: #send drops it. Being added: the add's outcome cancels it. The remote
    // cancel goes first: forgetting the last job in flight may start closing the connection.
    if (job._sent === 2) this.#cancelRemote(job._jobId);
    this.#forget(job);
  }

  /** @internal Calls `done` once the executor is shut down and its connections are closed. */
  _whenTerminated(done: () => void): void {
    if (this.#state === TERMINATED) done();
    else this.#terminated.push(done);
  }

  #workData(fn: AnyWorkFn, args: unknown[], chunk: boolean): JobData {
    this.#checkWork(fn);
    const module = portableModule(fn, this.#root);
    const problem = chunk
      ? (args as unknown[][]).reduce<string | null>(
          (found, itemArgs, index) =>
            found ?? findNonJSON(itemArgs, `item ${index + 1}'s arguments`),
          null,
        )
      : args.reduce<string | null>(
          (found, arg, index) => found ?? findNonJSON(arg, `argument ${index + 1}`),
          null,
        );
    if (problem !== null) {
      throw new TypeError(
        `${describeWork(fn)}: ${problem}; a BullMQExecutor sends JSON (numbers, strings, booleans, null, arrays, plain objects), so convert it first`,
      );
    }
    return chunk ? { module, name: fn.name, args, chunk: true } : { module, name: fn.name, args };
  }

  #checkWork(fn: AnyWorkFn): void {
    if (!isWorkFn(fn)) {
      throw new TypeError(
        `executors run work named by module and export: pass workModule(url).fn(name), got ${formatValue(fn)}`,
      );
    }
  }

  #checkOpen(): void {
    if (this.#state !== OPEN) {
      throw new RuntimeError(
        "cannot schedule new futures after shutdown: the executor was shut down",
      );
    }
  }

  /** A job's future is done: it leaves the in-flight map, and its room goes to a submitter. */
  #forget(job: JobFuture<unknown>): void {
    if (this.#jobs.get(job._jobId) === job) this.#jobs.delete(job._jobId);
    this.#wakeSubmitters();
    this.#checkTerminated();
  }

  #wakeSubmitters(): void {
    let room = this.#maxQueueSize - this.#jobs.size;
    while (room > 0 && this.#roomWaiters.length > 0) {
      const waiter = this.#roomWaiters.shift()!;
      if (waiter.done()) continue;
      waiter.setResult(undefined);
      room--;
    }
  }

  /** Sends the jobs submitted since the last call in one addBulk. */
  #send(): void {
    this.#sendScheduled = false;
    const batch = this.#toSend.filter((job) => !job.done());
    this.#toSend = [];
    if (batch.length === 0) return;
    for (const job of batch) job._sent = 1;
    const reconcilesBefore = this.#reconciles;
    const adding = this.#connect().then((connected) =>
      connected.queue.addBulk(
        batch.map((job) => ({
          name: job._data.name,
          data: job._data,
          opts: { ...this.#jobOptions, jobId: job._jobId },
        })),
      ),
    );
    // However late the add lands, a job whose future was cancelled (or failed without the
    // job's own outcome) by then is stopped. One whose outcome already arrived is left alone:
    // in a large batch the first jobs finish before Redis has answered for the last.
    adding.then(
      () => {
        for (const job of batch) {
          job._sent = 2;
          if (job.done() && !job._reported) this.#cancelRemote(job._jobId);
        }
        // A lookup that began while this add awaited its reply passed these jobs over: their
        // events may have been trimmed (or lost with a connection) all the same.
        if (this.#reconciles !== reconcilesBefore) void this.#reconcile();
      },
      () => {},
    );
    this.#operations++;
    withinSeconds(
      adding,
      this.#connectTimeout * 2,
      () =>
        new ConnectionError(
          `Redis at ${this.#where} did not take ${batch.length} job(s) within ${this.#connectTimeout * 2} seconds`,
          { cause: this.#lastError },
        ),
    )
      .then(
        () => {},
        (error: unknown) => this.#failSend(batch, error),
      )
      .finally(() => {
        this.#operations--;
        this.#checkTerminated();
      });
  }

  #failSend(batch: JobFuture<unknown>[], error: unknown): void {
    const failure =
      error instanceof ConnectionError
        ? error
        : new ConnectionError(
            `could not add jobs to queue ${this.#queueName} at ${this.#where}: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
    this.#deliver(batch[0]?.getLoop() ?? null, () => {
      for (const job of batch) {
        if (job.done()) continue;
        this.#stats.failed++;
        job.setException(failure);
        this.#forget(job);
      }
    });
  }

  #connect(): Promise<Connected> {
    if (this.#connected !== null) return Promise.resolve(this.#connected);
    this.#connecting ??= this.#open().then(
      (connected) => {
        this.#connected = connected;
        this.#connecting = null;
        return connected;
      },
      (error: unknown) => {
        this.#connecting = null;
        throw error;
      },
    );
    return this.#connecting;
  }

  async #open(): Promise<Connected> {
    const redis = new Redis({
      ...this.#redis,
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(100 * times, 1000),
    });
    redis.on("error", (error: unknown) => {
      this.#lastError = error;
    });
    try {
      await connectWithin(
        new Promise<void>((resolve, reject) => {
          redis.once("ready", () => resolve());
          redis.once("end", () => reject(new Error("the connection was closed")));
        }),
        this.#connectTimeout,
        this.#where,
        () => this.#lastError,
      );
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    const queue = new Queue(this.#queueName, { connection: redis, prefix: this.#prefix });
    queue.on("error", (error: unknown) => {
      this.#lastError = error;
    });
    // Read events from the stream's current end: none of this executor's jobs exists yet.
    const eventsKey = `${this.#prefix}:${this.#queueName}:events`;
    const last = await redis.xrevrange(eventsKey, "+", "-", "COUNT", 1);
    this.#lastEventId = last[0]?.[0] ?? "0-0";
    const maxLen = Number(
      (await redis.hget(`${this.#prefix}:${this.#queueName}:meta`, "opts.maxLenEvents")) ?? 10000,
    );
    const largeRead = Math.max(1, Math.floor((Number.isFinite(maxLen) ? maxLen : 10000) / 2));
    const events = new QueueEvents(this.#queueName, {
      connection: { ...this.#redis } as ConnectionOptions,
      prefix: this.#prefix,
      lastEventId: this.#lastEventId,
    });
    trackEventIds(events, (id) => this.#onEventRead(id));
    events.on("error", (error: unknown) => {
      this.#lastError = error;
    });
    events.on("active", ({ jobId }) => this.#onActive(jobId));
    events.on("completed", ({ jobId, returnvalue }) => this.#onCompleted(jobId, returnvalue));
    events.on("failed", ({ jobId, failedReason }) => this.#onFailed(jobId, failedReason));
    try {
      await connectWithin(
        events.waitUntilReady(),
        this.#connectTimeout,
        this.#where,
        () => this.#lastError,
      );
    } catch (error) {
      await Promise.allSettled([events.close(), queue.close()]);
      redis.disconnect();
      throw error;
    }
    redis.on("ready", () => {
      this.#stats.reconnects++;
      void this.#reconcile();
    });
    return { redis, queue, events, largeRead };
  }

  #onActive(jobId: string): void {
    const job = this.#jobs.get(jobId);
    if (job === undefined || job._active) return;
    job._active = true;
    job._startedAt = performance.now();
    const waited = (job._startedAt - job._queuedAt) / 1000;
    this.#stats.totalWaitTime += waited;
    if (waited > this.#stats.maxWaitTime) this.#stats.maxWaitTime = waited;
  }

  #onCompleted(jobId: string, value: unknown): void {
    const job = this.#jobs.get(jobId);
    if (job === undefined) return;
    this.#deliver(job.getLoop(), () => {
      this.#ran(job);
      this.#stats.completed++;
      job._reported = true;
      job.setResult(value);
      this.#forget(job);
    });
  }

  #onFailed(jobId: string, failedReason: string): void {
    const job = this.#jobs.get(jobId);
    if (job === undefined) return;
    this.#deliver(job.getLoop(), () => {
      this.#ran(job);
      this.#stats.failed++;
      job._reported = true;
      job.setException(decodeFailure(String(failedReason)));
      this.#forget(job);
    });
  }

  #ran(job: JobFuture<unknown>): void {
    if (!job._active) return;
    const ran = (performance.now() - job._startedAt) / 1000;
    this.#stats.totalRunTime += ran;
    if (ran > this.#stats.maxRunTime) this.#stats.maxRunTime = ran;
  }

  /** Completes futures from a Node event: the waiting task runs at the end of the event. */
  #deliver(loop: EventLoop | null, complete: () => void): void {
    if (loop === null || loop.isClosed()) {
      complete();
      return;
    }
    handlerBegin(loop);
    try {
      complete();
    } finally {
      handlerEnd(loop);
    }
  }

  /**
   * Counts the events of one read (QueueEvents emits them in one synchronous loop); a large
   * read may have come after events were trimmed unread, so the jobs in flight are looked up.
   */
  #onEventRead(id: string): void {
    if (id === this.#lastEventId) return;
    this.#lastEventId = id;
    if (this.#readSize < 0) {
      this.#readSize = 0;
      queueMicrotask(() => {
        const size = this.#readSize;
        this.#readSize = -1;
        const connected = this.#connected;
        if (connected !== null && size >= connected.largeRead && this.#jobs.size > 0) {
          void this.#reconcile();
        }
      });
    }
    this.#readSize++;
  }

  /**
   * After a reconnect or a large read of events: every job in Redis is looked up. A finished
   * one delivers its outcome (its event may have been lost with the connection, or trimmed
   * from the stream before it was read); one Redis no longer has is added again.
   */
  async #reconcile(): Promise<void> {
    this.#reconciles++;
    const connected = this.#connected;
    if (connected === null) return;
    const inRedis = [...this.#jobs.values()].filter((job) => job._sent === 2);
    if (inRedis.length === 0) return;
    this.#operations++;
    try {
      const pipeline = connected.redis.pipeline();
      for (const job of inRedis) {
        pipeline.hmget(
          `${this.#prefix}:${this.#queueName}:${job._jobId}`,
          "finishedOn",
          "returnvalue",
          "failedReason",
        );
      }
      const replies = (await pipeline.exec()) ?? [];
      const lost: JobFuture<unknown>[] = [];
      inRedis.forEach((job, index) => {
        if (job.done()) return;
        const [error, fields] = replies[index] ?? [new Error("no reply"), null];
        if (error !== null) return;
        const [finishedOn, returnvalue, failedReason] = fields as (string | null)[];
        if (finishedOn === null && returnvalue === null && failedReason === null) {
          // The hash is gone: Redis lost the job (or it finished and expired long ago).
          lost.push(job);
        } else if (finishedOn !== null && returnvalue !== null && failedReason === null) {
          this.#onCompleted(job._jobId, JSON.parse(returnvalue));
        } else if (finishedOn !== null && failedReason !== null) {
          this.#onFailed(job._jobId, failedReason);
        }
      });
      if (lost.length === 0) return;
      this.#stats.resubmitted += lost.length;
      await connected.queue.addBulk(
        lost.map((job) => ({
          name: job._data.name,
          data: job._data,
          opts: { ...this.#jobOptions, jobId: job._jobId },
        })),
      );
    } catch (error) {
      this.#lastError = error;
    } finally {
      this.#operations--;
      this.#checkTerminated();
    }
  }

  /** Removes the job if it waits, and tells the host running it to stop. */
  #cancelRemote(jobId: string): void {
    const connected = this.#connected;
    if (connected === null) return;
    this.#operations++;
    Promise.allSettled([
      connected.redis.publish(cancelChannel(this.#prefix, this.#queueName), jobId),
      connected.queue.remove(jobId),
    ]).finally(() => {
      this.#operations--;
      this.#checkTerminated();
    });
  }

  #cancelAll(reason: string): void {
    for (const job of [...this.#jobs.values()]) job.cancel(reason);
  }

  *#closeAtLoopEnd(): Coro<void> {
    if (this.#state === TERMINATED) return;
    yield* this.shutdown({ wait: true, timeout: 0 });
  }

  #checkTerminated(): void {
    if (this.#state !== SHUTTING_DOWN || this.#closing) return;
    if (this.#jobs.size > 0 || this.#operations > 0 || this.#toSend.length > 0) return;
    if (this.#connecting !== null) return;
    this.#closing = true;
    if (this.#shutdownTimer !== null) {
      clearTimeout(this.#shutdownTimer);
      this.#shutdownTimer = null;
    }
    const connected = this.#connected;
    this.#connected = null;
    const closed =
      connected === null
        ? Promise.resolve()
        : Promise.allSettled([connected.events.close(), connected.queue.close()]).then(() =>
            closeRedis(connected.redis),
          );
    void closed.then(() => {
      this.#state = TERMINATED;
      for (const notify of this.#terminated.splice(0)) notify();
    });
  }
}

function jobOptions(options: BullMQExecutorOptions): JobsOptions {
  const attempts = options.attempts ?? 1;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new ValueError(`attempts must be an integer >= 1, got ${formatValue(attempts)}`);
  }
  const keep = options.keepFinished ?? 3600;
  if (typeof keep !== "number" || !(keep >= 0)) {
    throw new ValueError(`keepFinished must be seconds >= 0, got ${formatValue(keep)}`);
  }
  const result: JobsOptions = {
    ...(options.jobOptions ?? {}),
    attempts,
    removeOnComplete: { age: Math.ceil(keep) },
    removeOnFail: { age: Math.ceil(keep) },
  };
  const { backoff } = options;
  if (backoff !== undefined) {
    if (typeof backoff === "number" && backoff >= 0) {
      result.backoff = { type: "fixed", delay: backoff * 1000 };
    } else if (
      backoff !== null &&
      typeof backoff === "object" &&
      (backoff.type === "fixed" || backoff.type === "exponential") &&
      typeof backoff.delay === "number" &&
      backoff.delay >= 0
    ) {
      result.backoff = { type: backoff.type, delay: backoff.delay * 1000 };
    } else {
      throw new ValueError(
        `backoff must be seconds >= 0 or { type: "fixed" | "exponential", delay: seconds }, got ${formatValue(backoff)}`,
      );
    }
  }
  return result;
}

const STREAM_ID = /^(\d+)-(\d+)$/;

/** Calls `seen` with the stream id of every event `events` emits (its last argument). */
function trackEventIds(events: QueueEvents, seen: (id: string) => void): void {
  type Emit = (event: string, ...args: unknown[]) => boolean;
  const emit = (events.emit as Emit).bind(events);
  (events as unknown as { emit: Emit }).emit = (event, ...args) => {
    const id = args[args.length - 1];
    if (typeof id === "string" && STREAM_ID.test(id)) seen(id);
    return emit(event, ...args);
  };
}

/** `promise`, or a rejection with `timeoutError()` after `seconds`. */
function withinSeconds<T>(
  promise: Promise<T>,
  seconds: number,
  timeoutError: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), seconds * 1000);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
