/**
 * ThreadPoolExecutor: work runs on `worker_threads`, truly in parallel with the event loop
 * (Node has no GIL). Threads start faster than processes and can move ArrayBuffers without
 * copying; they share the process, so `process.exit` in work ends only its thread, and a
 * thread's heap can be capped with `resourceLimits`.
 *
 * A worker thread starts from a tiny bootstrap that imports the worker entry. When the parent
 * runs under tsx and the entry itself is TypeScript (the library running from its sources), the
 * bootstrap registers tsx's hooks first (Node runs loaders only on a process's main thread);
 * otherwise the entry registers them on its first TypeScript work module, if any (loader.ts).
 */

import { type ResourceLimits, type TransferListItem, Worker } from "node:worker_threads";
import { checkOptions } from "../core/validate.ts";
import { BrokenThreadPool, type WorkerExit } from "./errors.ts";
import { isTypeScriptModule, workerEntry } from "./loader.ts";
import {
  POOL_OPTIONS,
  type PoolOptions,
  type WorkerEvents,
  WorkerPool,
  type WorkerTransport,
} from "./pool.ts";
import type { ThreadWorkerData, ToWorker } from "./protocol.ts";

const THREAD_POOL_OPTIONS = [...POOL_OPTIONS, "resourceLimits"] as const;

/**
 * Options of {@link ThreadPoolExecutor}.
 *
 * @example
 * ```ts
 * new asyncio.ThreadPoolExecutor({ maxWorkers: 2, resourceLimits: { maxOldGenerationSizeMb: 256 } });
 * ```
 */
export interface ThreadPoolOptions<IA extends unknown[] = unknown[]> extends PoolOptions<IA> {
  /** Heap limits of each worker thread (a thread over them dies with BrokenThreadPool). */
  resourceLimits?: ResourceLimits;
}

const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsxFirst) {
    const api = await import(workerData.tsxApi);
    (api.register ?? api.default.register)();
  }
  await import(workerData.entry);
})();
`;

class ThreadTransport implements WorkerTransport {
  readonly #worker: Worker;
  readonly label: string;
  #exited = false;

  constructor(worker: Worker) {
    this.#worker = worker;
    this.label = `worker thread ${worker.threadId}`;
    worker.once("exit", () => {
      this.#exited = true;
    });
  }

  send(message: ToWorker, transfer: readonly TransferListItem[]): boolean {
    if (this.#exited) return false;
    this.#worker.postMessage(message, transfer as TransferListItem[]);
    return true;
  }

  terminate(): void {
    void this.#worker.terminate();
  }

  ref(): void {
    this.#worker.ref();
  }

  unref(): void {
    this.#worker.unref();
  }

  recentOutput(): string {
    return "";
  }
}

/**
 * An executor running work on a pool of worker threads (concurrent.futures'
 * `ThreadPoolExecutor`, but threads run JavaScript in parallel).
 *
 * @example
 * ```ts
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 *
 * function* main(): asyncio.Coro<void> {
 *   const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 4 });
 *   try {
 *     const results = yield* asyncio.gather(...[30, 31, 32].map((n) => pool.submit(tasks.fn("fib"), n)));
 *     console.log(results);
 *   } finally {
 *     yield* pool.shutdown();
 *   }
 * }
 * ```
 */
export class ThreadPoolExecutor<IA extends unknown[] = unknown[]> extends WorkerPool {
  readonly #resourceLimits: ResourceLimits | undefined;

  constructor(options: ThreadPoolOptions<IA> = {}) {
    checkOptions(options, "ThreadPoolExecutor()", THREAD_POOL_OPTIONS);
    super(options as PoolOptions);
    this.#resourceLimits = options.resourceLimits;
  }

  /** @internal */
  protected override _spawn(events: WorkerEvents): WorkerTransport {
    const entry = workerEntry().href;
    const tsxApi = this._loader.tsxApi;
    const workerData: ThreadWorkerData = {
      entry,
      tsxApi,
      tsxFirst: tsxApi !== null && isTypeScriptModule(entry),
    };
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData,
      execArgv: [...this._loader.execArgv],
      ...(this.#resourceLimits === undefined ? {} : { resourceLimits: this.#resourceLimits }),
    });
    worker.on("message", events.message);
    worker.on("error", events.error);
    worker.on("exit", (exitCode) => events.exit(exitCode, null));
    return new ThreadTransport(worker);
  }

  /** @internal */
  protected override _brokenError(message: string, exit: WorkerExit): BrokenThreadPool {
    return new BrokenThreadPool(message, exit);
  }
}
