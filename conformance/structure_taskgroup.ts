/**
 * Port of structure_taskgroup.py: TaskGroup errors, cancellation and nesting. Only sleeps:
 * runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const { TaskGroup, using } = asyncio;

/** Python's repr of strings, booleans and lists. */
function py(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  if (typeof value === "string") return value.includes("'") ? `"${value}"` : `'${value}'`;
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

function* child(name: string, delay: number, log: string[], fail = false): asyncio.Coro<string> {
  try {
    yield* asyncio.sleep(delay);
  } catch (error) {
    if (asyncio.isCancelledError(error)) log.push(`${name} cancelled`);
    throw error;
  }
  if (fail) {
    log.push(`${name} fails`);
    throw new asyncio.ValueError(name);
  }
  log.push(`${name} done`);
  return name;
}

function names(group: asyncio.ExceptionGroup): string[] {
  return group.exceptions.map((error) =>
    error instanceof asyncio.ExceptionGroup
      ? `group${py(names(error))}`
      : `${(error as Error).name}:${(error as Error).message}`,
  );
}

function* main(): asyncio.Coro<void> {
  const current = asyncio.currentTask()!;

  console.log("== all finish");
  let log: string[] = [];
  let a!: asyncio.Task<string>;
  let b!: asyncio.Task<string>;
  yield* using(new TaskGroup(), function* (tg) {
    a = tg.createTask(child("a", 0.02, log));
    b = tg.createTask(child("b", 0.01, log));
    log.push("body end");
  });
  console.log(py(log), a.result(), b.result());

  console.log("== first error cancels the rest");
  log = [];
  try {
    yield* using(new TaskGroup(), function* (tg) {
      tg.createTask(child("bad", 0.01, log, true));
      tg.createTask(child("sibling", 1, log));
      try {
        yield* asyncio.sleep(1);
      } catch (error) {
        if (asyncio.isCancelledError(error)) log.push("body cancelled");
        throw error;
      }
    });
  } catch (error) {
    if (!(error instanceof asyncio.ExceptionGroup)) throw error;
    console.log(error.name, error.message, py(names(error)));
  }
  console.log(py(log), "cancelling:", current.cancelling());

  console.log("== several errors and the body's");
  log = [];
  try {
    yield* using(new TaskGroup(), function* (tg) {
      tg.createTask(child("one", 0.01, log, true));
      tg.createTask(child("two", 0.01, log, true));
      try {
        yield* asyncio.sleep(1);
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: ported as written
        throw new asyncio.RuntimeError("body");
      }
    });
  } catch (error) {
    if (!(error instanceof asyncio.ExceptionGroup)) throw error;
    console.log(py(names(error)));
  }
  console.log(py(log));

  console.log("== outside cancellation");
  log = [];
  function* runner(): asyncio.Coro<void> {
    yield* using(new TaskGroup(), function* (tg) {
      tg.createTask(child("x", 1, log));
      tg.createTask(child("y", 1, log));
      yield* asyncio.sleep(1);
    });
  }
  let task = asyncio.createTask(runner());
  yield* asyncio.sleep(0.01);
  task.cancel();
  try {
    yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("runner raised CancelledError; cancelled():", py(task.cancelled()), py(log.sort()));
  }

  console.log("== child fails while the parent is being cancelled");
  log = [];
  const gate = asyncio.getRunningLoop().createFuture<void>();
  function* crash(): asyncio.Coro<void> {
    yield* gate;
    log.push("crash fails");
    throw new asyncio.ValueError("crash");
  }
  function* slowBody(): asyncio.Coro<void> {
    yield* using(new TaskGroup(), function* (tg) {
      tg.createTask(crash());
      try {
        yield* asyncio.sleep(1);
      } catch (error) {
        if (!asyncio.isCancelledError(error)) throw error;
        log.push("body cancelled, cleaning up");
        yield* asyncio.sleep(0.05);
        throw error;
      }
    });
  }
  task = asyncio.createTask(slowBody());
  yield* asyncio.sleep(0.01);
  task.cancel();
  gate.setResult(undefined);
  try {
    yield* task;
  } catch (error) {
    if (!(error instanceof asyncio.ExceptionGroup)) throw error;
    console.log("runner raised", py(names(error)), "cancelling:", task.cancelling());
  }
  console.log(py(log));

  console.log("== create_task on a finished group");
  const finished = new TaskGroup();
  yield* using(finished, function* () {});
  try {
    finished.createTask(child("late", 0, log));
  } catch (error) {
    if (error instanceof asyncio.RuntimeError) console.log("RuntimeError");
  }

  console.log("== nested groups");
  log = [];
  try {
    yield* using(new TaskGroup(), function* (outer) {
      outer.createTask(child("outer-child", 1, log));
      yield* using(new TaskGroup(), function* (inner) {
        inner.createTask(child("inner-bad", 0.01, log, true));
      });
    });
  } catch (error) {
    if (!(error instanceof asyncio.ExceptionGroup)) throw error;
    console.log(py(names(error)));
  }
  console.log(py(log), "cancelling:", current.cancelling());

  console.log("== both groups cancel the parent");
  try {
    yield* using(new TaskGroup(), function* (outer) {
      try {
        yield* using(new TaskGroup(), function* (inner) {
          inner.createTask(child("i", 0, [], true));
          outer.createTask(child("o", 0, [], true));
        });
      } catch (error) {
        if (!(error instanceof asyncio.ExceptionGroup)) throw error;
        console.log("inner", py(names(error)), "cancelling:", current.cancelling());
      }
    });
  } catch (error) {
    if (!(error instanceof asyncio.ExceptionGroup)) throw error;
    console.log("outer", py(names(error)), "cancelling:", current.cancelling());
  }
}

await asyncio.run(main(), { clock: "virtual" });
