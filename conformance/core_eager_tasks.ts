/**
 * Port of core_eager_tasks.py: eager tasks (`createTask(coro, { eagerStart: true })` and
 * `eagerTaskFactory`). The Python program never waits on time: virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : value === null ? "None" : String(value);

const request = new asyncio.ContextVar<string>("request", { default: "none" });
let mainTask: asyncio.Task<unknown> | null = null;

function* steps(name: string, count: number): asyncio.Coro<string> {
  for (let step = 0; step < count; step++) {
    const current = asyncio.currentTask();
    console.log(`${name} step ${step} (in its own task: ${py(current !== mainTask)})`);
    yield* asyncio.sleep(0);
  }
  console.log(`${name} done`);
  return `${name} result`;
}

function* noSuspension(name: string): asyncio.Coro<number> {
  console.log(`${name} runs to completion without suspending`);
  return 42;
}

function* failsAtOnce(): asyncio.Coro<never> {
  throw new asyncio.ValueError("failed eagerly");
}

function* eagerStartRunsSynchronously(): asyncio.Coro<void> {
  console.log("before create_task");
  const task = asyncio.createTask(steps("eager", 2), { name: "eager", eagerStart: true });
  console.log(
    "after create_task; done ->",
    py(task.done()),
    "current task ->",
    asyncio.currentTask()!.getName(),
  );
  console.log("await ->", yield* task);
}

function* finishesWithoutSuspending(): asyncio.Coro<void> {
  const task = asyncio.createTask(noSuspension("quick"), { name: "quick", eagerStart: true });
  console.log("done ->", py(task.done()), "result ->", task.result());
  console.log("in all_tasks ->", py(asyncio.allTasks().has(task)));
  console.log("cancel() ->", py(task.cancel()));
  const failing = asyncio.createTask(failsAtOnce(), { eagerStart: true });
  console.log(
    "failing done ->",
    py(failing.done()),
    "exception ->",
    (failing.exception() as Error).name,
  );
}

function* joinsTheReadyQueue(): asyncio.Coro<void> {
  const lazy = asyncio.createTask(steps("lazy", 2), { name: "lazy" });
  const eager = asyncio.createTask(steps("eager", 2), { name: "eager", eagerStart: true });
  console.log("both created");
  yield* lazy;
  yield* eager;
}

function* awaitingADoneFuture(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<string>();
  fut.setResult("ready");
  function* body(): asyncio.Coro<string> {
    const value = yield* fut;
    console.log("got", value, "without suspending");
    return value;
  }
  const task = asyncio.createTask(body(), { eagerStart: true });
  console.log("done ->", py(task.done()));
}

function* eagerTaskFactory(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  loop.setTaskFactory(asyncio.eagerTaskFactory);
  try {
    console.log("creating a");
    const a = asyncio.createTask(steps("a", 2));
    console.log("creating b");
    const b = asyncio.createTask(noSuspension("b"), { name: "b" });
    console.log("b done ->", py(b.done()), "name ->", b.getName());
    yield* a;
  } finally {
    loop.setTaskFactory(null);
  }
}

function* eagerContext(): asyncio.Coro<void> {
  function* body(): asyncio.Coro<void> {
    console.log("eager body sees", request.get());
    request.set("changed by the eager task");
    console.log("eager body set it to", request.get());
    yield* asyncio.sleep(0);
    console.log("eager body still sees", request.get());
  }
  request.set("main's value");
  const task = asyncio.createTask(body(), { eagerStart: true });
  console.log("main still sees", request.get());
  yield* task;
}

function* eagerFromACallback(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const done = loop.createFuture<string>();
  loop.callSoon(() => {
    const task = asyncio.createTask(steps("from-callback", 1), {
      name: "from-callback",
      eagerStart: true,
    });
    console.log("callback: current task after eager start ->", py(asyncio.currentTask()));
    task.addDoneCallback((t) => done.setResult(t.result()));
  });
  console.log("await ->", yield* done);
}

function* cancelledDuringTheEagerStep(): asyncio.Coro<void> {
  function* selfCancel(): asyncio.Coro<void> {
    console.log("eager body cancels itself:", py(asyncio.currentTask()!.cancel()));
    yield* asyncio.sleep(0);
    console.log("never printed");
  }
  const task = asyncio.createTask(selfCancel(), { eagerStart: true });
  console.log("after create_task: done ->", py(task.done()), "cancelling() ->", task.cancelling());
  try {
    yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("ended cancelled ->", py(task.cancelled()));
  }
}

function* nestedEagerTasks(): asyncio.Coro<void> {
  function* inner(): asyncio.Coro<void> {
    console.log("inner runs as", asyncio.currentTask()!.getName());
    yield* asyncio.sleep(0);
  }
  function* outer(): asyncio.Coro<void> {
    const child = asyncio.createTask(inner(), { name: "inner", eagerStart: true });
    console.log("outer is current again:", asyncio.currentTask()!.getName());
    yield* child;
  }
  yield* asyncio.createTask(outer(), { name: "outer", eagerStart: true });
}

function* main(): asyncio.Coro<void> {
  mainTask = asyncio.currentTask();
  mainTask!.setName("main");
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["eager_start_runs_synchronously", eagerStartRunsSynchronously],
    ["finishes_without_suspending", finishesWithoutSuspending],
    ["joins_the_ready_queue", joinsTheReadyQueue],
    ["awaiting_a_done_future", awaitingADoneFuture],
    ["eager_task_factory", eagerTaskFactory],
    ["eager_context", eagerContext],
    ["eager_from_a_callback", eagerFromACallback],
    ["cancelled_during_the_eager_step", cancelledDuringTheEagerStep],
    ["nested_eager_tasks", nestedEagerTasks],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
