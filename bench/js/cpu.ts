/**
 * Anchors of the cpu workload: the same fib(27) x 200 on two worker threads with piscina, and
 * with a hand-rolled pool of raw `worker_threads` (the floor: one message each way per item,
 * nothing else). Each reports the speedup over running the items one after another on the main
 * thread, in the same process.
 */

import { Worker } from "node:worker_threads";
import type { Measurement } from "../harness/workload.ts";
import { fib } from "./fib.mjs";

const FIB_MODULE = new URL("./fib.mjs", import.meta.url);

/** piscina is optional (not a dependency): imported by a name the type checker does not chase. */
const PISCINA: string = "piscina";

interface PiscinaPool {
  run(task: number): Promise<number>;
  destroy(): Promise<void>;
}

type PiscinaClass = new (options: {
  filename: string;
  minThreads: number;
  maxThreads: number;
  execArgv: string[];
}) => PiscinaPool;

/** Seconds to run `items` x fib(n) one after another here (after a warm-up). */
export function sequentialSeconds(items: number, n: number): number {
  fib(n);
  const started = performance.now();
  for (let i = 0; i < items; i++) fib(n);
  return (performance.now() - started) / 1000;
}

/** piscina with `workers` threads (the workers load fib.mjs without a loader). */
export async function piscina(items: number, n: number, workers: number): Promise<Measurement> {
  const { Piscina } = (await import(PISCINA).catch(() => {
    throw new Error("piscina is not installed: npm install --no-save piscina");
  })) as { Piscina: PiscinaClass };
  const sequential = sequentialSeconds(items, n);
  const began = performance.now();
  const pool = new Piscina({
    filename: FIB_MODULE.href,
    minThreads: workers,
    maxThreads: workers,
    execArgv: [],
  });
  await Promise.all(Array.from({ length: workers }, () => pool.run(n)));
  const startup = (performance.now() - began) / 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: items }, () => pool.run(n)));
  const seconds = (performance.now() - started) / 1000;
  await pool.destroy();
  return {
    value: sequential / seconds,
    detail: { seq_s: sequential, pool_s: seconds, startup_s: startup },
  };
}

const RAW_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData).then(({ fib }) => {
  parentPort.on("message", (n) => parentPort.postMessage(fib(n)));
  parentPort.postMessage("ready");
});
`;

/** A minimal pool of raw worker threads: each takes the next item when it sends a result. */
export async function rawWorkers(items: number, n: number, workers: number): Promise<Measurement> {
  const sequential = sequentialSeconds(items, n);
  const began = performance.now();
  const threads = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<Worker>((resolve) => {
          const worker = new Worker(RAW_WORKER, {
            eval: true,
            workerData: FIB_MODULE.href,
            execArgv: [],
          });
          worker.once("message", () => resolve(worker));
        }),
    ),
  );
  await Promise.all(threads.map((worker) => runOne(worker, n)));
  const startup = (performance.now() - began) / 1000;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    threads.map(async (worker) => {
      while (next < items) {
        next++;
        await runOne(worker, n);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(threads.map((worker) => worker.terminate()));
  return {
    value: sequential / seconds,
    detail: { seq_s: sequential, pool_s: seconds, startup_s: startup },
  };
}

function runOne(worker: Worker, n: number): Promise<number> {
  return new Promise((resolve) => {
    worker.once("message", resolve);
    worker.postMessage(n);
  });
}

/** piscina with `workers` threads running `items` trivial items (fib(1)): items per second. */
export async function piscinaDispatch(items: number, workers: number): Promise<Measurement> {
  const { Piscina } = (await import(PISCINA).catch(() => {
    throw new Error("piscina is not installed: npm install --no-save piscina");
  })) as { Piscina: PiscinaClass };
  const pool = new Piscina({
    filename: FIB_MODULE.href,
    minThreads: workers,
    maxThreads: workers,
    execArgv: [],
  });
  await Promise.all(Array.from({ length: workers }, () => pool.run(1)));
  const started = performance.now();
  await Promise.all(Array.from({ length: items }, () => pool.run(1)));
  const seconds = (performance.now() - started) / 1000;
  await pool.destroy();
  return { value: items / seconds, detail: { total_s: seconds } };
}

/** The hand-rolled raw pool running `items` trivial items: items per second. */
export async function rawDispatch(items: number, workers: number): Promise<Measurement> {
  const measured = await rawWorkers(items, 1, workers);
  const seconds = measured.detail!.pool_s!;
  return { value: items / seconds, detail: { total_s: seconds } };
}
