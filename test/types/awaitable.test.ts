/**
 * Type tests for the one public return type of waiting methods: every method or function a
 * user waits on with `yield*` declares `Awaitable<T>` (never `Coro<T>` nor a hand-stepped
 * class), so a faster implementation behind it cannot change a public type; and `yield*` on
 * each infers `T`. Checked by `tsc`; the runtime test waits on the sync and core ones on a
 * virtual clock, through `yield*` and through `createTask`.
 */

import assert from "node:assert/strict";
import { it } from "node:test";
import type { BullMQExecutor, runWorkerHost } from "../../src/bullmq/index.ts";
import * as asyncio from "../../src/index.ts";
import type { Equal } from "./equal.ts";

type A<T> = asyncio.Awaitable<T>;
type Returns<F extends (...args: never[]) => unknown> = ReturnType<F>;
/** Compiles only when `T` is `true`: each entry below is an assertion. */
type Is<T extends true> = T;
type Wrapped = [stdout: Buffer | null, stderr: Buffer | null];

/** Declared return types of the non-generic waiting methods and functions. */
export type DeclaredChecks = [
  // sync
  Is<Equal<Returns<asyncio.Lock["acquire"]>, A<true>>>,
  Is<Equal<Returns<asyncio.Lock["aenter"]>, A<void>>>,
  Is<Equal<Returns<asyncio.Lock["aexit"]>, A<false>>>,
  Is<Equal<Returns<asyncio.Semaphore["acquire"]>, A<true>>>,
  Is<Equal<Returns<asyncio.BoundedSemaphore["acquire"]>, A<true>>>,
  Is<Equal<Returns<asyncio.Semaphore["aenter"]>, A<void>>>,
  Is<Equal<Returns<asyncio.Event["wait"]>, A<true>>>,
  Is<Equal<Returns<asyncio.Condition["acquire"]>, A<true>>>,
  Is<Equal<Returns<asyncio.Condition["wait"]>, A<true>>>,
  Is<Equal<Returns<asyncio.Condition["aexit"]>, A<false>>>,
  Is<Equal<Returns<asyncio.Barrier["wait"]>, A<number>>>,
  Is<Equal<Returns<asyncio.Barrier["reset"]>, A<void>>>,
  Is<Equal<Returns<asyncio.Barrier["abort"]>, A<void>>>,
  Is<Equal<Returns<asyncio.Barrier["aenter"]>, A<number>>>,
  Is<Equal<Returns<asyncio.Queue<string>["get"]>, A<string>>>,
  Is<Equal<Returns<asyncio.Queue<string>["put"]>, A<void>>>,
  Is<Equal<Returns<asyncio.Queue<string>["join"]>, A<void>>>,
  Is<Equal<Returns<asyncio.PriorityQueue<number>["get"]>, A<number>>>,
  Is<Equal<Returns<asyncio.LifoQueue<number>["put"]>, A<void>>>,
  // core
  Is<Equal<Returns<asyncio.EventLoop["shutdownAsyncgens"]>, A<void>>>,
  Is<Equal<Returns<asyncio.EventLoop["shutdownDefaultExecutor"]>, A<void>>>,
  Is<
    Equal<
      Returns<asyncio.AsyncGen<number, string>["next"]>,
      A<IteratorResult<number, string | undefined>>
    >
  >,
  Is<Equal<Returns<asyncio.AsyncGen<number>["aclose"]>, A<void>>>,
  // structure
  Is<Equal<Returns<asyncio.TaskGroup["aenter"]>, A<asyncio.TaskGroup>>>,
  Is<Equal<Returns<asyncio.TaskGroup["aexit"]>, A<boolean>>>,
  Is<Equal<Returns<asyncio.Timeout["aenter"]>, A<asyncio.Timeout>>>,
  Is<Equal<Returns<asyncio.Timeout["aexit"]>, A<false>>>,
  Is<Equal<Returns<asyncio.GeneratorContextManager<number>["aenter"]>, A<number>>>,
  Is<
    Equal<
      Returns<asyncio.AsCompleted<number>["next"]>,
      A<IteratorResult<asyncio.Future<number>, undefined>>
    >
  >,
  // net
  Is<Equal<Returns<asyncio.StreamReader["read"]>, A<Buffer>>>,
  Is<Equal<Returns<asyncio.StreamReader["readline"]>, A<Buffer>>>,
  Is<Equal<Returns<asyncio.StreamReader["readexactly"]>, A<Buffer>>>,
  Is<Equal<Returns<asyncio.StreamReader["readuntil"]>, A<Buffer>>>,
  Is<Equal<Returns<asyncio.StreamWriter["drain"]>, A<void>>>,
  Is<Equal<Returns<asyncio.StreamWriter["waitClosed"]>, A<void>>>,
  Is<Equal<Returns<asyncio.StreamWriter["startTls"]>, A<void>>>,
  Is<Equal<Returns<asyncio.StreamWriter["aenter"]>, A<asyncio.StreamWriter>>>,
  Is<Equal<Returns<asyncio.Server["startServing"]>, A<void>>>,
  Is<Equal<Returns<asyncio.Server["serveForever"]>, A<void>>>,
  Is<Equal<Returns<asyncio.Server["waitClosed"]>, A<void>>>,
  Is<Equal<Returns<asyncio.Server["aenter"]>, A<asyncio.Server>>>,
  Is<Equal<Returns<asyncio.EventLoop["getaddrinfo"]>, A<asyncio.AddrInfo[]>>>,
  Is<Equal<Returns<asyncio.EventLoop["getnameinfo"]>, A<[host: string, service: string]>>>,
  Is<Equal<Returns<asyncio.EventLoop["startTls"]>, A<asyncio.Transport>>>,
  Is<
    Equal<Returns<typeof asyncio.openConnection>, A<[asyncio.StreamReader, asyncio.StreamWriter]>>
  >,
  Is<
    Equal<
      Returns<typeof asyncio.openUnixConnection>,
      A<[asyncio.StreamReader, asyncio.StreamWriter]>
    >
  >,
  Is<Equal<Returns<typeof asyncio.startServer>, A<asyncio.Server>>>,
  Is<Equal<Returns<typeof asyncio.startUnixServer>, A<asyncio.Server>>>,
  // subprocess
  Is<Equal<Returns<typeof asyncio.createSubprocessExec>, A<asyncio.Process>>>,
  Is<Equal<Returns<typeof asyncio.createSubprocessShell>, A<asyncio.Process>>>,
  Is<Equal<Returns<asyncio.Process["wait"]>, A<number>>>,
  Is<Equal<Returns<asyncio.Process["communicate"]>, A<Wrapped>>>,
  // executors
  Is<Equal<Returns<asyncio.Executor["aenter"]>, A<asyncio.Executor>>>,
  Is<Equal<Returns<asyncio.Executor["aexit"]>, A<false>>>,
  Is<Equal<Returns<asyncio.ThreadPoolExecutor["aenter"]>, A<asyncio.ThreadPoolExecutor>>>,
  Is<Equal<Returns<asyncio.ProcessPoolExecutor["aexit"]>, A<false>>>,
  Is<Equal<Returns<asyncio.Executor["shutdown"]>, A<void> & PromiseLike<void>>>,
  // bullmq
  Is<Equal<Returns<BullMQExecutor["aenter"]>, A<BullMQExecutor>>>,
  Is<Equal<Returns<BullMQExecutor["aexit"]>, A<false>>>,
  Is<Equal<Returns<typeof runWorkerHost>, A<void>>>,
];

class Echo extends (class {} as unknown as typeof asyncio.Protocol) {
  marker = 1;
}

class Udp extends (class {} as unknown as typeof asyncio.DatagramProtocol) {
  marker = 2;
}

class Collect extends (class {} as unknown as typeof asyncio.SubprocessProtocol) {
  marker = 3;
}

declare const fib: asyncio.WorkFn<[n: number], number>;

/**
 * The generic ones, checked at a call (their type parameters fixed), and what `yield*` infers.
 * Type-checked only: it needs sockets, children and Redis.
 */
function* generic(
  loop: asyncio.EventLoop,
  executor: asyncio.Executor,
  bull: BullMQExecutor,
  reader: asyncio.StreamReader,
  server: asyncio.Server,
  proc: asyncio.Process,
): asyncio.Coro<void> {
  const connecting = loop.createConnection(() => new Echo(), "127.0.0.1", 1);
  const unixConnecting = loop.createUnixConnection(() => new Echo(), "/tmp/x.sock");
  const listening = loop.createServer(() => new Echo(), "127.0.0.1", 0);
  const unixListening = loop.createUnixServer(() => new Echo(), "/tmp/x.sock");
  const endpoint = loop.createDatagramEndpoint(() => new Udp(), { localAddr: ["127.0.0.1", 0] });
  const spawning = loop.subprocessExec(() => new Collect(), "echo");
  const shelling = loop.subprocessShell(() => new Collect(), "echo");
  const submitting = executor.submitWait(fib, 3);
  const bullSubmitting = bull.submitWait(fib, 3);
  const timed = asyncio.waitFor(reader.read(), 1);
  const task = asyncio.createTask(reader.read());
  const waiting = asyncio.wait([task]);

  const pair = yield* connecting;
  const line = yield* reader.readline();
  const exact = yield* reader.readexactly(2);
  const until = yield* reader.readuntil("\n");
  yield* server.serveForever();
  const code = yield* proc.wait();
  const outputs = yield* proc.communicate("input");
  const submitted = yield* submitting;
  const read = yield* timed;
  const [done] = yield* waiting;
  yield* executor.shutdown();

  const checks: [
    Equal<typeof connecting, A<[asyncio.Transport, Echo]>>,
    Equal<typeof unixConnecting, A<[asyncio.Transport, Echo]>>,
    Equal<typeof listening, A<asyncio.Server>>,
    Equal<typeof unixListening, A<asyncio.Server>>,
    Equal<typeof endpoint, A<[asyncio.DatagramTransport, Udp]>>,
    Equal<typeof spawning, A<[asyncio.ChildProcessTransport, Collect]>>,
    Equal<typeof shelling, A<[asyncio.ChildProcessTransport, Collect]>>,
    Equal<typeof submitting, A<asyncio.Future<number>>>,
    Equal<typeof bullSubmitting, A<asyncio.Future<number>>>,
    Equal<typeof timed, A<Buffer>>,
    Equal<typeof waiting, A<[Set<asyncio.Task<Buffer>>, Set<asyncio.Task<Buffer>>]>>,
    Equal<typeof pair, [asyncio.Transport, Echo]>,
    Equal<typeof line, Buffer>,
    Equal<typeof exact, Buffer>,
    Equal<typeof until, Buffer>,
    Equal<typeof code, number>,
    Equal<typeof outputs, Wrapped>,
    Equal<typeof submitted, asyncio.Future<number>>,
    Equal<typeof read, Buffer>,
    Equal<typeof done, Set<asyncio.Task<Buffer>>>,
  ] = [
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
  ];
  assert.equal(checks.length, 20);
}

/** The sync and core ones, awaited for real: `yield*` infers T, and createTask takes each. */
function* waitOnEach(): asyncio.Coro<unknown[]> {
  const lock = new asyncio.Lock();
  const semaphore = new asyncio.Semaphore(1);
  const event = new asyncio.Event();
  const cond = new asyncio.Condition();
  const barrier = new asyncio.Barrier(1);
  const queue = new asyncio.Queue<string>();

  const acquired = yield* lock.acquire();
  lock.release();
  const slot = yield* semaphore.acquire();
  semaphore.release();
  event.set();
  const waited = yield* event.wait();
  yield* cond.acquire();
  const ready = yield* cond.waitFor(() => "ready" as const);
  cond.release();
  const index = yield* barrier.wait();
  const put = yield* queue.put("item");
  const item = yield* queue.get();
  queue.taskDone();
  const joined = yield* queue.join();
  const slept = yield* asyncio.sleep(1, 42);
  const entered = yield* asyncio.using(lock, function* () {
    return "inside";
  });
  const fromTask = yield* asyncio.createTask(barrier.wait());
  const timed = yield* asyncio.waitFor(event.wait(), 1);

  const checks: [
    Equal<typeof acquired, true>,
    Equal<typeof slot, true>,
    Equal<typeof waited, true>,
    Equal<typeof ready, "ready">,
    Equal<typeof index, number>,
    Equal<typeof put, void>,
    Equal<typeof item, string>,
    Equal<typeof joined, void>,
    Equal<typeof slept, number>,
    Equal<typeof entered, string>,
    Equal<typeof fromTask, number>,
    Equal<typeof timed, true>,
    Equal<ReturnType<typeof asyncio.using<asyncio.Lock, string>>, A<string>>,
    Equal<ReturnType<typeof asyncio.sleep<string>>, A<string>>,
  ] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];
  assert.equal(checks.length, 14);
  return [acquired, slot, waited, ready, index, put, item, joined, slept, entered, fromTask, timed];
}

it("public waiting methods declare Awaitable<T>, and yield* infers T", async () => {
  assert.equal(typeof generic, "function");
  assert.deepEqual(await asyncio.run(waitOnEach(), { clock: "virtual" }), [
    true,
    true,
    true,
    "ready",
    0,
    undefined,
    "item",
    undefined,
    42,
    "inside",
    0,
    true,
  ]);
});
