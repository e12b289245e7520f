/**
 * Port of core_async_generators.py: async generators driven by hand. The Python program only
 * sleeps, so this runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const echo = asyncio.asyncGenerator(function* () {
  let received: unknown;
  try {
    for (;;) received = yield* asyncio.emit(`got ${received ?? "None"}`);
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("echo caught ValueError", error.message);
    yield* asyncio.emit("after the throw");
  } finally {
    console.log("echo finally starts");
    yield* asyncio.sleep(0.01);
    console.log("echo finally awaited");
  }
});

const emitsInFinally = asyncio.asyncGenerator(function* () {
  try {
    yield* asyncio.emit(1);
  } finally {
    console.log("emits_in_finally: finally tries to yield");
    yield* asyncio.emit(2);
  }
});

const slow = asyncio.asyncGenerator(function* () {
  yield* asyncio.sleep(0.01);
  yield* asyncio.emit("slow value");
});

/** `await anext(gen)`: the next value, or StopAsyncIteration (printed by the caller). */
function* anext<T>(gen: asyncio.AsyncGen<T, void>): asyncio.Coro<T | "StopAsyncIteration"> {
  const step = yield* gen.next();
  return step.done ? "StopAsyncIteration" : step.value;
}

function* sendAndThrow(): asyncio.Coro<void> {
  const gen = echo();
  console.log((yield* gen.asend(undefined)).value);
  console.log((yield* gen.asend("x")).value);
  console.log(yield* anext(gen));
  console.log((yield* gen.athrow(new asyncio.ValueError("v"))).value);
  if ((yield* anext(gen)) === "StopAsyncIteration") console.log("exhausted: StopAsyncIteration");
  if ((yield* anext(gen)) === "StopAsyncIteration") console.log("again: StopAsyncIteration");
}

function* explicitAclose(): asyncio.Coro<void> {
  const gen = echo();
  console.log(yield* anext(gen));
  yield* gen.aclose();
  console.log("aclose returned");
  yield* gen.aclose();
  console.log("second aclose does nothing");
  if ((yield* anext(gen)) === "StopAsyncIteration") {
    console.log("after aclose: StopAsyncIteration");
  }
}

function* acloseBeforeStart(): asyncio.Coro<void> {
  const gen = echo();
  yield* gen.aclose();
  console.log("closing a generator that never started runs nothing");
}

function* yieldWhileClosing(): asyncio.Coro<void> {
  const gen = emitsInFinally();
  console.log(yield* anext(gen));
  try {
    yield* gen.aclose();
  } catch (error) {
    if (error instanceof asyncio.RuntimeError) console.log("aclose raised RuntimeError");
    else throw error;
  }
}

function* sendBeforeStart(): asyncio.Coro<void> {
  const gen = echo();
  try {
    yield* gen.asend("too early");
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    console.log("asend of a value to a just-started generator: TypeError");
  }
  yield* gen.aclose();
}

function* throwBeforeStart(): asyncio.Coro<void> {
  const gen = echo();
  try {
    yield* gen.athrow(new asyncio.ValueError("early"));
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("athrow before start re-raised ValueError", error.message);
  }
  if ((yield* anext(gen)) === "StopAsyncIteration") console.log("then: StopAsyncIteration");
}

function* alreadyRunning(): asyncio.Coro<void> {
  const gen = slow();
  const first = asyncio.createTask(anext(gen));
  yield* asyncio.sleep(0);
  try {
    yield* anext(gen);
  } catch (error) {
    if (!(error instanceof asyncio.RuntimeError)) throw error;
    console.log("a second anext while the first waits: RuntimeError");
  }
  console.log("first anext ->", yield* first);
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["send_and_throw", sendAndThrow],
    ["explicit_aclose", explicitAclose],
    ["aclose_before_start", acloseBeforeStart],
    ["yield_while_closing", yieldWhileClosing],
    ["send_before_start", sendBeforeStart],
    ["throw_before_start", throwBeforeStart],
    ["already_running", alreadyRunning],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
