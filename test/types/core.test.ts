/**
 * Type tests for the core: `yield*` infers each awaitable's result type, and misuse does not
 * compile. The assertions are checked by `tsc`; the test itself only runs the coroutines.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import type { Equal } from "./equal.ts";

function* child(): asyncio.Coro<number> {
  return 1;
}

function* inferred() {
  yield* asyncio.sleep(0);
  return "text";
}

function* main(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const fromCoro = yield* child();
  const task = asyncio.createTask(child());
  const fromTask = yield* task;
  const future = loop.createFuture<Date>();
  future.setResult(new Date(0));
  const fromFuture = yield* future;
  const slept = yield* asyncio.sleep(0.1, { ok: true });
  const nothing = yield* asyncio.sleep(0);
  const fromPromise = yield* asyncio.fromPromise(Promise.resolve([1, 2] as const));
  const aborted = yield* asyncio.abortable(async () => 5n);
  const fromInferred = yield* inferred();
  const gen = asyncio.asyncGenerator(function* (n: number) {
    yield* asyncio.emit(n);
    yield* asyncio.emit("s");
    return true;
  })(1);
  const step = yield* gen.next();

  const checks: [
    Equal<typeof fromCoro, number>,
    Equal<typeof task, asyncio.Task<number>>,
    Equal<typeof fromTask, number>,
    Equal<typeof fromFuture, Date>,
    Equal<typeof slept, { ok: boolean }>,
    Equal<typeof nothing, void>,
    Equal<typeof fromPromise, readonly [1, 2]>,
    Equal<typeof aborted, bigint>,
    Equal<typeof fromInferred, string>,
    Equal<typeof step, IteratorResult<string | number, boolean | undefined>>,
    Equal<asyncio.AwaitedOf<asyncio.Task<string>>, string>,
    Equal<asyncio.ExceptionContext["task"], asyncio.Task<unknown> | string | undefined>,
    Equal<asyncio.ExceptionContext["future"], asyncio.Future<unknown> | string | undefined>,
  ] = [true, true, true, true, true, true, true, true, true, true, true, true, true];
  assert.ok(checks.every(Boolean));
}

// A missing star does not compile: a Future is not something a coroutine may yield.
function* missingStar(future: asyncio.Future<number>): asyncio.Coro<void> {
  // @ts-expect-error: `yield future` must be `yield* future`
  yield future;
}

// A Promise cannot be yielded either.
function* yieldedPromise(): asyncio.Coro<void> {
  // @ts-expect-error: wrap Promises with asyncio.fromPromise
  yield Promise.resolve(1);
}

// Nor can a coroutine be awaited without its star.
function* coroutineWithoutStar(): asyncio.Coro<void> {
  // @ts-expect-error: `yield child()` must be `yield* child()`
  yield child();
}

it("type assertions hold (checked by tsc)", async () => {
  await asyncio.run(main());
  assert.equal(typeof missingStar, "function");
  assert.equal(typeof yieldedPromise, "function");
  assert.equal(typeof coroutineWithoutStar, "function");
});
