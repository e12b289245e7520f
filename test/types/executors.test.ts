/**
 * Type tests for executors: work is typed from its module (`import type * as work`), so
 * `yield*` of a submitted item infers the function's (awaited) return type, and a misspelt
 * export, a non-function export or wrong arguments do not compile. Checked by `tsc`; the
 * runtime test only runs a few of them.
 */

import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import type * as work from "../executors/fixtures/work.ts";
import type { Equal } from "./equal.ts";

const tasks = asyncio.workModule<typeof work>(
  new URL("../executors/fixtures/work.ts", import.meta.url),
);

const fib = tasks.fn("fib");
const addLater = tasks.fn("addLater");

function* main(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
  yield* asyncio.using(pool, function* (entered) {
    const fromSubmit = yield* entered.submit(fib, 10);
    const fromAsync = yield* entered.submit(addLater, 1, 2);
    const future = entered.submit(fib, 3);
    const waited = yield* entered.submitWait(fib, 4);
    const fromLoop = yield* loop.runInExecutor(entered, fib, 5);
    const fromToThread = yield* asyncio.toThread(tasks.fn("whereAmI"));
    // A generic export is typed with its type parameters' constraints.
    const fromGeneric = yield* asyncio.toThread(tasks.fn("echo"), { nested: [1, 2] });
    const squares = entered.map(tasks.fn("square"), [1, 2, 3]);
    const step = yield* squares.next();
    yield* squares.aclose();

    const checks: [
      Equal<typeof fib, asyncio.WorkFn<[n: number], number>>,
      Equal<typeof addLater, asyncio.WorkFn<[a: number, b: number], number>>,
      Equal<typeof fromSubmit, number>,
      Equal<typeof fromAsync, number>,
      Equal<typeof future, asyncio.Future<number>>,
      Equal<typeof waited, asyncio.Future<number>>,
      Equal<typeof fromLoop, number>,
      Equal<typeof fromToThread, { threadId: number; pid: number }>,
      Equal<typeof fromGeneric, unknown>,
      Equal<typeof squares, asyncio.AsyncGen<number, void>>,
      Equal<typeof step, IteratorResult<number, void | undefined>>,
      Equal<
        asyncio.WorkFunctionName<typeof work>,
        Exclude<keyof typeof work, "notAFunction" | "ValidationError" | "UnnamedError" | "TooLarge">
      >,
    ] = [
      true, // fib
      true, // addLater
      true, // fromSubmit
      true, // fromAsync
      true, // future
      true, // waited
      true, // fromLoop
      true, // fromToThread
      true, // fromGeneric
      true, // squares
      true, // step
      true, // names
    ];
    assert.equal(entered, pool);
    assert.ok(checks.every(Boolean));
  });
}

// A misspelt export does not compile, nor does an export that is not a function.
function misspelt(): void {
  // @ts-expect-error: work.ts has no export "fbi"
  tasks.fn("fbi");
  // @ts-expect-error: "notAFunction" is a number
  tasks.fn("notAFunction");
}

// Wrong argument types or counts do not compile.
function* wrongArguments(pool: asyncio.Executor): asyncio.Coro<void> {
  // @ts-expect-error: fib takes a number
  pool.submit(fib, "27");
  // @ts-expect-error: fib takes one argument
  pool.submit(fib, 1, 2);
  // @ts-expect-error: add takes two numbers
  yield* asyncio.toThread(tasks.fn("add"), 1);
  // @ts-expect-error: map calls fn(item): add needs two arguments
  pool.map(tasks.fn("add"), [1, 2]);
  // @ts-expect-error: the items must be what square takes
  pool.map(tasks.fn("square"), ["a"]);
  // @ts-expect-error: initargs must match the initializer's parameters
  new asyncio.ThreadPoolExecutor({ initializer: tasks.fn("setup"), initargs: [1] });
}

// A function is not work: work is named by module and export.
function plainFunction(pool: asyncio.Executor): void {
  // @ts-expect-error: a plain function cannot be sent to a worker
  pool.submit((n: number) => n, 1);
}

it("type assertions hold (checked by tsc)", async () => {
  await asyncio.run(main());
  assert.equal(typeof misspelt, "function");
  assert.equal(typeof wrongArguments, "function");
  assert.equal(typeof plainFunction, "function");
});
