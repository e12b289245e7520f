/**
 * Port of sync_lock.py: Lock hand-over, fairness, cancellation races, errors and `using`. The
 * Python program only sleeps, so this runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

function* holder(lock: asyncio.Lock, name: string, hold: number): asyncio.Coro<void> {
  console.log(`${name} wants`);
  yield* lock.acquire();
  console.log(`${name} got`);
  try {
    yield* asyncio.sleep(hold);
  } finally {
    console.log(`${name} releases`);
    lock.release();
  }
}

function* fifo(): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  const tasks = [..."abc"].map((name) => asyncio.createTask(holder(lock, name, 0.01)));
  yield* asyncio.sleep(0);
  console.log("locked", py(lock.locked()));
  for (const task of tasks) yield* task;
  console.log("locked", py(lock.locked()));
}

function* fairness(): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  yield* lock.acquire();
  const waiter = asyncio.createTask(holder(lock, "waiter", 0));
  yield* asyncio.sleep(0);
  lock.release();
  console.log("released; locked", py(lock.locked()));
  console.log("main wants");
  yield* lock.acquire();
  console.log("main got");
  lock.release();
  yield* waiter;
}

function* cancelledWhileWaiting(): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  yield* lock.acquire();
  const task = asyncio.createTask(lock.acquire());
  asyncio.getRunningLoop().callSoon(() => task.cancel());
  try {
    yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("waiter cancelled; locked", py(lock.locked()));
  }
  lock.release();
  console.log("after release; locked", py(lock.locked()));
}

function* cancelledAsLockPasses(): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  const go = asyncio.getRunningLoop().createFuture<void>();
  const a = asyncio.createTask(
    (function* () {
      yield* lock.acquire();
      yield* go;
      console.log("first releases");
      lock.release();
    })(),
  );
  yield* asyncio.sleep(0);
  const b = asyncio.createTask(holder(lock, "b", 0));
  const c = asyncio.createTask(holder(lock, "c", 0));
  yield* asyncio.sleep(0);
  go.setResult();
  yield* asyncio.sleep(0);
  console.log("first done", py(a.done()));
  b.cancel();
  yield* c;
  console.log("b cancelled", py(b.cancelled()), "locked", py(lock.locked()));
}

function* cancelAndReleaseTogether(): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  const taken: string[] = [];
  function* lockit(name: string): asyncio.Coro<void> {
    yield* lock.acquire();
    taken.push(name);
  }
  yield* lock.acquire();
  const tasks = ["t1", "t2", "t3"].map((name) => asyncio.createTask(lockit(name)));
  yield* asyncio.sleep(0);
  asyncio.getRunningLoop().callSoon(() => {
    tasks[0]!.cancel();
    lock.release();
  });
  try {
    yield* tasks[0]!;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("t1 cancelled");
  }
  yield* asyncio.sleep(0);
  console.log(`taken [${taken.map((name) => `'${name}'`).join(", ")}]`);
  tasks[2]!.cancel();
  yield* asyncio.sleep(0);
  console.log("t3 cancelled", py(tasks[2]!.cancelled()));
}

function* jumpPastCancelled(): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  yield* lock.acquire();
  const b = asyncio.createTask(lock.acquire());
  yield* asyncio.sleep(0);
  const c = asyncio.createTask(lock.acquire());
  b.cancel();
  lock.release();
  yield* asyncio.sleep(0);
  console.log(
    "locked",
    py(lock.locked()),
    "b cancelled",
    py(b.cancelled()),
    "c done",
    py(c.done()),
  );
  lock.release();
}

function* errorsAndContextManager(): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  try {
    lock.release();
  } catch (error) {
    console.log("release unlocked:", (error as Error).name);
  }
  yield* asyncio.using(lock, function* () {
    console.log("inside: locked", py(lock.locked()));
  });
  console.log("after: locked", py(lock.locked()));
  try {
    yield* asyncio.using(lock, function* () {
      throw new asyncio.ValueError("body failed");
    });
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("body error passed through:", error.message, "locked", py(lock.locked()));
  }
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["fifo", fifo],
    ["fairness", fairness],
    ["cancelled_while_waiting", cancelledWhileWaiting],
    ["cancelled_as_lock_passes", cancelledAsLockPasses],
    ["cancel_and_release_together", cancelAndReleaseTogether],
    ["jump_past_cancelled", jumpPastCancelled],
    ["errors_and_context_manager", errorsAndContextManager],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
