/**
 * structure_arguments: gather, wait, asCompleted, waitFor, timeouts, shield and using refuse
 * bad arguments from plain JavaScript callers with CPython's error class and a message naming
 * what to pass; a refused call starts nothing and leaves the awaitables it was given untouched.
 */

import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { type BadCall, checkBadCallsNow, runVirtual } from "../helpers.ts";

const bad = (value: unknown): never => value as never;

function* job(): asyncio.Coro<string> {
  yield* asyncio.sleep(1);
  return "done";
}

it("the structure functions refuse bad arguments and change nothing", async () => {
  await runVirtual(
    (function* () {
      const future = asyncio.getRunningLoop().createFuture<string>();
      const coro = job();
      const rows: BadCall[] = [
        [
          "wait([f], { returnWhen: 'SOME' })",
          () => asyncio.wait([future], bad({ returnWhen: "SOME" })),
          asyncio.ValueError,
          /Invalid returnWhen value: "SOME"/,
        ],
        [
          "wait([f], { timout: 1 })",
          () => asyncio.wait([future], bad({ timout: 1 })),
          TypeError,
          /wait\(\): unknown option "timout"; the options are timeout, returnWhen/,
        ],
        [
          "wait([f], { timeout: '1' })",
          () => asyncio.wait([future], bad({ timeout: "1" })),
          TypeError,
          /timeout must be a number of seconds or null, got "1"/,
        ],
        [
          "wait([f], { timeout: NaN })",
          () => asyncio.wait([future], { timeout: Number.NaN }),
          asyncio.ValueError,
          /NaN/,
        ],
        [
          "gather([coro], { returnException })",
          () => asyncio.gather([coro], bad({ returnException: true })),
          TypeError,
          /gather\(\): unknown option "returnException"; the options are returnExceptions/,
        ],
        [
          "gather([coro], 1)",
          () => asyncio.gather([coro], bad(1)),
          TypeError,
          /gather\(\): options must be an object/,
        ],
        [
          "asCompleted([f], { timout })",
          () => asyncio.asCompleted([future], bad({ timout: 1 })),
          TypeError,
          /asCompleted\(\): unknown option "timout"; the options are timeout/,
        ],
        [
          "asCompleted([f], { timeout: NaN })",
          () => asyncio.asCompleted([future], { timeout: Number.NaN }),
          asyncio.ValueError,
          /NaN/,
        ],
        ["waitFor(f, '1')", () => asyncio.waitFor(future, bad("1")), TypeError, /got "1"/],
        ["waitFor(f, NaN)", () => asyncio.waitFor(future, Number.NaN), asyncio.ValueError, /NaN/],
        ["timeout('1')", () => asyncio.timeout(bad("1")), TypeError, /got "1"/],
        ["timeout(NaN)", () => asyncio.timeout(Number.NaN), asyncio.ValueError, /NaN/],
        ["timeoutAt(NaN)", () => asyncio.timeoutAt(Number.NaN), asyncio.ValueError, /NaN/],
        ["shield(1)", () => asyncio.shield(bad(1)), TypeError, /awaitable is required/],
        ["using(1, body)", () => asyncio.using(bad(1), function* () {}), TypeError, /using/],
        [
          "new ExceptionGroup(1, [])",
          () => new asyncio.ExceptionGroup(bad(1), []),
          TypeError,
          /message must be a string/,
        ],
        [
          "captureCallGraph({ dept })",
          () => asyncio.captureCallGraph(future, bad({ dept: 1 })),
          TypeError,
          /captureCallGraph\(\): unknown option "dept"; the options are depth, limit/,
        ],
        [
          "formatCallGraph({ limit: -1 })",
          () => asyncio.formatCallGraph(future, { limit: -1 }),
          asyncio.ValueError,
          /formatCallGraph\(\): limit must be a non-negative integer, got -1/,
        ],
      ];
      checkBadCallsNow(rows);
      assert.equal(future.done(), false);
      // The refused gather() calls did not take the coroutine: a task still can.
      assert.equal(yield* asyncio.createTask(coro), "done");
      assert.equal(asyncio.allTasks().size, 1, "nothing left running but the main task");
    })(),
  );
});
