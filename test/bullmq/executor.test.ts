/**
 * BullMQExecutor against a real redis-server and worker hosts running as child processes:
 * results, errors, JSON checks, map, remote cancellation that stops the work, a host killed
 * mid-job, a host that cannot load the module, an unreachable Redis, a Redis restarted
 * mid-run, and a program that leaves no handle behind. Without redis-server the suite is
 * skipped, saying how to enable it.
 */

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { BullMQExecutor } from "../../src/bullmq/index.ts";
import { cancelChannel } from "../../src/bullmq/protocol.ts";
import * as asyncio from "../../src/index.ts";
import { ConnectionError } from "../../src/net/errors.ts";
import {
  FIXTURES,
  freePort,
  Host,
  REPO,
  RedisServer,
  realSleep,
  redisMissing,
  tasks,
  until,
} from "./helpers.ts";

const missing = redisMissing();
if (missing !== null) console.warn(`SKIPPED test/bullmq: ${missing}`);

/** A test that fails does so within this bound instead of hanging the suite. */
const TEST_TIMEOUT_MS = 60_000;
const QUEUE = "jobs";
const HOST_ARGS = [
  "--max-workers",
  "2",
  "--cancel-grace",
  "0.5",
  "--lock-duration",
  "2",
  "--stalled-interval",
  "1",
];

let redis: RedisServer;
let hosts: Host[] = [];
let scratch: string;

function executor(
  options: Partial<ConstructorParameters<typeof BullMQExecutor>[0]> = {},
): BullMQExecutor {
  return new BullMQExecutor({ queue: QUEUE, connection: redis.url, root: FIXTURES, ...options });
}

/** The lines of `path` (those equal to `only`, if given). */
function lines(path: string, only?: string): number {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "" && (only === undefined || line === only)).length;
  } catch {
    return 0;
  }
}

/**
 * Holds this whole process up (loop and Node alike, so nothing of Redis's is read) until
 * Redis counts `count` completed jobs of QUEUE, for at most 40 s.
 */
function holdUntilCompleted(count: number): void {
  const deadline = performance.now() + 40_000;
  while (performance.now() < deadline) {
    const finished = spawnSync(
      "redis-cli",
      ["-p", String(redis.port), "zcard", `bull:${QUEUE}:completed`],
      { encoding: "utf8" },
    );
    if (Number(finished.stdout.trim()) >= count) return;
    spawnSync("sleep", ["0.2"]);
  }
}

/** The futures' results, or null if they are not all done within `seconds`. */
function* resultsWithin<T>(
  futures: asyncio.Future<T>[],
  seconds: number,
): asyncio.Coro<T[] | null> {
  try {
    return yield* asyncio.waitFor(asyncio.gather(...futures), seconds);
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    return null;
  }
}

describe("BullMQExecutor with worker hosts", { skip: missing ?? false }, () => {
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "asyncio-ts-bullmq-"));
    redis = await RedisServer.start();
    hosts = await Promise.all([
      Host.start(QUEUE, redis.url, HOST_ARGS),
      Host.start(QUEUE, redis.url, HOST_ARGS),
    ]);
  });

  after(async () => {
    await Promise.all(hosts.map((host) => host.stop("SIGKILL")));
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("resolves 1,000 futures exactly once each with the right result, through submitWait's bound", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { results, calls, stats } = await asyncio.run(
      (function* () {
        const ex = executor({ maxQueueSize: 250 });
        return yield* asyncio.using(ex, function* () {
          const futures: asyncio.Future<number>[] = [];
          const calls = new Array<number>(1000).fill(0);
          for (let i = 0; i < 1000; i++) {
            const future = yield* ex.submitWait(tasks.fn("add"), i, 1000);
            future.addDoneCallback(() => calls[i]!++);
            futures.push(future);
            assert.ok(ex.statistics().queued + ex.statistics().busy <= 250);
          }
          const results = yield* asyncio.gather(...futures);
          yield* asyncio.sleep(0);
          return { results, calls, stats: ex.statistics() };
        });
      })(),
    );
    assert.deepEqual(
      results,
      Array.from({ length: 1000 }, (_, i) => i + 1000),
    );
    assert.deepEqual(new Set(calls), new Set([1]));
    assert.equal(stats.submitted, 1000);
    assert.equal(stats.completed, 1000);
    assert.equal(stats.failed, 0);
  });

  it("leaves jobs that finished before their batch's add was answered alone: no cancel published, none removed", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    // Jobs submitted in one loop iteration go to Redis in one addBulk; with thousands, the
    // first ones finish before Redis has answered for the last. Those are done, not cancelled.
    const JOBS = 6000;
    const listener = new Redis(redis.port, "127.0.0.1");
    const admin = new Redis(redis.port, "127.0.0.1");
    let cancels = 0;
    listener.on("message", () => {
      cancels++;
    });
    try {
      await listener.subscribe(cancelChannel("bull", QUEUE));
      const completedBefore = await admin.zcard(`bull:${QUEUE}:completed`);
      const results = await asyncio.run(
        (function* () {
          const ex = executor();
          return yield* asyncio.using(ex, function* () {
            // Warm: the hosts' worker threads run, so the first jobs of the batch finish fast.
            yield* asyncio.gather(
              ...Array.from({ length: 8 }, () => ex.submit(tasks.fn("add"), 0, 0)),
            );
            const futures = Array.from({ length: JOBS }, (_, i) =>
              ex.submit(tasks.fn("add"), i, 1),
            );
            return yield* asyncio.gather(...futures);
          });
        })(),
      );
      assert.deepEqual(
        results,
        Array.from({ length: JOBS }, (_, i) => i + 1),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(cancels, 0, "cancels published for jobs that had finished");
      assert.equal(
        (await admin.zcard(`bull:${QUEUE}:completed`)) - completedBefore,
        JOBS + 8,
        "every finished job stays in Redis for keepFinished",
      );
    } finally {
      listener.disconnect();
      admin.disconnect();
    }
  });

  it("delivers every outcome when the events stream was trimmed past what the executor had read", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    // BullMQ keeps about 10,000 events. An executor whose loop is held up while thousands of
    // jobs finish finds the oldest completions trimmed away when it reads again; those jobs'
    // outcomes must still arrive (from the jobs themselves), or their futures would wait forever.
    const JOBS = 8000;
    const admin = new Redis(redis.port, "127.0.0.1");
    const completedBefore = await admin.zcard(`bull:${QUEUE}:completed`);
    admin.disconnect();
    const outcome = await asyncio.run(
      (function* () {
        const ex = executor();
        return yield* asyncio.using(ex, function* () {
          const futures = Array.from({ length: JOBS }, (_, i) => ex.submit(tasks.fn("add"), i, 1));
          yield* until(() => ex.statistics().completed > 0, 20);
          // Hold the loop (and Node) up until the hosts have finished every job: over 10,000
          // events (active, completed) come after what the executor had read.
          holdUntilCompleted(completedBefore + JOBS);
          const results = yield* resultsWithin(futures, 20);
          return { results, stats: ex.statistics() };
        });
      })(),
    );
    assert.notEqual(outcome.results, null, `futures stranded: ${JSON.stringify(outcome.stats)}`);
    assert.deepEqual(
      outcome.results,
      Array.from({ length: JOBS }, (_, i) => i + 1),
    );
  });

  it("delivers the outcomes of trimmed events whose jobs' add was answered only after the large read", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    // The executor's own connection goes through a proxy that holds Redis's replies to it: the
    // addBulk of the jobs is answered only after the executor, held up while the hosts finish
    // every job, has read what was left of the events stream. The lookup that large read
    // starts finds no job known to be in Redis yet; the add's answer must start another.
    const JOBS = 8000;
    const proxyPort = await freePort();
    const proxy = spawn(
      process.execPath,
      ["--import", "tsx", "test/bullmq/holdproxy.ts", String(proxyPort), String(redis.port)],
      { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] },
    );
    let proxyOutput = "";
    proxy.stdout!.on("data", (chunk: Buffer) => {
      proxyOutput += chunk.toString();
    });
    const said = (word: string) => proxyOutput.split("\n").includes(word);
    const admin = new Redis(redis.port, "127.0.0.1");
    const completedBefore = await admin.zcard(`bull:${QUEUE}:completed`);
    admin.disconnect();
    try {
      const outcome = await asyncio.run(
        (function* () {
          yield* until(() => said("ready"), 20);
          const ex = executor({ connection: `redis://127.0.0.1:${proxyPort}` });
          return yield* asyncio.using(ex, function* () {
            assert.equal(yield* ex.submit(tasks.fn("add"), 1, 1), 2);
            proxy.kill("SIGUSR1");
            yield* until(() => said("holding"), 20);
            const futures = Array.from({ length: JOBS }, (_, i) =>
              ex.submit(tasks.fn("add"), i, 1),
            );
            yield* until(() => ex.statistics().completed > 1, 20);
            holdUntilCompleted(completedBefore + JOBS + 1);
            // The large read comes in and its lookup runs; only then is the add answered.
            yield* realSleep(1);
            proxy.kill("SIGUSR2");
            yield* until(() => said("released"), 20);
            const results = yield* resultsWithin(futures, 15);
            return { results, stats: ex.statistics() };
          });
        })(),
      );
      assert.notEqual(outcome.results, null, `futures stranded: ${JSON.stringify(outcome.stats)}`);
      assert.deepEqual(
        outcome.results,
        Array.from({ length: JOBS }, (_, i) => i + 1),
      );
    } finally {
      proxy.kill("SIGKILL");
    }
  });

  it("runs map in chunks and through loop.runInExecutor", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const [squares, sum] = await asyncio.run(
      (function* () {
        const ex = executor();
        return yield* asyncio.using(ex, function* () {
          const squares: number[] = [];
          const gen = ex.map(tasks.fn("square"), [1, 2, 3, 4, 5, 6, 7], { chunksize: 3 });
          for (let step = yield* gen.next(); !step.done; step = yield* gen.next())
            squares.push(step.value);
          const sum = yield* asyncio.getRunningLoop().runInExecutor(ex, tasks.fn("add"), 40, 2);
          return [squares, sum] as const;
        });
      })(),
    );
    assert.deepEqual(squares, [1, 4, 9, 16, 25, 36, 49]);
    assert.equal(sum, 42);
  });

  it("brings errors back with their class name, message, stack, properties and cause", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const [custom, builtin, result] = await asyncio.run(
      (function* () {
        const ex = executor();
        return yield* asyncio.using(ex, function* () {
          const errors: unknown[] = [];
          for (const future of [
            ex.submit(tasks.fn("validate"), "x"),
            ex.submit(tasks.fn("typeError")),
            ex.submit(tasks.fn("makeMap")),
          ]) {
            try {
              yield* future;
            } catch (error) {
              errors.push(error);
            }
          }
          return errors;
        });
      })(),
    );
    assert.ok(custom instanceof asyncio.WorkerError);
    assert.equal(custom.name, "ValidationError");
    assert.equal(custom.message, "bad input x");
    assert.equal((custom as unknown as { field: string }).field, "name");
    assert.match(String(custom.stack), /fixtures[\\/]work\.ts/);
    assert.ok(custom.cause instanceof RangeError);
    assert.equal(custom.cause.message, "too long");
    assert.ok(builtin instanceof TypeError);
    assert.equal(builtin.message, "not a number");
    assert.ok(result instanceof TypeError);
    assert.match(result.message, /the result is an object of class Map/);
  });

  it("refuses an argument JSON would change at submit, and enqueues nothing", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const client = new Redis(redis.url);
    try {
      const eventsKey = `bull:${QUEUE}:events`;
      const before = await client.xlen(eventsKey);
      const messages = await asyncio.run(
        (function* () {
          const ex = executor();
          return yield* asyncio.using(ex, function* () {
            const messages: string[] = [];
            for (const bad of [
              new Map([["a", 1]]),
              [1, undefined],
              { when: new Date(0) },
              Number.NaN,
              10n,
            ]) {
              assert.throws(
                () => ex.submit(tasks.fn("echo"), bad),
                (error: unknown) => {
                  assert.ok(error instanceof TypeError);
                  messages.push(error.message);
                  return true;
                },
              );
            }
            assert.equal(ex.statistics().submitted, 0);
            yield* realSleep(0.3);
            return messages;
          });
        })(),
      );
      assert.match(messages[0]!, /argument 1 is an object of class Map, which JSON does not keep/);
      assert.match(messages[1]!, /argument 1\[1\] is undefined/);
      assert.match(messages[2]!, /argument 1\.when is an object of class Date/);
      assert.match(messages[3]!, /argument 1 is NaN/);
      assert.match(messages[4]!, /argument 1 is a bigint/);
      assert.equal(await client.xlen(eventsKey), before, "no event: nothing was added");
    } finally {
      client.disconnect();
    }
  });

  it("stops a running job on its host when its future is cancelled: cooperatively, or by termination after the grace period", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const aborted = join(scratch, "aborted.txt");
    const ticks = join(scratch, "ticks.txt");
    const outcome = await asyncio.run(
      (function* () {
        const ex = executor();
        return yield* asyncio.using(ex, function* () {
          // Cooperative: the work sees its workSignal abort.
          const waiting = ex.submit(tasks.fn("waitForAbort"), aborted);
          yield* until(() => lines(aborted, "started") === 1, 20);
          const cancelledAt = performance.now();
          waiting.cancel();
          yield* until(() => lines(aborted, "aborted") === 1);
          const cooperative = (performance.now() - cancelledAt) / 1000;
          // Uncooperative, through waitFor's timeout: the host terminates it.
          let timedOut = false;
          try {
            yield* asyncio.waitFor(ex.submit(tasks.fn("tick"), ticks, 30), 2);
          } catch (error) {
            timedOut = error instanceof asyncio.TimeoutError;
          }
          const atTimeout = lines(ticks);
          yield* realSleep(1.5);
          const settled = lines(ticks);
          yield* realSleep(1);
          const later = lines(ticks);
          // The hosts live on and take the next job.
          const next = yield* ex.submit(tasks.fn("add"), 1, 1);
          return {
            cancelled: waiting.cancelled(),
            cooperative,
            timedOut,
            atTimeout,
            settled,
            later,
            next,
            completed: ex.statistics().completed,
          };
        });
      })(),
    );
    assert.equal(outcome.cancelled, true);
    assert.ok(outcome.cooperative < 3, `the signal aborted within ${outcome.cooperative} s`);
    assert.equal(outcome.timedOut, true);
    assert.ok(outcome.atTimeout > 0, "the work was running");
    assert.equal(
      outcome.later,
      outcome.settled,
      "no tick after the grace period: the work stopped",
    );
    assert.equal(outcome.next, 2);
    assert.equal(outcome.completed, 1, "only the last job completed");
  });

  it("a cancel that lands as a host takes the job either keeps the work from starting or aborts its signal; never completed, never left running", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    // statistics().busy counts BullMQ's "active", which comes a moment before the host starts
    // the work: a cancel sent right then reaches the host first, and the work never starts
    // (the job fails as cancelled before it started). Either way no work runs on unsignalled.
    const ROUNDS = 20;
    const paths = Array.from({ length: ROUNDS }, (_, i) => join(scratch, `taken-${i}.txt`));
    const outcome = await asyncio.run(
      (function* () {
        const ex = executor();
        return yield* asyncio.using(ex, function* () {
          const futures: asyncio.Future<string>[] = [];
          for (const path of paths) {
            const future = ex.submit(tasks.fn("waitForAbort"), path);
            futures.push(future);
            yield* until(() => ex.statistics().busy > 0, 20);
            future.cancel();
          }
          const next = yield* ex.submit(tasks.fn("add"), 2, 2);
          return { futures, next, stats: ex.statistics() };
        });
      })(),
    );
    assert.ok(outcome.futures.every((future) => future.cancelled()));
    assert.equal(outcome.next, 4, "the hosts take the next job");
    assert.equal(outcome.stats.cancelled, ROUNDS);
    assert.equal(outcome.stats.completed, 1);
    // The work that started sees its signal abort; the rest never starts.
    const deadline = performance.now() + 10_000;
    const unsignalled = () =>
      paths.filter((path) => lines(path, "started") !== lines(path, "aborted"));
    while (unsignalled().length > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(unsignalled(), [], "work that started and never saw its signal");
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(
      paths.every((path) => lines(path, "started") <= 1),
      "no cancelled job started twice",
    );
    const { Queue } = await import("bullmq");
    const queue = new Queue(QUEUE, { connection: { host: "127.0.0.1", port: redis.port } });
    try {
      const completed = await queue.getCompleted(0, -1);
      assert.ok(
        !completed.some((job) =>
          paths.includes((job.data as { args: unknown[] }).args[0] as string),
        ),
        "no cancelled job is completed",
      );
    } finally {
      await queue.close();
    }
  });

  it("shutdown cancels the jobs no host started (cancelFutures), then stops running ones at its timeout", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const aborted = join(scratch, "shutdown-aborted.txt");
    const outcome = await asyncio.run(
      (function* () {
        const ex = executor();
        const futures = Array.from({ length: 6 }, () =>
          ex.submit(tasks.fn("waitForAbort"), aborted),
        );
        // Four run (on the hosts' worker threads), two wait in Redis.
        yield* until(() => ex.statistics().busy === 4 && lines(aborted, "started") === 4, 20);
        const started = performance.now();
        const shutdown = ex.shutdown({ cancelFutures: true, timeout: 1 });
        const queuedCancelled = futures.filter((future) => future.cancelled()).length;
        yield* shutdown;
        return {
          queuedCancelled,
          allCancelled: futures.every((future) => future.cancelled()),
          seconds: (performance.now() - started) / 1000,
          stats: ex.statistics(),
        };
      })(),
    );
    assert.equal(
      outcome.queuedCancelled,
      2,
      "the two jobs no host had started are cancelled at once",
    );
    assert.equal(outcome.allCancelled, true);
    assert.ok(
      outcome.seconds >= 0.9 && outcome.seconds < 10,
      `shut down after ${outcome.seconds} s`,
    );
    assert.equal(outcome.stats.cancelled, 6);
    {
      const deadline = performance.now() + 5000;
      while (lines(aborted, "aborted") < 4 && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(lines(aborted, "aborted"), 4, "the four running jobs saw their signal abort");
    assert.equal(lines(aborted, "started"), 4, "the two waiting jobs never started");
  });

  it("runs a job again elsewhere when its host is killed with SIGKILL mid-job; the future gets that run's result", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const [victim, survivor] = hosts as [Host, Host];
    const results = await asyncio.run(
      (function* () {
        const ex = executor();
        return yield* asyncio.using(ex, function* () {
          const futures = [1, 2, 3, 4].map(() => ex.submit(tasks.fn("slowWhoRuns"), 1500));
          yield* until(() => ex.statistics().busy === 4, 20);
          yield* asyncio.fromPromise(victim.stop("SIGKILL"));
          return yield* asyncio.gather(...futures);
        });
      })(),
    );
    assert.equal(results.length, 4);
    for (const result of results) assert.equal(result.pid, survivor.pid);
  });

  it("recovers when Redis restarts mid-run: no job lost, no future stranded", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const outcome = await asyncio.run(
      (function* () {
        const ex = executor();
        return yield* asyncio.using(ex, function* () {
          const futures = Array.from({ length: 30 }, (_, i) =>
            ex.submit(tasks.fn("slowWhoRuns"), 100 + i),
          );
          yield* until(() => ex.statistics().completed >= 4, 20);
          yield* asyncio.fromPromise(redis.restart());
          const results = yield* asyncio.gather(...futures);
          return { results, stats: ex.statistics() };
        });
      })(),
    );
    assert.deepEqual(
      outcome.results.map((result) => result.ms),
      Array.from({ length: 30 }, (_, i) => 100 + i),
    );
    assert.ok(outcome.stats.reconnects >= 1);
    assert.ok(outcome.stats.resubmitted >= 1, "Redis lost jobs; the executor added them again");
  });

  it("fails a job with an error naming the module and the host when the host cannot load it", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const emptyRoot = mkdtempSync(join(scratch, "root-"));
    const queue = "elsewhere";
    const host = await Host.start(queue, redis.url, ["--root", emptyRoot]);
    try {
      const error = await asyncio.run(
        (function* () {
          const ex = executor({ queue });
          return yield* asyncio.using(ex, function* () {
            try {
              yield* ex.submit(tasks.fn("add"), 1, 2);
              return null;
            } catch (error) {
              return error;
            }
          });
        })(),
      );
      assert.ok(error instanceof asyncio.WorkerError);
      assert.equal(error.name, "ModuleLoadError");
      assert.match(error.message, /cannot load module work\.ts/);
      assert.match(error.message, new RegExp(`pid ${host.pid}`));
    } finally {
      const { code } = await host.stop("SIGTERM");
      assert.equal(code, 0, "SIGTERM ends a host with status 0");
    }
  });

  it("hands running jobs back at SIGTERM after the grace period, and exits 0; another host runs them", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const queue = "handback";
    const leaving = await Host.start(queue, redis.url, ["--shutdown-grace", "0.5"]);
    const staying = await Host.start(queue, redis.url, ["--max-workers", "2"]);
    try {
      const { result, exit } = await asyncio.run(
        (function* () {
          const ex = executor({ queue });
          return yield* asyncio.using(ex, function* () {
            // Two jobs: the leaving host (one worker) holds one of them.
            const futures = [
              ex.submit(tasks.fn("slowWhoRuns"), 2500),
              ex.submit(tasks.fn("slowWhoRuns"), 2500),
            ];
            yield* until(() => ex.statistics().busy === 2, 20);
            const exit = yield* asyncio.fromPromise(leaving.stop("SIGTERM"));
            const result = yield* asyncio.gather(...futures);
            return { result, exit };
          });
        })(),
      );
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.match(leaving.output, /asyncio-ts worker: stopped/);
      assert.deepEqual(
        result.map((item) => item.pid),
        [staying.pid, staying.pid],
      );
    } finally {
      await Promise.all([leaving.stop("SIGKILL"), staying.stop("SIGKILL")]);
    }
  });

  it("a host with --prefetch takes jobs beyond its workers; a cancelled prefetched job never starts", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const queue = "prefetch-cancel";
    const host = await Host.start(queue, redis.url, ["--max-workers", "1", "--prefetch", "1"]);
    const paths = [join(scratch, "prefetch-a.txt"), join(scratch, "prefetch-b.txt")];
    try {
      const outcome = await asyncio.run(
        (function* () {
          const ex = executor({ queue });
          return yield* asyncio.using(ex, function* () {
            const futures = paths.map((path) => ex.submit(tasks.fn("waitForAbort"), path));
            // Both are taken by the one host; one runs, the other waits there for the worker.
            yield* until(
              () => ex.statistics().busy === 2 && paths.some((path) => lines(path) > 0),
              20,
            );
            const runningAt = paths.findIndex((path) => lines(path) > 0);
            const waitingAt = 1 - runningAt;
            futures[waitingAt]!.cancel();
            yield* asyncio.wait([futures[waitingAt]!]);
            // Free the worker: a prefetched job still queued on the host would start now.
            futures[runningAt]!.cancel();
            yield* until(() => lines(paths[runningAt]!, "aborted") === 1, 20);
            yield* realSleep(0.5);
            const next = yield* ex.submit(tasks.fn("add"), 3, 4);
            return {
              cancelled: futures.map((future) => future.cancelled()),
              waitingLines: lines(paths[waitingAt]!),
              next,
              stats: ex.statistics(),
            };
          });
        })(),
      );
      assert.deepEqual(outcome.cancelled, [true, true]);
      assert.equal(outcome.waitingLines, 0, "the cancelled prefetched job never started");
      assert.equal(outcome.next, 7);
      assert.equal(outcome.stats.cancelled, 2);
      assert.match(host.output, /1 thread worker\(s\) and 1 job\(s\) prefetched/);
    } finally {
      await host.stop("SIGKILL");
    }
  });

  it("at SIGTERM a host hands its prefetched jobs back at once and lets the running one finish", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const queue = "prefetch-handback";
    const leaving = await Host.start(queue, redis.url, [
      "--max-workers",
      "1",
      "--prefetch",
      "2",
      "--shutdown-grace",
      "20",
    ]);
    let staying: Host | null = null;
    try {
      const { result, exit } = await asyncio.run(
        (function* () {
          const ex = executor({ queue });
          return yield* asyncio.using(ex, function* () {
            const futures = [1, 2, 3].map(() => ex.submit(tasks.fn("slowWhoRuns"), 1500));
            // All three are on the leaving host: one runs, two wait there.
            yield* until(() => ex.statistics().busy === 3, 20);
            staying = yield* asyncio.fromPromise(Host.start(queue, redis.url));
            const exit = yield* asyncio.fromPromise(leaving.stop("SIGTERM"));
            const result = yield* asyncio.gather(...futures);
            return { result, exit };
          });
        })(),
      );
      assert.deepEqual(exit, { code: 0, signal: null });
      // Kept to the end, the leaving host would have run all three within its 20 s grace.
      const ranOn = result.map((item) => item.pid).sort();
      const stayingPid = (staying as Host | null)!.pid;
      assert.deepEqual(
        ranOn,
        [leaving.pid, stayingPid, stayingPid].sort(),
        "the running job finished on the leaving host; the prefetched ones ran on the other",
      );
    } finally {
      await Promise.all([leaving.stop("SIGKILL"), (staying as Host | null)?.stop("SIGKILL")]);
    }
  });

  it("fails with ConnectionError in bounded time when Redis is unreachable, and leaves nothing open", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const port = await freePort();
    const started = performance.now();
    const error = await asyncio.run(
      (function* () {
        const ex = new BullMQExecutor({
          queue: QUEUE,
          connection: `redis://127.0.0.1:${port}`,
          root: FIXTURES,
          connectTimeout: 1,
        });
        try {
          yield* ex.submit(tasks.fn("add"), 1, 2);
          return null;
        } catch (error) {
          return error;
        } finally {
          yield* ex.shutdown();
        }
      })(),
    );
    const elapsed = (performance.now() - started) / 1000;
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(
      error.message,
      new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port} within 1 seconds`),
    );
    assert.ok(elapsed < 10, `failed after ${elapsed} s`);
  });

  it("run() returns with no connection left when a program forgets to shut the executor down", {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/bullmq/fixtures/program.ts", QUEUE],
      {
        cwd: REPO,
        env: { ...process.env, REDIS_URL: redis.url },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const [code] = await once(child, "exit");
    clearTimeout(timer);
    assert.equal(code, 0, output);
    assert.match(output, /result 5/);
    assert.match(output, /open sockets 0/);
  });
});
