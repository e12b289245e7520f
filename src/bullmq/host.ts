/**
 * The worker host: takes a queue's jobs from Redis (a BullMQ Worker) and runs each in its own
 * local pool (a ThreadPoolExecutor, or a ProcessPoolExecutor by option), so a job that will
 * not stop can be terminated, which BullMQ alone cannot do. `npx asyncio-ts worker` runs it;
 * programs embed it with {@link runWorkerHost}.
 *
 * - A cancel published by an executor aborts the running job's `workSignal()`; the pool
 *   terminates it after `cancelGracePeriod`. The job then fails as unrecoverable (no retry).
 *   A cancel that arrives before the job starts here is remembered for a minute.
 * - Stopping (the signal aborts, or the task is cancelled): no new job is taken; jobs taken
 *   ahead (`prefetch`) that no worker started go back to the queue at once; running ones get
 *   `shutdownGracePeriod` seconds to finish, then go back to the queue for another host.
 * - A job whose module the host cannot load fails with an error naming the module and the host.
 */

import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { type ConnectionOptions, type Job, UnrecoverableError, WaitingError, Worker } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import type { Awaitable } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { isCancelledError, ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import { logger } from "../core/lowlevel.ts";
import { fromPromise } from "../core/promises.ts";
import type { WorkerPool } from "../executors/pool.ts";
import { ProcessPoolExecutor } from "../executors/processpool.ts";
import { ThreadPoolExecutor } from "../executors/threadpool.ts";
import { type AnyWorkFn, workModule } from "../executors/work.ts";
import {
  closeRedis,
  connectWithin,
  describeRedis,
  type RedisConnection,
  redisOptions,
} from "./connection.ts";
import {
  cancelChannel,
  encodeFailure,
  findNonJSON,
  type JobData,
  resolveModule,
  rootURL,
} from "./protocol.ts";

/**
 * Options of {@link runWorkerHost} (and of `asyncio-ts worker`).
 *
 * @example
 * ```ts
 * const options: WorkerHostOptions = { queue: "images", connection: "redis://10.0.0.5:6379", maxWorkers: 8 };
 * ```
 */
export interface WorkerHostOptions {
  /** The queue to take jobs from. */
  queue: string;
  /** Where Redis is: a URL or ioredis options. Default `redis://127.0.0.1:6379`. */
  connection?: RedisConnection;
  /** The directory job modules are resolved against (the executors' `root`). Default: cwd. */
  root?: URL | string;
  /** BullMQ's key prefix (default `"bull"`). */
  prefix?: string;
  /** Jobs run at once, each on its own pool worker. Default 1. */
  maxWorkers?: number;
  /**
   * Jobs taken from the queue beyond `maxWorkers`, to wait here for a free worker (default 0).
   * With short jobs the next one is at hand the moment a worker frees, which raises a host's
   * throughput; with long jobs a taken job waits here even while another host is idle. A
   * cancel reaches a job waiting here too (it never starts), and stopping hands such jobs
   * back at once.
   */
  prefetch?: number;
  /** `"thread"` (default) or `"process"`: what the local pool's workers are. */
  pool?: "thread" | "process";
  /** Seconds a cancelled job may take to stop by itself before it is terminated (default 1). */
  cancelGracePeriod?: number;
  /** Seconds running jobs may take to finish when the host stops, before they go back (default 10). */
  shutdownGracePeriod?: number;
  /** Seconds of BullMQ's job lock: a dead host's job runs again after about that (default 30). */
  lockDuration?: number;
  /** Seconds between BullMQ's checks for stalled jobs (default 30). */
  stalledInterval?: number;
  /** Seconds to wait for Redis at start before failing with ConnectionError (default 30). */
  connectTimeout?: number;
  /** How this host names itself in errors and logs. Default `hostname pid N`. */
  name?: string;
  /** Aborting it stops the host gracefully. */
  signal?: AbortSignal;
  /** Called once the host takes jobs (the worker and the cancel subscription are ready). */
  onReady?: (description: string) => void;
}

/** How long a cancel for a job not (yet) running here is remembered. */
const EARLY_CANCEL_MS = 60_000;

interface Running {
  future: Future<unknown>;
  handBack: boolean;
}

/**
 * Runs a worker host until `options.signal` aborts or the task running it is cancelled, then
 * stops gracefully (see the file header). Evaluates when every connection and pool worker
 * is closed.
 *
 * Cancel safety: cancelling the task stops the host as the signal does; the wait for its
 * graceful end is not interrupted.
 *
 * @example
 * ```ts
 * import * as asyncio from "asyncio-ts";
 * import { runWorkerHost } from "asyncio-ts/bullmq";
 * const stop = new AbortController();
 * process.once("SIGTERM", () => stop.abort());
 * await asyncio.run(runWorkerHost({ queue: "images", maxWorkers: 4, signal: stop.signal }));
 * ```
 */
export function* runWorkerHost(options: WorkerHostOptions): Awaitable<void> {
  const host = new WorkerHost(options, getRunningLoop());
  yield* fromPromise(host.start());
  try {
    yield* fromPromise(host.stopped());
  } finally {
    // Cancelled or stopped: end gracefully whatever happens to the waiting task.
    const end = host.stop();
    yield* fromPromise(end);
  }
}

class WorkerHost {
  readonly #loop: EventLoop;
  readonly #queue: string;
  readonly #redis: RedisOptions;
  readonly #root: URL;
  readonly #prefix: string;
  readonly #maxWorkers: number;
  readonly #prefetch: number;
  readonly #shutdownGrace: number;
  readonly #lockDuration: number;
  readonly #stalledInterval: number;
  readonly #connectTimeout: number;
  readonly #name: string;
  readonly #signal: AbortSignal | undefined;
  readonly #onReady: ((description: string) => void) | undefined;
  readonly #pool: WorkerPool;
  readonly #poolKind: string;
  readonly #running = new Map<string, Running>();
  readonly #earlyCancels = new Map<string, number>();
  readonly #functions = new Map<string, AnyWorkFn>();
  #worker: Worker | null = null;
  #subscriber: Redis | null = null;
  #lastError: unknown = undefined;
  #stopping: Promise<void> | null = null;

  constructor(options: WorkerHostOptions, loop: EventLoop) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(
        `runWorkerHost() expects options ({ queue, connection, maxWorkers }), got ${formatValue(options)}`,
      );
    }
    const { queue, prefix = "bull", pool = "thread" } = options;
    if (typeof queue !== "string" || queue === "" || queue.includes(":")) {
      throw new ValueError(
        `the worker host needs the queue's name (a non-empty string without ':'), got ${formatValue(queue)}`,
      );
    }
    if (pool !== "thread" && pool !== "process") {
      throw new ValueError(`pool must be "thread" or "process", got ${formatValue(pool)}`);
    }
    this.#loop = loop;
    this.#queue = queue;
    this.#prefix = prefix;
    this.#redis = redisOptions(options.connection ?? "redis://127.0.0.1:6379", "connection");
    this.#root = rootURL(options.root ?? process.cwd(), "root");
    this.#maxWorkers = positive(options.maxWorkers ?? 1, "maxWorkers", true);
    this.#prefetch = count(options.prefetch ?? 0, "prefetch");
    const cancelGrace = nonNegative(options.cancelGracePeriod ?? 1, "cancelGracePeriod");
    this.#shutdownGrace = nonNegative(options.shutdownGracePeriod ?? 10, "shutdownGracePeriod");
    this.#lockDuration = positive(options.lockDuration ?? 30, "lockDuration");
    this.#stalledInterval = positive(options.stalledInterval ?? 30, "stalledInterval");
    this.#connectTimeout = positive(options.connectTimeout ?? 30, "connectTimeout");
    this.#name = options.name ?? `${hostname()} pid ${process.pid}`;
    this.#signal = options.signal;
    this.#onReady = options.onReady;
    const poolOptions = { maxWorkers: this.#maxWorkers, cancelGracePeriod: cancelGrace };
    this.#pool =
      pool === "process"
        ? new ProcessPoolExecutor(poolOptions)
        : new ThreadPoolExecutor(poolOptions);
    this.#poolKind = pool;
  }

  async start(): Promise<void> {
    const where = describeRedis(this.#redis);
    const subscriber = new Redis({ ...this.#redis, maxRetriesPerRequest: null });
    this.#subscriber = subscriber;
    subscriber.on("error", (error: unknown) => {
      this.#lastError = error;
    });
    subscriber.on("message", (_channel: string, jobId: string) => this.#onCancel(jobId));
    const worker = new Worker(this.#queue, (job, token) => this.#process(job, token), {
      connection: { ...this.#redis } as ConnectionOptions,
      prefix: this.#prefix,
      concurrency: this.#maxWorkers + this.#prefetch,
      lockDuration: this.#lockDuration * 1000,
      stalledInterval: this.#stalledInterval * 1000,
      autorun: false,
    });
    this.#worker = worker;
    let lastLogged = "";
    worker.on("error", (error: unknown) => {
      this.#lastError = error;
      // A Redis that is down fails every reconnect attempt alike: say it once.
      const message = `worker host ${this.#name}: ${error instanceof Error ? error.message : String(error)}`;
      if (message !== lastLogged) logger.warning(message);
      lastLogged = message;
    });
    try {
      await connectWithin(
        Promise.all([
          subscriber.subscribe(cancelChannel(this.#prefix, this.#queue)),
          worker.waitUntilReady(),
        ]),
        this.#connectTimeout,
        where,
        () => this.#lastError,
      );
    } catch (error) {
      await this.#close(true);
      throw error;
    }
    worker.run().catch((error: unknown) => {
      logger.error(`worker host ${this.#name}: the worker stopped: ${String(error)}`);
    });
    this.#onReady?.(
      `worker host ${this.#name} takes jobs from queue ${this.#queue} at ${where} with ${this.#maxWorkers} ${this.#poolKind} worker(s)${this.#prefetch > 0 ? ` and ${this.#prefetch} job(s) prefetched` : ""}, root ${fileURLToPath(this.#root)}`,
    );
  }

  /** Resolves when the signal aborts. */
  stopped(): Promise<void> {
    const signal = this.#signal;
    if (signal === undefined) return new Promise<void>(() => {});
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) =>
      signal.addEventListener("abort", () => resolve(), { once: true }),
    );
  }

  /** Stops taking jobs, lets running ones finish within the grace period, hands back the rest. */
  stop(): Promise<void> {
    this.#stopping ??= this.#close(false);
    return this.#stopping;
  }

  async #close(force: boolean): Promise<void> {
    const worker = this.#worker;
    if (worker !== null) {
      const closing = worker.close(force);
      if (!force) {
        // Taken ahead but not started: another host can run them now.
        for (const running of this.#running.values()) {
          if (this.#pool._waiting(running.future)) this.#handBack(running);
        }
      }
      if (!force && this.#running.size > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const graceOver = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), this.#shutdownGrace * 1000);
        });
        const overdue = await Promise.race([closing.then(() => false), graceOver]);
        clearTimeout(timer);
        if (overdue) {
          for (const running of this.#running.values()) this.#handBack(running);
        }
      }
      await closing.catch(() => {});
    }
    await this.#pool.shutdown({ wait: true, timeout: 0 });
    const subscriber = this.#subscriber;
    if (subscriber !== null) await closeRedis(subscriber);
  }

  async #process(job: Job, token: string | undefined): Promise<unknown> {
    const jobId = String(job.id);
    if (this.#takeEarlyCancel(jobId)) {
      throw new UnrecoverableError("cancelled by its executor before it started");
    }
    const data = job.data as JobData;
    let running: Running;
    try {
      const fn = this.#function(data);
      const future = this.#pool._submitOn(this.#loop, fn, data.args, data.chunk === true);
      running = { future, handBack: false };
    } catch (error) {
      throw failure(error);
    }
    this.#running.set(jobId, running);
    try {
      const value = await running.future;
      const problem = findNonJSON(value, "the result");
      if (problem !== null) {
        throw new TypeError(
          `${data.name} (${data.module}): ${problem}; work run by a BullMQExecutor returns JSON`,
        );
      }
      return value;
    } catch (error) {
      if (running.handBack && token !== undefined) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (isCancelledError(error)) {
        throw new UnrecoverableError("cancelled by its executor");
      }
      throw failure(this.#explainLoad(error, data));
    } finally {
      this.#running.delete(jobId);
    }
  }

  /** The work function a job names, with a clear error when this host cannot load it. */
  #function(data: JobData): AnyWorkFn {
    if (
      data === null ||
      typeof data !== "object" ||
      typeof data.name !== "string" ||
      !Array.isArray(data.args)
    ) {
      throw new UnrecoverableError(
        `worker host ${this.#name}: the job's data is not an asyncio-ts job ({ module, name, args }): ${formatValue(data)}`,
      );
    }
    const key = `${data.module}\0${data.name}`;
    let fn = this.#functions.get(key);
    if (fn !== undefined) return fn;
    const url = resolveModule(data.module, this.#root);
    if (!existsSync(fileURLToPath(url))) {
      throw new ModuleLoadError(
        `worker host ${this.#name} cannot load module ${data.module} of job ${data.name}: ${fileURLToPath(url)} does not exist (the host's root is ${fileURLToPath(this.#root)}; start it with --root pointing at the same tree as the executor's root)`,
      );
    }
    fn = workModule<Record<string, (...args: unknown[]) => unknown>>(url).fn(
      data.name,
    ) as AnyWorkFn;
    this.#functions.set(key, fn);
    return fn;
  }

  /** A module that fails to load in the pool says which host could not load it. */
  #explainLoad(error: unknown, data: JobData): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    if (
      typeof code !== "string" ||
      !/^ERR_(MODULE_NOT_FOUND|UNKNOWN_FILE_EXTENSION|UNSUPPORTED)/.test(code)
    ) {
      return error;
    }
    return new ModuleLoadError(
      `worker host ${this.#name} cannot load module ${data.module} of job ${data.name}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }

  #handBack(running: Running): void {
    running.handBack = true;
    running.future.cancel("the worker host is stopping: the job goes back to the queue");
  }

  #onCancel(jobId: string): void {
    const running = this.#running.get(jobId);
    if (running !== undefined) {
      running.future.cancel("cancelled by its executor");
      return;
    }
    const now = Date.now();
    for (const [id, at] of this.#earlyCancels) {
      if (now - at < EARLY_CANCEL_MS) break;
      this.#earlyCancels.delete(id);
    }
    this.#earlyCancels.set(jobId, now);
  }

  #takeEarlyCancel(jobId: string): boolean {
    return this.#earlyCancels.delete(jobId);
  }
}

/**
 * A worker host could not load a job's module (missing file, unknown extension). It reaches
 * the executor as a WorkerError named `ModuleLoadError`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof asyncio.WorkerError && e.name === "ModuleLoadError") console.log(e.message); }
 * ```
 */
export class ModuleLoadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ModuleLoadError";
  }
}

/** The error a processor throws: its message carries the original error for the executor. */
function failure(error: unknown): Error {
  if (error instanceof UnrecoverableError) return error;
  const thrown = new Error(encodeFailure(error));
  if (error instanceof Error && typeof error.stack === "string") thrown.stack = error.stack;
  return thrown;
}

function positive(value: unknown, what: string, integer = false): number {
  if (typeof value !== "number" || !(value > 0) || (integer && !Number.isInteger(value))) {
    throw new ValueError(
      `${what} must be ${integer ? "an integer >= 1" : "a number of seconds > 0"}, got ${formatValue(value)}`,
    );
  }
  return value;
}

function count(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`${what} must be an integer >= 0, got ${formatValue(value)}`);
  }
  return value;
}

function nonNegative(value: unknown, what: string): number {
  if (typeof value !== "number" || !(value >= 0)) {
    throw new ValueError(`${what} must be a number of seconds >= 0, got ${formatValue(value)}`);
  }
  return value;
}
