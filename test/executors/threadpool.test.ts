/**
 * ThreadPoolExecutor: running typed work from TypeScript and JavaScript modules, results and
 * errors crossing back, unsendable values, transfers, map, initializers, statistics. One pool
 * serves most tests (worker threads take a while to start under tsx).
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";
import * as asyncio from "../../src/index.ts";
import type * as plain from "./fixtures/plain.mjs";
import type * as publicapi from "./fixtures/publicapi.ts";
import { failure, tasks } from "./helpers.ts";

const plainModule = asyncio.workModule<typeof plain>(
  new URL("./fixtures/plain.mjs", import.meta.url),
);
const publicModule = asyncio.workModule<typeof publicapi>(
  new URL("./fixtures/publicapi.ts", import.meta.url),
);

let pool: asyncio.ThreadPoolExecutor;

before(() => {
  pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 2 });
});

after(async () => {
  await pool.shutdown();
});

describe("ThreadPoolExecutor: results", () => {
  it("runs sync and async work functions of a TypeScript module and returns typed results", async () => {
    const results = await asyncio.run(
      (function* () {
        const fib = pool.submit(tasks.fn("fib"), 20);
        const sum = pool.submit(tasks.fn("addLater"), 2, 3);
        return [yield* fib, yield* sum];
      })(),
    );
    assert.deepEqual(results, [6765, 5]);
  });

  it("runs work on other threads, in parallel", async () => {
    const where = await asyncio.run(
      (function* () {
        const gate = new Int32Array(new SharedArrayBuffer(8));
        // Two items that block until both have started: only two threads at once get there.
        const first = pool.submit(tasks.fn("block"), gate, 5000);
        const second = pool.submit(tasks.fn("block"), gate, 5000);
        while (Atomics.load(gate, 1) < 2) yield* asyncio.sleep(0.005);
        Atomics.store(gate, 0, 1);
        Atomics.notify(gate, 0);
        return [yield* first, yield* second, yield* pool.submit(tasks.fn("whereAmI"))];
      })(),
    );
    assert.deepEqual(where.slice(0, 2), ["released", "released"]);
    const info = where[2] as { threadId: number; pid: number };
    assert.notEqual(info.threadId, threadId);
    assert.equal(info.pid, process.pid);
  });

  it("runs plain JavaScript modules", async () => {
    const doubled = await asyncio.run(
      (function* () {
        return yield* pool.submit(plainModule.fn("double"), 21);
      })(),
    );
    assert.equal(doubled, 42);
  });

  it("copies arguments and results with structured clone (Map, Date, typed arrays)", async () => {
    const value = { when: new Date(0), tags: new Map([["a", 1]]), bytes: new Uint8Array([1, 2]) };
    const echoed = await asyncio.run(
      (function* () {
        return yield* pool.submit(tasks.fn("echo"), value);
      })(),
    );
    assert.deepEqual(echoed, value);
    assert.notEqual(echoed, value);
  });

  it("works on a virtual-clock loop: the loop waits for the result", async () => {
    const result = await asyncio.run(
      (function* () {
        const timer = asyncio.createTask(asyncio.sleep(3600, "timer"));
        const value = yield* pool.submit(tasks.fn("fib"), 15);
        timer.cancel();
        return value;
      })(),
      { clock: "virtual" },
    );
    assert.equal(result, 610);
  });
});

describe("ThreadPoolExecutor: errors", () => {
  it("rebuilds an error of a class of its own as a WorkerError with its name, message, stack and data", async () => {
    const error = (await asyncio.run(
      failure(() => pool.submit(tasks.fn("validate"), "email")),
    )) as Error;
    assert.ok(error instanceof asyncio.WorkerError);
    assert.equal(error.name, "ValidationError");
    assert.equal(error.message, "email is invalid");
    assert.equal((error as unknown as { field: string }).field, "email");
    assert.match(error.stack!, /^ValidationError: email is invalid\n/);
    assert.match(error.stack!, /validate .*fixtures[\\/]work\.ts/);
  });

  it("names a WorkerError after the class when the error never set its name", async () => {
    const error = (await asyncio.run(failure(() => pool.submit(tasks.fn("unnamedFail"))))) as Error;
    assert.ok(error instanceof asyncio.WorkerError);
    assert.equal(error.name, "UnnamedError");
    assert.equal(error.message, "no name given");
    assert.match(error.stack!, /^UnnamedError: no name given\n/);
    const subclass = (await asyncio.run(
      failure(() => pool.submit(tasks.fn("tooLargeFail"))),
    )) as Error;
    assert.ok(subclass instanceof asyncio.WorkerError);
    assert.equal(subclass.name, "TooLarge");
    assert.match(subclass.stack!, /^TooLarge: too large\n/);
  });

  it("rebuilds built-in errors as their own class, with their cause", async () => {
    const error = (await asyncio.run(
      failure(() => pool.submit(tasks.fn("rangeFail"))),
    )) as RangeError;
    assert.ok(error instanceof RangeError);
    assert.equal(error.message, "out of range");
    assert.ok(error.cause instanceof Error);
    assert.equal((error.cause as Error).message, "the cause");
  });

  it("passes a thrown non-error value through as it is", async () => {
    const thrown = await asyncio.run(failure(() => pool.submit(tasks.fn("throwString"))));
    assert.equal(thrown, "plain string");
  });

  it("fails with a ReferenceError naming the module's functions when the export is missing", async () => {
    const misspelt = asyncio.workModule<{ fbi(): void }>(tasks.url).fn("fbi");
    const error = (await asyncio.run(failure(() => pool.submit(misspelt)))) as Error;
    assert.ok(error instanceof ReferenceError);
    assert.match(error.message, /has no export named "fbi"; its exported functions are: .*\bfib\b/);
  });

  it("a work module that cannot be loaded fails naming it, the export, and where workModule() was called", async () => {
    const missing = new URL("./fixtures/no-such-work.ts", import.meta.url);
    const madeAt = new Error().stack!.split("\n")[1]!.match(/threadpool\.test\.ts:(\d+)/)![1]!;
    const unloadable = asyncio.workModule<{ fib(n: number): number }>(missing).fn("fib");
    const error = (await asyncio.run(failure(() => pool.submit(unloadable, 3)))) as Error;
    assert.equal(
      error.message.replace(/ \(workModule\(\) was called at .*\)$/, ""),
      `the work module ${fileURLToPath(missing)} cannot be loaded for its export "fib": Cannot find module '${fileURLToPath(missing)}'; check the URL given to workModule()`,
    );
    assert.match(
      error.message,
      new RegExp(
        `\\(workModule\\(\\) was called at \\S*threadpool\\.test\\.ts:${Number(madeAt) + 1}:\\d+\\)$`,
      ),
    );
    assert.doesNotMatch(error.message, /workerentry/);
    assert.equal((error as Error & { code?: string }).code, "ERR_MODULE_NOT_FOUND");
    // The pool goes on.
    const next = await asyncio.run(
      (function* () {
        return yield* pool.submit(tasks.fn("add"), 2, 3);
      })(),
    );
    assert.equal(next, 5);
  });

  it("fails with a TypeError when the export is not a function", async () => {
    const wrong = asyncio.workModule<{ notAFunction(): void }>(tasks.url).fn("notAFunction");
    const error = (await asyncio.run(failure(() => pool.submit(wrong)))) as Error;
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /export "notAFunction" .* is a number, not a function/);
  });

  it("fails with an UnsendableError naming the argument that cannot be sent; the pool goes on", async () => {
    const [error, after] = await asyncio.run(
      (function* () {
        const sending = pool.submit(tasks.fn("add"), 1, (() => 2) as unknown as number);
        return [yield* failure(() => sending), yield* pool.submit(tasks.fn("add"), 1, 2)];
      })(),
    );
    assert.ok(error instanceof asyncio.UnsendableError);
    assert.ok(error instanceof TypeError);
    assert.match(
      (error as Error).message,
      /^add \(work\.ts\): argument 2 \(the function \(anonymous\)\) cannot be sent/,
    );
    assert.equal(after, 3);
  });

  it("fails with an UnsendableError when the result cannot be sent back", async () => {
    const error = (await asyncio.run(
      failure(() => pool.submit(tasks.fn("makeFunction"))),
    )) as Error;
    assert.ok(error instanceof asyncio.UnsendableError);
    assert.match(error.message, /the result \(the function .*\) cannot be sent back/);
  });

  it("rejects what is not a work function, and relative module paths", async () => {
    const notWork = ((n: number) => n) as unknown as asyncio.WorkFn<[number], number>;
    const error = await asyncio.run(failure(() => pool.submit(notWork, 1)));
    assert.match(String(error), /TypeError: executors run work named by module and export/);
    assert.throws(() => asyncio.workModule("./work.ts"), asyncio.ValueError);
    assert.throws(() => new asyncio.ThreadPoolExecutor({ maxWorkers: 0 }), asyncio.ValueError);
    assert.throws(
      () => new asyncio.ThreadPoolExecutor({ cancelGracePeriod: -1 }),
      asyncio.ValueError,
    );
  });
});

describe("ThreadPoolExecutor: transfers", () => {
  it("moves marked ArrayBuffers to the worker instead of copying them", async () => {
    const buffer = new ArrayBuffer(1 << 20);
    const copied = new ArrayBuffer(16);
    const sizes = await asyncio.run(
      (function* () {
        const moved = pool.submit(tasks.fn("byteLength"), asyncio.transfer(buffer));
        const kept = pool.submit(tasks.fn("byteLength"), copied);
        return [yield* moved, yield* kept];
      })(),
    );
    assert.deepEqual(sizes, [1 << 20, 16]);
    assert.equal(buffer.byteLength, 0, "the parent's buffer is detached");
    assert.equal(copied.byteLength, 16);
  });

  it("moves results marked in the worker back, also through the public entry", async () => {
    const [buffer, bytes] = await asyncio.run(
      (function* () {
        return [
          yield* pool.submit(tasks.fn("makeBuffer"), 4096),
          yield* pool.submit(publicModule.fn("filled"), 8, 7),
        ] as const;
      })(),
    );
    assert.ok(buffer instanceof ArrayBuffer);
    assert.equal(buffer.byteLength, 4096);
    assert.deepEqual([...bytes], [7, 7, 7, 7, 7, 7, 7, 7]);
  });

  it("rejects values that cannot move", () => {
    assert.throws(() => asyncio.transfer({} as ArrayBuffer), /transfer\(\) moves an ArrayBuffer/);
  });
});

describe("ThreadPoolExecutor: map", () => {
  it("gives the results in the items' order, with or without chunks", async () => {
    const results = await asyncio.run(
      (function* () {
        const collected: number[][] = [];
        for (const chunksize of [1, 3]) {
          const squares = pool.map(tasks.fn("square"), [1, 2, 3, 4, 5, 6, 7], { chunksize });
          const values: number[] = [];
          for (let step = yield* squares.next(); !step.done; step = yield* squares.next()) {
            values.push(step.value);
          }
          collected.push(values);
        }
        return collected;
      })(),
    );
    assert.deepEqual(results, [
      [1, 4, 9, 16, 25, 36, 49],
      [1, 4, 9, 16, 25, 36, 49],
    ]);
  });

  it("ends with the first error, after the results before it", async () => {
    const [values, error] = await asyncio.run(
      (function* () {
        const items = pool.map(tasks.fn("failOnThree"), [1, 2, 3, 4], { chunksize: 1 });
        const seen: number[] = [];
        try {
          for (let step = yield* items.next(); !step.done; step = yield* items.next()) {
            seen.push(step.value);
          }
        } catch (error) {
          return [seen, error] as const;
        }
        return [seen, null] as const;
      })(),
    );
    assert.deepEqual(values, [1, 2]);
    assert.match(String(error), /item 3 is bad/);
  });

  it("raises TimeoutError when a result is late, and cancels the rest", async () => {
    const [error, stats] = await asyncio.run(
      (function* () {
        const before = pool.statistics().cancelled;
        const gate = new Int32Array(new SharedArrayBuffer(8));
        const items = pool.map(tasks.fn("echo"), [gate, gate, gate], { timeout: 0 });
        const error = yield* failure(() => items.next());
        return [error, pool.statistics().cancelled - before] as const;
      })(),
    );
    assert.ok(error instanceof asyncio.TimeoutError);
    assert.equal(stats, 3);
  });

  it("validates its options", async () => {
    const error = await asyncio.run(
      failure(() => pool.map(tasks.fn("square"), [1], { chunksize: 0 }).next()),
    );
    assert.ok(error instanceof asyncio.ValueError);
  });
});

describe("ThreadPoolExecutor: initializer, statistics, printing", () => {
  it("runs the initializer in each worker first, counts what it did and prints its state", async () => {
    const [setting, text, futureText, stats] = await asyncio.run(
      (function* () {
        const counted = new asyncio.ThreadPoolExecutor({
          maxWorkers: 1,
          initializer: tasks.fn("setup"),
          initargs: ["configured"],
        });
        const future = counted.submit(tasks.fn("getSetting"));
        const pendingText = String(future);
        const setting = yield* future;
        yield* failure(() => counted.submit(tasks.fn("validate"), "x"));
        const text = String(counted);
        yield* counted.shutdown();
        return [
          setting,
          `${text} | ${counted}`,
          `${pendingText} | ${future}`,
          counted.statistics(),
        ] as const;
      })(),
    );
    assert.equal(setting, "configured");
    assert.equal(
      text,
      "<ThreadPoolExecutor running workers=1/1 busy=0 queued=0> | <ThreadPoolExecutor shut down workers=0/1 busy=0 queued=0>",
    );
    assert.equal(
      futureText,
      '<WorkFuture pending getSetting (work.ts) queued> | <WorkFuture finished getSetting (work.ts) result="configured">',
    );
    assert.equal(stats.submitted, 2);
    assert.equal(stats.completed, 1);
    assert.equal(stats.failed, 1);
    assert.equal(stats.workersStarted, 1);
    assert.equal(stats.workers, 0);
    assert.ok(stats.totalRunTime > 0 && stats.maxRunTime <= stats.totalRunTime);
    assert.ok(stats.maxWaitTime > 0, "the first item waited for the worker to start");
  });
});
