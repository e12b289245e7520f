/**
 * Port of core_contextvars.py: context variables across tasks, callbacks, Context.run and
 * tokens. The Python program only sleeps and uses timers: virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

const request = new asyncio.ContextVar<string>("request", { default: "none" });
const user = new asyncio.ContextVar<string>("user");

function* tasksCopyTheirCreationContext(): asyncio.Coro<void> {
  function* child(name: string): asyncio.Coro<void> {
    console.log(`${name} starts with`, request.get());
    request.set(`set by ${name}`);
    yield* asyncio.sleep(0);
    console.log(`${name} keeps`, request.get(), "across its steps");
  }
  request.set("first");
  const a = asyncio.createTask(child("a"));
  request.set("second");
  const b = asyncio.createTask(child("b"));
  request.set("main's own");
  yield* a;
  yield* b;
  console.log("main still sees", request.get());
}

function* callbacksUseTheSchedulingContext(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  const callback = (label: string) => {
    console.log(`${label} sees`, request.get());
    request.set(`changed by ${label}`);
  };
  request.set("when cb1 was scheduled");
  loop.callSoon(callback, "cb1");
  request.set("when cb2 was scheduled");
  loop.callSoon(callback, "cb2");
  loop.callLater(0.01, callback, "timer");
  request.set("after scheduling");
  loop.callSoon(callback, "cb3");
  loop.callLater(0.02, () => done.setResult());
  yield* done;
  console.log("main sees", request.get());
}

function* doneCallbacks(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<void>();
  request.set("when the done callback was added");
  fut.addDoneCallback(() => console.log("done callback sees", request.get()));
  const ctx = asyncio.copyContext();
  ctx.run(() => request.set("explicit context"));
  fut.addDoneCallback(() => console.log("with context= sees", request.get()), { context: ctx });
  request.set("when the result was set");
  fut.setResult();
  yield* asyncio.sleep(0);
}

function* taskWithAnExplicitContext(): asyncio.Coro<void> {
  function* child(): asyncio.Coro<void> {
    console.log("child sees", request.get());
    request.set("written by the child");
  }
  const ctx = asyncio.copyContext();
  ctx.run(() => request.set("in ctx"));
  yield* asyncio.createTask(child(), { context: ctx });
  console.log("ctx now holds", ctx.get(request), "; main sees", request.get());
}

function* taskCreatedInACallback(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<void>();
  function* child(): asyncio.Coro<void> {
    console.log("task made by a callback sees", request.get());
    done.setResult();
  }
  request.set("scheduling value");
  loop.callSoon(() => {
    request.set("callback's value");
    asyncio.createTask(child());
  });
  yield* done;
}

function* contextRun(): asyncio.Coro<void> {
  request.set("outside");
  const ctx = asyncio.copyContext();
  const inside = (value: string) => {
    console.log("inside run sees", request.get());
    request.set(value);
    return `returned ${value}`;
  };
  console.log(ctx.run(inside, "changed inside"));
  console.log("outside sees", request.get(), "; ctx holds", ctx.get(request));
  console.log(
    "ctx.run again sees",
    ctx.run(() => request.get()),
  );
  console.log("has user ->", py(ctx.has(user)), "; len(ctx) ->", ctx.size);
  try {
    ctx.run(() => ctx.run(() => undefined));
  } catch (error) {
    if (!(error instanceof asyncio.RuntimeError)) throw error;
    console.log("entering a context twice: RuntimeError");
  }
}

function* tokens(): asyncio.Coro<void> {
  try {
    user.get();
  } catch (error) {
    if (!(error instanceof asyncio.LookupError)) throw error;
    console.log("no value and no default: LookupError");
  }
  console.log("get with a fallback ->", user.get("fallback"));
  const first = user.set("alice");
  console.log("token old value is MISSING ->", py(first.oldValue === asyncio.Token.MISSING));
  const second = user.set("bob");
  console.log("now", user.get(), "; old value", String(second.oldValue));
  user.reset(second);
  console.log("after reset", user.get());
  user.reset(first);
  console.log("after resetting the first token, has a value ->", py(user.get(null) !== null));
  try {
    user.reset(first);
  } catch (error) {
    if (!(error instanceof asyncio.RuntimeError)) throw error;
    console.log("a token used twice: RuntimeError");
  }
  console.log(
    "request default ->",
    asyncio.copyContext().run(() => request.get()),
  );
  try {
    user.reset(request.set("other variable"));
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("a token of another variable: ValueError");
  }
  const otherContext = asyncio.copyContext().run(() => user.set("other context"));
  try {
    user.reset(otherContext);
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("a token of another context: ValueError");
  }
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["tasks_copy_their_creation_context", tasksCopyTheirCreationContext],
    ["callbacks_use_the_scheduling_context", callbacksUseTheSchedulingContext],
    ["done_callbacks", doneCallbacks],
    ["task_with_an_explicit_context", taskWithAnExplicitContext],
    ["task_created_in_a_callback", taskCreatedInACallback],
    ["context_run", contextRun],
    ["tokens", tokens],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* asyncio.createTask(section(), { context: new asyncio.Context() });
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
