/**
 * core_arguments: every public entry point of the core refuses bad arguments from plain
 * JavaScript callers with CPython's error class (TypeError for a wrong type, ValueError for a
 * wrong value) and a message naming what to pass; a refused call changes nothing.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { type BadCall, checkBadCalls, checkBadCallsNow, refusal, runVirtual } from "../helpers.ts";

function* job(): asyncio.Coro<number> {
  return 1;
}

/** Calls with `never` arguments: what a plain JavaScript caller may pass. */
const bad = (value: unknown): never => value as never;

describe("core: bad arguments outside a loop", () => {
  it("run(), Runner and EventLoop refuse them with CPython's classes", async () => {
    const future = new asyncio.Future(asyncio.newEventLoop());
    const runner = new asyncio.Runner({ clock: "virtual" });
    const rows: BadCall[] = [
      ["run(1)", () => asyncio.run(bad(1)), asyncio.ValueError, /run\(\) expects a coroutine/],
      ["run(lambda)", () => asyncio.run(bad(() => 1)), asyncio.ValueError, /plain function/],
      ["run(function*)", () => asyncio.run(bad(job)), asyncio.ValueError, /call it/],
      ["run(future)", () => asyncio.run(bad(future)), asyncio.ValueError, /got <Future pending/],
      [
        "run(coro, { clok })",
        () => asyncio.run(job(), bad({ clok: "virtual" })),
        TypeError,
        /run\(\): unknown option "clok"; the options are debug, clock, loopFactory/,
      ],
      [
        "run(coro, null)",
        () => asyncio.run(job(), bad(null)),
        TypeError,
        /options must be an object/,
      ],
      [
        "run(coro, { debug: 'yes' })",
        () => asyncio.run(job(), bad({ debug: "yes" })),
        TypeError,
        /debug must be true or false, got "yes"/,
      ],
      [
        "run(coro, { loopFactory: 1 })",
        () => asyncio.run(job(), bad({ loopFactory: 1 })),
        TypeError,
        /loopFactory must be a function/,
      ],
      ["Runner({ bogus })", () => new asyncio.Runner(bad({ bogus: 1 })), TypeError, /"bogus"/],
      ["Runner.run(123)", () => runner.run(bad(123)), asyncio.ValueError, /got number 123/],
      [
        "Runner.run(future)",
        () => runner.run(bad(future)),
        asyncio.ValueError,
        /^Runner\.run\(\) expects a coroutine object, got <Future pending.*future inside one$/,
      ],
      [
        "Runner.run(coro, { ctx })",
        () => runner.run(job(), bad({ ctx: null })),
        TypeError,
        /unknown option "ctx"/,
      ],
      [
        "Runner.run(coro, { context: {} })",
        () => runner.run(job(), bad({ context: {} })),
        TypeError,
        /context must be a Context/,
      ],
      [
        "newEventLoop({ clock: 'fast' })",
        () => asyncio.newEventLoop(bad({ clock: "fast" })),
        asyncio.ValueError,
        /clock must be "real" or "virtual"/,
      ],
      [
        "newEventLoop({ debg })",
        () => asyncio.newEventLoop(bad({ debg: true })),
        TypeError,
        /unknown option "debg"; the options are clock, debug/,
      ],
      [
        "ensureFuture(1) with no loop running",
        () => asyncio.ensureFuture(bad(1)),
        TypeError,
        /An asyncio Future, a coroutine or an awaitable is required, got number 1/,
      ],
      ["sleep('1')", () => asyncio.sleep(bad("1")), TypeError, /delay must be a number/],
      ["sleep(NaN)", () => asyncio.sleep(Number.NaN), asyncio.ValueError, /NaN/],
      ["ContextVar(1)", () => new asyncio.ContextVar(bad(1)), TypeError, /must be a string/],
      [
        "ContextVar('x', { defualt })",
        () => new asyncio.ContextVar("x", bad({ defualt: 1 })),
        TypeError,
        /ContextVar\(\): unknown option "defualt"; the options are default/,
      ],
      [
        "copyContext().run(1)",
        () => asyncio.copyContext().run(bad(1)),
        TypeError,
        /Context\.run\(fn\): fn must be a function to run in the context, got 1/,
      ],
      [
        "setLogger({ warn })",
        () => asyncio.setLogger(bad({ warn: () => {} })),
        TypeError,
        /setLogger\(\): the logger must be an object with warning\(message\) and error\(message, error\) methods/,
      ],
      [
        "createEagerTaskFactory(1)",
        () => asyncio.createEagerTaskFactory(bad(1)),
        TypeError,
        /taskConstructor must be a Task class/,
      ],
    ];
    const logger = asyncio.setLogger(null);
    asyncio.setLogger(logger);
    await checkBadCalls(rows);
    assert.equal(asyncio.setLogger(logger), logger, "the refused setLogger() kept the logger");
    assert.equal(await runner.run(job()), 1, "the runner still works after the refused calls");
    await runner.close();
  });

  it("no message calls a Future a Promise", async () => {
    const loop = asyncio.newEventLoop();
    const error = await refusal(() => asyncio.run(bad(loop.createTask(job()))));
    assert.doesNotMatch(String(error), /Promise/);
    assert.match(
      String(error),
      /got <Task pending name='Task-\d+'>: pass the coroutine itself, or yield\* the task inside one/,
    );
    loop.close();
  });
});

describe("core: bad arguments on a running loop", () => {
  it("loop methods, createTask and futures refuse them and change nothing", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const future = loop.createFuture<number>();
        const coro = job();
        const rows: BadCall[] = [
          ["callSoon('f')", () => loop.callSoon(bad("f")), TypeError, /callSoon/],
          ["callLater('1', f)", () => loop.callLater(bad("1"), () => {}), TypeError, /delay/],
          ["callLater(NaN, f)", () => loop.callLater(Number.NaN, () => {}), TypeError, /NaN/],
          ["callAt(NaN, f)", () => loop.callAt(Number.NaN, () => {}), TypeError, /NaN/],
          ["callAt(1, 'f')", () => loop.callAt(1, bad("f")), TypeError, /callAt/],
          [
            "setTaskFactory('f')",
            () => loop.setTaskFactory(bad("f")),
            TypeError,
            /setTaskFactory\(\) expects a function/,
          ],
          [
            "createTask(coro, { nme })",
            () => asyncio.createTask(coro, bad({ nme: "x" })),
            TypeError,
            /createTask\(\): unknown option "nme"; the options are name, context, eagerStart/,
          ],
          [
            "createTask(coro, { context: {} })",
            () => asyncio.createTask(coro, bad({ context: {} })),
            TypeError,
            /context must be a Context/,
          ],
          ["createTask(1)", () => asyncio.createTask(bad(1)), TypeError, /createTask\(\)/],
          [
            "ensureFuture(1)",
            () => asyncio.ensureFuture(bad(1)),
            TypeError,
            /awaitable is required/,
          ],
          ["addDoneCallback(1)", () => future.addDoneCallback(bad(1)), TypeError, /function/],
        ];
        checkBadCallsNow(rows);
        assert.equal(loop.getTaskFactory(), null);
        assert.equal(future.done(), false);
        // The coroutine refused twice was not taken: a task can still drive it.
        assert.equal(yield* asyncio.createTask(coro), 1);
      })(),
    );
  });
});
