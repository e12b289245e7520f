/**
 * The raw BullMQ host of the `distributed` workload: a plain BullMQ Worker that runs the same
 * trivial job inline (`a + b`), with the concurrency the asyncio-ts hosts get. Usage:
 * `distributed_host.ts QUEUE REDIS_URL CONCURRENCY`; prints "ready" and runs until SIGTERM.
 */

import { Worker } from "bullmq";

const [queue, url, concurrency] = process.argv.slice(2);
const { hostname, port } = new URL(url!);
const worker = new Worker(queue!, async (job) => job.data.a + job.data.b, {
  connection: { host: hostname, port: Number(port) },
  concurrency: Number(concurrency),
});
await worker.waitUntilReady();
console.log("ready");
process.once("SIGTERM", () => {
  void worker.close(true).then(() => process.exit(0));
});
