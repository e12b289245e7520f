/**
 * distributed: small jobs through BullMQExecutor against raw BullMQ (Queue.add + Worker +
 * QueueEvents) on the same local redis-server, with the same number of host processes and
 * jobs at once: jobs per second. The asyncio-ts run then measures how long cancelling a running
 * remote job takes to reach the work (its `workSignal()`), p50 and p99. Each run starts its own
 * redis-server (`apt-get install redis-server`) and hosts; their start-up is not timed.
 */

import { pathToFileURL } from "node:url";
import { BullMQExecutor } from "../../src/bullmq/index.ts";
import * as asyncio from "../../src/index.ts";
import { defineWorkload, type Measurement, nodeAnchor, ours } from "../harness/workload.ts";
import type * as distributedWork from "../js/distributed_work.ts";

const JOBS = Number(process.env.DISTRIBUTED_JOBS ?? 5_000);
const CANCELS = Number(process.env.DISTRIBUTED_CANCELS ?? 50);
const HOSTS = 2;
const CONCURRENCY = 2;
/** The hosts' grace period before terminating cancelled work (the latency goal adds 50 ms). */
const GRACE_S = 0.5;
/** The longest wait for one step of the cancel loop before the run fails. */
const WAIT_S = 30;
/** The longest the throughput phase may take before the run fails. */
const THROUGHPUT_WAIT_S = 300;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** Polls `condition` every 2 ms; a run that waits past WAIT_S fails instead of stalling. */
function* waitFor(
  condition: () => boolean,
  what: string,
  executor: BullMQExecutor,
): asyncio.Coro<void> {
  const deadline = performance.now() + WAIT_S * 1000;
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error(
        `waited over ${WAIT_S} s for ${what}; executor: ${JSON.stringify(executor.statistics())}`,
      );
    }
    yield* asyncio.sleep(0.002);
  }
}

function* measure(url: string, root: string): asyncio.Coro<Measurement> {
  const { scratchFile } = yield* asyncio.fromPromise(import("../js/distributed.ts"));
  const work = asyncio.workModule<typeof distributedWork>(
    new URL("./distributed_work.ts", pathToFileURL(`${root}/`)),
  );
  const executor = new BullMQExecutor({ queue: "distributed", connection: url, root });
  const scratch = scratchFile();
  try {
    yield* asyncio.gather(
      ...Array.from({ length: 20 }, (_, i) => executor.submit(work.fn("add"), i, 1)),
    );
    const begin = performance.now();
    const futures: asyncio.Future<number>[] = [];
    for (let i = 0; i < JOBS; i++) futures.push(executor.submit(work.fn("add"), i, 1));
    // A missed completion would strand a future: fail the run rather than wait forever.
    const results = yield* asyncio.waitFor(asyncio.gather(...futures), THROUGHPUT_WAIT_S);
    const seconds = (performance.now() - begin) / 1000;
    if (results[JOBS - 1] !== JOBS) throw new Error(`wrong result ${results[JOBS - 1]}`);

    // A job counts as running once its work wrote that it started: BullMQ's "active" (what
    // statistics().busy counts) comes a moment before the host starts the work, and a cancel
    // in that moment rightly keeps the work from starting at all, so no signal would arrive.
    const latencies: number[] = [];
    for (let tag = 0; tag < CANCELS; tag++) {
      const future = executor.submit(work.fn("awaitCancel"), scratch.path, tag);
      yield* waitFor(() => scratch.read().started.has(tag), `cancel job ${tag} to start`, executor);
      const cancelledAt = Date.now();
      future.cancel();
      let arrived: number | undefined;
      yield* waitFor(
        () => (arrived = scratch.read().aborted.get(tag)) !== undefined,
        `cancel job ${tag}'s signal to abort on its host`,
        executor,
      );
      latencies.push(arrived! - cancelledAt);
    }
    latencies.sort((a, b) => a - b);
    return {
      value: JOBS / seconds,
      detail: {
        total_s: seconds,
        cancel_p50_ms: percentile(latencies, 50),
        cancel_p99_ms: percentile(latencies, 99),
      },
    };
  } finally {
    yield* executor.shutdown({ timeout: 5 });
    scratch.remove();
  }
}

/** Raw BullMQ's hosts, each a Worker of `concurrency`, against the same Redis and jobs. */
async function rawBullMQ(concurrency: number): Promise<Measurement> {
  const { withCluster, rawThroughput } = await import("../js/distributed.ts");
  return withCluster("raw", "distributed", HOSTS, concurrency, (url) =>
    rawThroughput(url, "distributed", JOBS),
  );
}

export default defineWorkload({
  name: "distributed",
  order: 80,
  title: `distributed: ${JOBS.toLocaleString("en-US")} small jobs on ${HOSTS} hosts x ${CONCURRENCY} via a local Redis`,
  unit: "jobs/s",
  better: "higher",
  implementations: [
    ours(async () => {
      const { withCluster, WORK_ROOT } = await import("../js/distributed.ts");
      return withCluster("asyncio-ts", "distributed", HOSTS, CONCURRENCY, (url) =>
        asyncio.run(measure(url, WORK_ROOT)),
      );
    }),
    nodeAnchor(
      "prefetch",
      `asyncio-ts BullMQExecutor, hosts with --prefetch ${CONCURRENCY}`,
      async () => {
        const { withCluster, WORK_ROOT } = await import("../js/distributed.ts");
        return withCluster(
          "asyncio-ts",
          "distributed",
          HOSTS,
          CONCURRENCY,
          (url) => asyncio.run(measure(url, WORK_ROOT)),
          ["--prefetch", String(CONCURRENCY)],
        );
      },
    ),
    nodeAnchor("bullmq", "raw BullMQ: Queue.add + Worker + QueueEvents", () =>
      rawBullMQ(CONCURRENCY),
    ),
    nodeAnchor(
      "bullmq-wide",
      `raw BullMQ with concurrency ${2 * CONCURRENCY} (the prefetch row's jobs taken at once)`,
      () => rawBullMQ(2 * CONCURRENCY),
    ),
  ],
  targets: [{ kind: "speedup", anchor: "bullmq", atLeast: 0.9 }],
  notes: [
    "asyncio-ts hosts run each job on a worker thread (so it can be terminated); raw BullMQ runs it inline in the worker process.",
    `--prefetch ${CONCURRENCY}: each host takes ${CONCURRENCY} jobs beyond its workers, so the next job is at hand when a worker frees (the default takes none).`,
    `raw BullMQ with concurrency ${2 * CONCURRENCY}: runs as many jobs at once as the prefetch row's hosts take; compare the prefetch row with it too.`,
    `cancel_p50_ms / cancel_p99_ms: from future.cancel() to the running job's workSignal() aborting on its host (goal: at most the ${GRACE_S} s grace period + 50 ms).`,
  ],
});
