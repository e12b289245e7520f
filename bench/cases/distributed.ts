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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
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
    const results = yield* asyncio.gather(...futures);
    const seconds = (performance.now() - begin) / 1000;
    if (results[JOBS - 1] !== JOBS) throw new Error(`wrong result ${results[JOBS - 1]}`);

    const latencies: number[] = [];
    for (let tag = 0; tag < CANCELS; tag++) {
      const future = executor.submit(work.fn("awaitCancel"), scratch.path, tag);
      while (executor.statistics().busy === 0) yield* asyncio.sleep(0.005);
      const cancelledAt = Date.now();
      future.cancel();
      let arrived: number | undefined;
      while ((arrived = scratch.read().get(tag)) === undefined) yield* asyncio.sleep(0.002);
      latencies.push(arrived - cancelledAt);
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
    nodeAnchor("bullmq", "raw BullMQ: Queue.add + Worker + QueueEvents", async () => {
      const { withCluster, rawThroughput } = await import("../js/distributed.ts");
      return withCluster("raw", "distributed", HOSTS, CONCURRENCY, (url) =>
        rawThroughput(url, "distributed", JOBS),
      );
    }),
  ],
  targets: [{ kind: "speedup", anchor: "bullmq", atLeast: 0.9 }],
  notes: [
    "asyncio-ts hosts run each job on a worker thread (so it can be terminated); raw BullMQ runs it inline in the worker process.",
    `cancel_p50_ms / cancel_p99_ms: from future.cancel() to the running job's workSignal() aborting on its host (goal: at most the ${GRACE_S} s grace period + 50 ms).`,
  ],
});
