/**
 * Type tests for structured concurrency: `yield* gather(a, b)` is `[A, B]`, `using` returns
 * the body's type (with `undefined` only for managers that may suppress errors), and the
 * combinators keep their inputs' types. Checked by `tsc`; the test runs the coroutines.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import type { Equal } from "./equal.ts";

function* num(): asyncio.Coro<number> {
  yield* asyncio.sleep(0);
  return 1;
}

function* str(): asyncio.Coro<string> {
  return "s";
}

/** A manager that never suppresses: `using` keeps the body's type as it is. */
class Plain implements asyncio.AsyncContextManager<Date, false> {
  *aenter(): asyncio.Coro<Date> {
    return new Date(0);
  }
  *aexit(): asyncio.Coro<false> {
    return false;
  }
}

function* main(): asyncio.Coro<void> {
  const task = asyncio.createTask(str());
  const loop = asyncio.getRunningLoop();
  const future = loop.createFuture<boolean>();
  future.setResult(true);

  const pair = yield* asyncio.gather(num(), task);
  const mixed = yield* asyncio.gather(num(), future, asyncio.sleep(0.1, 1n), Promise.resolve("p"));
  const none = yield* asyncio.gather();
  const fromList = yield* asyncio.gather([num(), str()]);
  const settled = yield* asyncio.gather([num(), str()], { returnExceptions: true });
  const coros = [num(), num()];
  const spread = yield* asyncio.gather(...coros);
  const gathering = asyncio.gather(num(), str());

  const fromTimeout = yield* asyncio.using(asyncio.timeout(1), function* (deadline) {
    const when: number | null = deadline.when();
    assert.equal(typeof when, "number");
    return 5;
  });
  const fromGroup = yield* asyncio.using(new asyncio.TaskGroup(), function* (tg) {
    const child = tg.createTask(num());
    return child;
  });
  const fromPlain = yield* asyncio.using(new Plain(), function* (date) {
    return date.getTime();
  });
  const nested = yield* asyncio.using(new Plain(), asyncio.timeout(1), function* (date, deadline) {
    return [date, deadline] as const;
  });
  const nestedMaySuppress = yield* asyncio.using(
    new Plain(),
    new asyncio.TaskGroup(),
    function* (_date, tg) {
      return tg;
    },
  );
  const managed = asyncio.asyncContextManager(function* (n: number) {
    yield* asyncio.emit(`n=${n}`);
  });
  const fromGenerator = yield* asyncio.using(managed(3), function* (text) {
    return text.length;
  });

  const waited = yield* asyncio.waitFor(num(), 1);
  const waitedTask = yield* asyncio.waitFor(task, null);
  const shielded = yield* asyncio.shield(task);
  const [done, pending] = yield* asyncio.wait([task, asyncio.createTask(num())]);
  let firstResult: number | undefined;
  for (const next of asyncio.asCompleted([num(), num()])) {
    firstResult = yield* next;
    break;
  }
  const finished = asyncio.asCompleted([task]);
  const step = yield* finished.next();

  const group = new asyncio.ExceptionGroup("m", [new Error("e")]);
  const [matched, rest] = group.split(TypeError);

  const checks: [
    Equal<typeof pair, [number, string]>,
    Equal<typeof mixed, [number, boolean, bigint, string]>,
    Equal<typeof none, []>,
    Equal<typeof fromList, [number, string]>,
    Equal<typeof settled, [number | Error, string | Error]>,
    Equal<typeof spread, number[]>,
    Equal<typeof gathering, asyncio.GatheringFuture<[number, string]>>,
    Equal<typeof fromTimeout, number>,
    Equal<typeof fromGroup, asyncio.Task<number> | undefined>,
    Equal<typeof fromPlain, number>,
    Equal<typeof nested, readonly [Date, asyncio.Timeout]>,
    Equal<typeof nestedMaySuppress, asyncio.TaskGroup | undefined>,
    Equal<typeof fromGenerator, number | undefined>,
    Equal<typeof waited, number>,
    Equal<typeof waitedTask, string>,
    Equal<typeof shielded, string>,
    Equal<typeof done, Set<asyncio.Task<string> | asyncio.Task<number>>>,
    Equal<typeof pending, Set<asyncio.Task<string> | asyncio.Task<number>>>,
    Equal<typeof firstResult, number | undefined>,
    Equal<typeof step, IteratorResult<asyncio.Future<string>, undefined>>,
    Equal<typeof matched, asyncio.ExceptionGroup | null>,
    Equal<typeof rest, asyncio.ExceptionGroup | null>,
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
    true,
    true,
  ];
  assert.ok(checks.every(Boolean));
}

// A body must be a function; a manager must have the protocol.
function misuse(): void {
  // @ts-expect-error: the body is missing
  asyncio.using(asyncio.timeout(1));
  // @ts-expect-error: a plain object is not a context manager
  asyncio.using({ enter() {} }, function* () {});
  // @ts-expect-error: wait() takes futures, not coroutines
  asyncio.wait([num()]);
  // @ts-expect-error: gather() takes awaitables
  asyncio.gather(1, 2);
}

it("type assertions hold (checked by tsc)", async () => {
  await asyncio.run(main(), { clock: "virtual" });
  assert.equal(typeof misuse, "function");
});
