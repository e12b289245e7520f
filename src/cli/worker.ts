/**
 * `asyncio-ts worker`: a BullMQ worker host (src/bullmq/host.ts) as a program. It takes jobs
 * from a queue until SIGTERM or SIGINT, then stops taking jobs, lets running ones finish within
 * the grace period, hands the rest back, and exits 0.
 *
 * @example
 * ```sh
 * npx asyncio-ts worker --queue images --connection redis://127.0.0.1:6379 --max-workers 4
 * ```
 */

import { parseArgs } from "node:util";

const USAGE = `usage: asyncio-ts worker --queue NAME [options]

Runs the jobs a BullMQExecutor submits to queue NAME, each in a local worker thread
(or process), until SIGTERM or SIGINT.

options:
  --queue NAME             the queue to take jobs from (required)
  --connection URL         Redis (default: $REDIS_URL or redis://127.0.0.1:6379)
  --root DIR               the directory job modules are resolved against (default: .)
  --max-workers N          jobs run at once (default 1)
  --prefetch N             jobs taken beyond the workers, to wait here for one (default 0)
  --processes              run jobs in child processes instead of worker threads
  --cancel-grace SECONDS   a cancelled job's time to stop before it is terminated (default 1)
  --shutdown-grace SECONDS running jobs' time to finish at SIGTERM before they go back (default 10)
  --lock-duration SECONDS  BullMQ's job lock; a dead host's job runs again after it (default 30)
  --stalled-interval SECONDS  BullMQ's check for stalled jobs (default 30)
  --prefix PREFIX          BullMQ's key prefix (default bull)
  --connect-timeout SECONDS   how long to wait for Redis at start (default 30)
  --help                   this text`;

function seconds(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${flag} expects a number of seconds, got '${text}'`);
  }
  return value;
}

/** Runs the worker host with `args`; resolves to the exit status. */
export async function main(args: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    console.error(
      `asyncio-ts worker: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const { values } = parsed;
  if (values.queue === undefined) {
    console.error(`asyncio-ts worker: --queue NAME is required\n\n${USAGE}`);
    return 2;
  }
  let maxWorkers = 1;
  let prefetch = 0;
  let options: Record<string, number | undefined>;
  try {
    if (values["max-workers"] !== undefined) {
      maxWorkers = Number(values["max-workers"]);
      if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
        throw new TypeError(
          `--max-workers expects an integer >= 1, got '${values["max-workers"]}'`,
        );
      }
    }
    if (values.prefetch !== undefined) {
      prefetch = Number(values.prefetch);
      if (values.prefetch.trim() === "" || !Number.isInteger(prefetch) || prefetch < 0) {
        throw new TypeError(`--prefetch expects an integer >= 0, got '${values.prefetch}'`);
      }
    }
    options = {
      cancelGracePeriod: seconds(values["cancel-grace"], "--cancel-grace"),
      shutdownGracePeriod: seconds(values["shutdown-grace"], "--shutdown-grace"),
      lockDuration: seconds(values["lock-duration"], "--lock-duration"),
      stalledInterval: seconds(values["stalled-interval"], "--stalled-interval"),
      connectTimeout: seconds(values["connect-timeout"], "--connect-timeout"),
    };
  } catch (error) {
    console.error(`asyncio-ts worker: ${(error as Error).message}`);
    return 2;
  }
  const asyncio = await import("../index.ts");
  const { runWorkerHost } = await import("../bullmq/index.ts");
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    await asyncio.run(
      runWorkerHost({
        queue: values.queue,
        connection: values.connection ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
        root: values.root ?? process.cwd(),
        maxWorkers,
        prefetch,
        pool: values.processes ? "process" : "thread",
        ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
        ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
        signal: stop.signal,
        onReady: (description) => console.log(`asyncio-ts worker: ready: ${description}`),
      }),
    );
  } catch (error) {
    console.error(
      `asyncio-ts worker: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    return 1;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
  console.log("asyncio-ts worker: stopped");
  return 0;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      queue: { type: "string" },
      connection: { type: "string" },
      root: { type: "string" },
      "max-workers": { type: "string" },
      prefetch: { type: "string" },
      processes: { type: "boolean" },
      "cancel-grace": { type: "string" },
      "shutdown-grace": { type: "string" },
      "lock-duration": { type: "string" },
      "stalled-interval": { type: "string" },
      "connect-timeout": { type: "string" },
      prefix: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}
