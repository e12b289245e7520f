/**
 * The `distributed` workload's machinery: a redis-server of its own on a free port, host
 * processes (asyncio-ts worker hosts or raw BullMQ workers), the raw BullMQ anchor (Queue.add
 * + Worker + QueueEvents), and the asyncio-ts side (BullMQExecutor throughput, then the
 * latency of cancelling a running remote job).
 */

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Measurement } from "../harness/workload.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, "..", "..");

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function started(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) resolve();
    };
    child.stdout?.on("data", seen);
    child.stderr?.on("data", seen);
    child.once("exit", () => reject(new Error(`${what} exited before it was ready:\n${output}`)));
  });
}

/**
 * Starts redis-server and `hosts` host processes (asyncio-ts hosts get `hostArgs` too); `run`
 * gets the URL; everything stops after.
 */
export async function withCluster<T>(
  kind: "asyncio-ts" | "raw",
  queue: string,
  hosts: number,
  concurrency: number,
  run: (url: string) => Promise<T>,
  hostArgs: readonly string[] = [],
): Promise<T> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  const redis = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(redis);
  try {
    await started(redis, /Ready to accept connections/, "redis-server");
    const args =
      kind === "raw"
        ? [join(HERE, "distributed_host.ts"), queue, url, String(concurrency)]
        : [
            join(REPO, "src/cli/main.ts"),
            "worker",
            "--queue",
            queue,
            "--connection",
            url,
            "--root",
            HERE,
            "--max-workers",
            String(concurrency),
            "--cancel-grace",
            "0.5",
            ...hostArgs,
          ];
    const hostProcesses = Array.from({ length: hosts }, () =>
      spawn(process.execPath, ["--import", "tsx", ...args], {
        cwd: REPO,
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    children.push(...hostProcesses);
    await Promise.all(hostProcesses.map((child) => started(child, /ready/, `${kind} host`)));
    return await run(url);
  } finally {
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        child.kill(child === redis ? "SIGTERM" : "SIGKILL");
        await exited;
      }
    }
  }
}

/** Raw BullMQ: Queue.add per job, results through one QueueEvents and waitUntilFinished. */
export async function rawThroughput(
  url: string,
  queueName: string,
  jobs: number,
): Promise<Measurement> {
  const { Queue, QueueEvents } = await import("bullmq");
  const { hostname, port } = new URL(url);
  const connection = { host: hostname, port: Number(port) };
  const queue = new Queue(queueName, { connection });
  // From the stream's start (each run has a fresh Redis): with the default "$", jobs that
  // finish before QueueEvents' first XREAD reaches Redis (it is sent after waitUntilReady
  // resolves) are never reported, and waitUntilFinished waits for them forever.
  const events = new QueueEvents(queueName, { connection, lastEventId: "0-0" });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  events.setMaxListeners(jobs * 2 + 10);
  const removeOnComplete = { age: 3600 };
  const run = async (count: number) => {
    const added = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        queue.add("add", { a: i, b: 1 }, { removeOnComplete }),
      ),
    );
    return Promise.all(added.map((job) => job.waitUntilFinished(events)));
  };
  try {
    await run(20);
    const begin = performance.now();
    const results = await run(jobs);
    const seconds = (performance.now() - begin) / 1000;
    if (results[jobs - 1] !== jobs) throw new Error(`wrong result ${results[jobs - 1]}`);
    return { value: jobs / seconds, detail: { total_s: seconds } };
  } finally {
    await events.close();
    await queue.close();
  }
}

/** What the cancel-latency jobs wrote: which started, and when each one's signal aborted. */
export interface ScratchState {
  started: Set<number>;
  aborted: Map<number, number>;
}

/** Where the cancel-latency jobs write that they started and when their signal arrived. */
export function scratchFile(): {
  path: string;
  read: () => ScratchState;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-distributed-"));
  const path = join(dir, "cancelled.txt");
  return {
    path,
    read: () => {
      const state: ScratchState = { started: new Set(), aborted: new Map() };
      let text = "";
      try {
        text = readFileSync(path, "utf8");
      } catch {
        return state;
      }
      for (const line of text.split("\n")) {
        const [tag, what, at] = line.split(" ");
        if (tag === undefined || tag === "") continue;
        if (what === "start") state.started.add(Number(tag));
        else if (what === "abort" && at) state.aborted.set(Number(tag), Number(at));
      }
      return state;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export { HERE as WORK_ROOT };
