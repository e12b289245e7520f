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

/**
 * Rounds per run. Each round times the items one after another here, then on the pool; the
 * run reports its median round. One round right after start-up is at the mercy of V8's
 * background threads still compiling what was just loaded (a run of the same pool ranged
 * 1.1x-1.9x); the median of five steadies it.
 */
export const ROUNDS = 5;

/** One round: sequential and pool seconds for the same items. */
export interface Round {
  seq_s: number;
  pool_s: number;
}

/** The measurement of a run: the median round by speedup, with its figures. */
export function medianRound(rounds: readonly Round[], startup: number): Measurement {
  const sorted = [...rounds].sort((a, b) => a.seq_s / a.pool_s - b.seq_s / b.pool_s);
  const median = sorted[sorted.length >> 1]!;
  return {
    value: median.seq_s / median.pool_s,
    detail: { seq_s: median.seq_s, pool_s: median.pool_s, startup_s: startup },
  };
}

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
  const began = performance.now();
  const pool = new Piscina({
    filename: FIB_MODULE.href,
    minThreads: workers,
    maxThreads: workers,
    execArgv: [],
  });
  await Promise.all(Array.from({ length: workers }, () => pool.run(n)));
  const startup = (performance.now() - began) / 1000;
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const seq = sequentialSeconds(items, n);
    const started = performance.now();
    await Promise.all(Array.from({ length: items }, () => pool.run(n)));
    rounds.push({ seq_s: seq, pool_s: (performance.now() - started) / 1000 });
  }
  await pool.destroy();
  return medianRound(rounds, startup);
}

const RAW_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
import(workerData).then(({ fib }) => {
  parentPort.on("message", (n) => parentPort.postMessage(fib(n)));
  parentPort.postMessage("ready");
});
`;

/** A minimal pool of raw worker threads: each takes the next item when it sends a result. */
export async function rawWorkers(
  items: number,
  n: number,
  workers: number,
  roundCount = ROUNDS,
): Promise<Measurement> {
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
  const rounds: Round[] = [];
  for (let round = 0; round < roundCount; round++) {
    const seq = sequentialSeconds(items, n);
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
    rounds.push({ seq_s: seq, pool_s: (performance.now() - started) / 1000 });
  }
  await Promise.all(threads.map((worker) => worker.terminate()));
  return medianRound(rounds, startup);
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
  const measured = await rawWorkers(items, 1, workers, 1);
  const seconds = measured.detail!.pool_s!;
  return { value: items / seconds, detail: { total_s: seconds } };
}
