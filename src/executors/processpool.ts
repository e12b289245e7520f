/**
 * ProcessPoolExecutor: work runs in child processes (`child_process.fork`), each with its own
 * memory and V8 heap, isolated from the parent: a crash, `process.exit` or out-of-memory kills
 * only that process. Messages use the advanced (structured clone) serialization, so typed
 * arrays, Maps, Sets and Dates arrive intact; nothing is moved, always copied.
 *
 * A child's stderr is passed through to the parent's, and its last lines are kept for the
 * error that reports its death. `maxTasksPerChild` replaces a process after that many items
 * (fresh memory for work that leaks).
 */

import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { checkInteger, checkOptions } from "../core/validate.ts";
import { BrokenProcessPool, type WorkerExit } from "./errors.ts";
import { isTypeScriptModule, workerEntry } from "./loader.ts";
import {
  POOL_OPTIONS,
  type PoolOptions,
  type WorkerEvents,
  WorkerPool,
  type WorkerTransport,
} from "./pool.ts";
import type { ToWorker } from "./protocol.ts";

const PROCESS_POOL_OPTIONS = [...POOL_OPTIONS, "maxTasksPerChild", "execArgv", "env"] as const;

/**
 * Options of {@link ProcessPoolExecutor}.
 *
 * @example
 * ```ts
 * new asyncio.ProcessPoolExecutor({ maxWorkers: 4, maxTasksPerChild: 100, execArgv: ["--max-old-space-size=512"] });
 * ```
 */
export interface ProcessPoolOptions<IA extends unknown[] = unknown[]> extends PoolOptions<IA> {
  /** Items a process runs before it is replaced by a fresh one; default: no limit. */
  maxTasksPerChild?: number;
  /** Extra Node flags for the processes (`["--max-old-space-size=512"]`). */
  execArgv?: readonly string[];
  /** The processes' environment; default: the parent's. */
  env?: NodeJS.ProcessEnv;
}

/** How much of a process's stderr is kept for the report of its death. */
const OUTPUT_TAIL = 2000;
/**
 * What V8 prints after its last words on a fatal error: addresses, each line naming the node
 * binary by its full path (long enough to push the FATAL ERROR line out of the tail), so the
 * tail stops there.
 */
const NATIVE_STACK = "----- Native stack trace -----";

class ProcessTransport implements WorkerTransport {
  readonly #child: ChildProcess;
  readonly label: string;
  #output = "";
  #outputEnded = false;

  constructor(child: ChildProcess) {
    this.#child = child;
    this.label = `worker process ${child.pid ?? "(not started)"}`;
    child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      if (this.#outputEnded) return;
      let output = this.#output + chunk.toString();
      const nativeStack = output.indexOf(NATIVE_STACK);
      if (nativeStack >= 0) {
        output = output.slice(0, nativeStack);
        this.#outputEnded = true;
      }
      // Keep the last lines whole: drop a line cut by the limit.
      this.#output =
        output.length <= OUTPUT_TAIL
          ? output
          : output.slice(output.indexOf("\n", output.length - OUTPUT_TAIL) + 1);
    });
  }

  send(message: ToWorker): boolean {
    if (!this.#child.connected) return false;
    this.#child.send(message);
    return true;
  }

  terminate(): void {
    this.#child.kill("SIGKILL");
  }

  ref(): void {
    this.#child.ref();
    this.#child.channel?.ref();
    (this.#child.stderr as { ref?: () => void } | null)?.ref?.();
  }

  unref(): void {
    this.#child.unref();
    this.#child.channel?.unref();
    (this.#child.stderr as { unref?: () => void } | null)?.unref?.();
  }

  recentOutput(): string {
    return this.#output;
  }
}

/**
 * An executor running work in a pool of child processes (concurrent.futures'
 * `ProcessPoolExecutor`).
 *
 * @example
 * ```ts
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 *
 * function* main(): asyncio.Coro<void> {
 *   yield* asyncio.using(new asyncio.ProcessPoolExecutor({ maxWorkers: 2, maxTasksPerChild: 100 }), function* (pool) {
 *     console.log(yield* pool.submit(tasks.fn("fib"), 32));
 *   });
 * }
 * ```
 */
export class ProcessPoolExecutor<IA extends unknown[] = unknown[]> extends WorkerPool {
  readonly #maxTasksPerChild: number;
  readonly #execArgv: readonly string[];
  readonly #env: NodeJS.ProcessEnv | undefined;

  constructor(options: ProcessPoolOptions<IA> = {}) {
    checkOptions(options, "ProcessPoolExecutor()", PROCESS_POOL_OPTIONS);
    const maxTasks = options.maxTasksPerChild ?? Infinity;
    if (maxTasks !== Infinity) {
      checkInteger(maxTasks, "ProcessPoolExecutor()", "maxTasksPerChild (or Infinity)", 1);
    }
    super(options as PoolOptions);
    this.#maxTasksPerChild = maxTasks;
    this.#execArgv = [...(options.execArgv ?? [])];
    this.#env = options.env;
  }

  /** @internal */
  protected override _maxTasksPerWorker(): number {
    return this.#maxTasksPerChild;
  }

  /** @internal */
  protected override _spawn(events: WorkerEvents): WorkerTransport {
    // A TypeScript entry needs tsx from the start; a compiled one gets tsx's register API as its
    // argument and registers it on its first TypeScript work module (loader.ts).
    const entry = workerEntry();
    const { tsxApi, tsxImport, execArgv } = this._loader;
    const tsxFirst = tsxImport !== null && isTypeScriptModule(entry.href);
    const child = fork(fileURLToPath(entry), tsxApi === null || tsxFirst ? [] : [tsxApi], {
      execArgv: [...(tsxFirst ? ["--import", tsxImport] : []), ...execArgv, ...this.#execArgv],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "pipe", "ipc"],
      ...(this.#env === undefined ? {} : { env: this.#env }),
    });
    child.on("message", events.message as (message: unknown) => void);
    child.on("error", (error) => {
      events.error(error);
      if (child.pid === undefined) events.exit(null, null);
    });
    // "close", not "exit": by then its stderr is read to the end, for the report.
    child.on("close", (exitCode, signal) => events.exit(exitCode, signal));
    return new ProcessTransport(child);
  }

  /** @internal */
  protected override _brokenError(message: string, exit: WorkerExit): BrokenProcessPool {
    return new BrokenProcessPool(message, exit);
  }
}
