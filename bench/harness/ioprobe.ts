/**
 * An I/O latency probe: a worker thread posts a timestamped message every millisecond, and
 * this thread records how late each one is handled. A message arrives through libuv's poll
 * phase, as a socket event would, so its lateness is how long the event loop kept Node from
 * polling I/O. Timestamps are process.hrtime (one monotonic clock for every thread).
 */

import { Worker } from "node:worker_threads";
import { percentile } from "./measure.ts";
import type { Measurement } from "./workload.ts";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const base = workerData.base;
const timer = setInterval(() => parentPort.postMessage(Number(process.hrtime.bigint() - base)), workerData.intervalMs);
parentPort.once("message", () => { clearInterval(timer); parentPort.close(); });
`;

/** How long `end()` waits for messages sent before it but not yet handled. */
const STRAGGLERS_MS = 50;

/** Nanoseconds since `base` on the monotonic clock. */
function sinceBase(base: bigint): number {
  return Number(process.hrtime.bigint() - base);
}

export interface IoProbe {
  /** Starts counting: only messages sent from now on are recorded. */
  begin(): void;
  /**
   * Stops counting now (messages sent later are ignored) and resolves, once the messages
   * still in flight have arrived, with the latenesses in ms.
   */
  end(): Promise<Float64Array>;
  /** Stops the worker. */
  close(): Promise<void>;
}

/** Starts the probe's worker; resolves once its first message has arrived. */
export function startIoProbe(intervalMs = 1): Promise<IoProbe> {
  const base = process.hrtime.bigint();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { base, intervalMs },
    execArgv: [],
  });
  const lateness: number[] = [];
  let from = Number.POSITIVE_INFINITY;
  let until = Number.POSITIVE_INFINITY;
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", () => {
      worker.on("message", (sent: number) => {
        if (sent >= from && sent < until) lateness.push((sinceBase(base) - sent) / 1e6);
      });
      resolve({
        begin() {
          from = sinceBase(base);
        },
        end() {
          until = sinceBase(base);
          return new Promise((done) =>
            setTimeout(() => done(Float64Array.from(lateness)), STRAGGLERS_MS),
          );
        },
        async close() {
          worker.postMessage("stop");
          await worker.terminate();
        },
      });
    });
  });
}

/**
 * A poll Measurement: p90 lateness in ms (a tail that the loop's batching decides; p99 and max
 * mostly show the OS descheduling the process on a shared machine), with p50, p99, max,
 * samples and switch rate.
 */
export function latencyMeasurement(
  lateness: Float64Array,
  switches: number,
  seconds: number,
): Measurement {
  lateness.sort();
  return {
    value: percentile(lateness, 0.9),
    detail: {
      p50_ms: percentile(lateness, 0.5),
      p99_ms: percentile(lateness, 0.99),
      max_ms: lateness[lateness.length - 1] ?? Number.NaN,
      samples: lateness.length,
      switches_per_s: switches / seconds,
    },
  };
}
