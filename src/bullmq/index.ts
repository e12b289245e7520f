/**
 * `asyncio-ts/bullmq`: the Executor interface in front of BullMQ on Redis, and the worker host
 * that runs its jobs. Only programs that import this entry load BullMQ and ioredis (optional
 * peer dependencies); the core never does. docs/distributed.md tells the whole story.
 *
 * @example
 * ```ts
 * import * as asyncio from "asyncio-ts";
 * import { BullMQExecutor } from "asyncio-ts/bullmq";
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 *
 * await asyncio.run((function* () {
 *   const executor = new BullMQExecutor({ queue: "fib", root: new URL("./", import.meta.url) });
 *   yield* asyncio.using(executor, function* () {
 *     console.log(yield* executor.submit(tasks.fn("fib"), 30));
 *   });
 * })());
 * ```
 */

export type { RedisConnection } from "./connection.ts";
export {
  BullMQExecutor,
  type BullMQExecutorOptions,
  type BullMQExecutorStatistics,
} from "./executor.ts";
export { ModuleLoadError, runWorkerHost, type WorkerHostOptions } from "./host.ts";
