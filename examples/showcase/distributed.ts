/**
 * Showcase: past one machine. With a Redis reachable (`REDIS_URL`, or redis://127.0.0.1:6379),
 * two worker hosts start as child processes (`asyncio-ts worker`), a BullMQExecutor spreads
 * jobs over them, and a job that ignores its cancel signal is stopped on its host by
 * `waitFor`'s timeout. Then the hosts get SIGTERM and exit cleanly. Without Redis the part
 * says how to enable it and the showcase goes on.
 */

import { fileURLToPath } from "node:url";
import { BullMQExecutor } from "../../src/bullmq/index.ts";
import * as asyncio from "../../src/index.ts";
import type * as distwork from "./distwork.ts";

const work = asyncio.workModule<typeof distwork>(new URL("./distwork.ts", import.meta.url));
const ROOT = new URL("./", import.meta.url);
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const QUEUE = `showcase-${process.pid}`;

/** True when something answers on Redis's port within half a second. */
function* reachable(url: URL): asyncio.Coro<boolean> {
  try {
    const [, writer] = yield* asyncio.waitFor(
      asyncio.openConnection(url.hostname, Number(url.port || 6379)),
      0.5,
    );
    writer.close();
    yield* writer.waitClosed();
    return true;
  } catch (error) {
    asyncio.rethrowIfCancelled(error);
    return false;
  }
}

/** Starts a worker host and waits until it takes jobs. */
function* startHost(redis: string): asyncio.Coro<asyncio.Process> {
  const host = yield* asyncio.createSubprocessExec(
    process.execPath,
    "--import",
    "tsx",
    "src/cli/main.ts",
    "worker",
    "--queue",
    QUEUE,
    "--connection",
    redis,
    "--root",
    fileURLToPath(ROOT),
    "--max-workers",
    "2",
    "--cancel-grace",
    "0.3",
    { cwd: REPO, stdout: asyncio.PIPE },
  );
  for (;;) {
    const line = (yield* host.stdout!.readline()).toString();
    if (line === "") throw new Error(`the worker host ${host.pid} exited before it was ready`);
    if (line.includes("ready")) return host;
  }
}

/** Leaves the user's Redis as it was: the showcase's queue and its keys go. */
async function removeQueue(redis: string): Promise<void> {
  const { Queue } = await import("bullmq");
  const url = new URL(redis);
  const queue = new Queue(QUEUE, {
    connection: { host: url.hostname, port: Number(url.port || 6379) },
  });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

export function* distributedDemo(): asyncio.Coro<void> {
  const redis = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  if (!(yield* reachable(new URL(redis)))) {
    console.log(
      `  skipped: no Redis answers at ${redis}. Start one (redis-server --save "" --appendonly no)\n` +
        "  or set REDIS_URL, and this part runs jobs on two worker hosts.",
    );
    return;
  }
  const hosts = yield* asyncio.gather(startHost(redis), startHost(redis));
  console.log(
    `  worker hosts ${hosts.map((host) => host.pid).join(" and ")} take jobs from ${QUEUE}`,
  );
  const executor = new BullMQExecutor({ queue: QUEUE, connection: redis, root: ROOT });
  try {
    yield* asyncio.using(executor, function* () {
      const numbers = Array.from({ length: 40 }, (_, i) => 1_000_001 + i * 7919);
      const results = yield* asyncio.gather(
        ...numbers.map((n) => executor.submit(work.fn("collatz"), n)),
      );
      const byHost = new Map<number, number>();
      for (const { pid } of results) byHost.set(pid, (byHost.get(pid) ?? 0) + 1);
      const longest = Math.max(...results.map((result) => result.steps));
      console.log(
        `  40 jobs, longest Collatz run ${longest} steps; jobs per host: ${[...byHost].map(([pid, count]) => `${pid}: ${count}`).join(", ")}`,
      );

      const loop = asyncio.getRunningLoop();
      const started = loop.time();
      try {
        yield* asyncio.waitFor(executor.submit(work.fn("stubborn"), 60), 1);
      } catch (error) {
        if (!(error instanceof asyncio.TimeoutError)) throw error;
        console.log(
          `  a 60-second job that ignores its signal: TimeoutError after ${(loop.time() - started).toFixed(2)} s; its host terminates it after a 0.3 s grace`,
        );
      }
    });
  } finally {
    for (const host of hosts) host.sendSignal("SIGTERM");
    const codes = yield* asyncio.gather(...hosts.map((host) => host.wait()));
    console.log(`  hosts stopped by SIGTERM, exit status ${codes.join(" and ")}`);
    yield* asyncio.fromPromise(removeQueue(redis));
  }
}
