/**
 * Port of sync_semaphore.py: Semaphore and BoundedSemaphore FIFO rules and errors. The Python
 * program only sleeps, so this runs on the virtual clock. `sem._value` reads as
 * `statistics().value`.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);
const pyList = (values: unknown[]): string =>
  `[${values.map((value) => (typeof value === "string" ? `'${value}'` : py(value))).join(", ")}]`;

function* limitsAndOrder(): asyncio.Coro<void> {
  const sem = new asyncio.Semaphore(2);
  const gates = new Map([..."abcd"].map((name) => [name, new asyncio.Event()]));
  function* worker(name: string): asyncio.Coro<void> {
    yield* asyncio.using(sem, function* () {
      console.log(`${name} in, value ${sem.statistics().value}`);
      yield* gates.get(name)!.wait();
    });
    console.log(`${name} out`);
  }
  const tasks = [..."abcd"].map((name) => asyncio.createTask(worker(name)));
  for (const name of "acdb") {
    yield* asyncio.sleep(0);
    console.log(`open ${name}, waiters ${sem._waiters.length}`);
    gates.get(name)!.set();
    yield* asyncio.sleep(0);
  }
  for (const task of tasks) yield* task;
}

function* turnsInOrder(): asyncio.Coro<void> {
  const sem = new asyncio.Semaphore(1);
  const result: string[] = [];
  function* coro(tag: string): asyncio.Coro<void> {
    for (const round of [1, 2]) {
      yield* sem.acquire();
      result.push(`${tag}_${round}`);
      yield* asyncio.sleep(0.01);
      sem.release();
    }
  }
  const tasks = ["c1", "c2", "c3"].map((tag) => asyncio.createTask(coro(tag)));
  for (const task of tasks) yield* task;
  console.log(pyList(result));
}

function* releaseReacquireGoesBehind(): asyncio.Coro<void> {
  const sem = new asyncio.Semaphore(1);
  const result: number[] = [];
  function* c1(): asyncio.Coro<void> {
    yield* sem.acquire();
    result.push(1);
  }
  function* c2(): asyncio.Coro<void> {
    yield* sem.acquire();
    result.push(2);
    sem.release();
    yield* sem.acquire();
    result.push(4);
  }
  function* c3(): asyncio.Coro<void> {
    yield* sem.acquire();
    result.push(3);
  }
  const tasks = [c1, c2, c3].map((c) => asyncio.createTask(c()));
  yield* asyncio.sleep(0);
  sem.release();
  sem.release();
  for (const task of tasks) yield* task;
  console.log(pyList(result));
}

function* cancelledBeforeWoken(): asyncio.Coro<void> {
  const sem = new asyncio.Semaphore(0);
  const tasks = [0, 1, 2, 3].map(() => asyncio.createTask(sem.acquire()));
  yield* asyncio.sleep(0);
  tasks[0]!.cancel();
  tasks[1]!.cancel();
  sem.release();
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  console.log(
    "done",
    pyList(tasks.map((t) => t.done())),
    "cancelled",
    pyList(tasks.map((t) => t.cancelled())),
  );
  console.log("value", sem.statistics().value, "locked", py(sem.locked()));
  tasks[3]!.cancel();
  yield* asyncio.sleep(0);
}

function* wokenThenCancelled(): asyncio.Coro<void> {
  const sem = new asyncio.Semaphore(0);
  const t1 = asyncio.createTask(sem.acquire());
  const t2 = asyncio.createTask(sem.acquire());
  yield* asyncio.sleep(0);
  sem.release();
  t1.cancel();
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  console.log(
    "t1 cancelled",
    py(t1.cancelled()),
    "t2 done",
    py(t2.done()),
    "locked",
    py(sem.locked()),
  );
}

function* oneAcquireWakesMany(): asyncio.Coro<void> {
  const sem = new asyncio.Semaphore(0);
  const result: number[] = [];
  function* c1(): asyncio.Coro<void> {
    yield* sem.acquire();
    console.log("c1 value", sem.statistics().value);
    result.push(1);
  }
  function* c2(): asyncio.Coro<void> {
    sem.release();
    sem.release();
    sem.release();
    console.log("c2 released 3: value", sem.statistics().value, "locked", py(sem.locked()));
    yield* sem.acquire();
    result.push(2);
  }
  function* c3(): asyncio.Coro<void> {
    yield* sem.acquire();
    result.push(3);
  }
  const tasks = [c1, c2, c3].map((c) => asyncio.createTask(c()));
  yield* asyncio.sleep(0);
  console.log("waiters", sem._waiters.length);
  for (const task of tasks) yield* task;
  console.log(pyList(result));
}

function* bounded(): asyncio.Coro<void> {
  const sem = new asyncio.BoundedSemaphore(2);
  yield* sem.acquire();
  sem.release();
  try {
    sem.release();
  } catch (error) {
    console.log("over-release:", (error as Error).name, "value", sem.statistics().value);
  }
  try {
    new asyncio.Semaphore(-1);
  } catch (error) {
    console.log("negative value:", (error as Error).name);
  }
  console.log("Semaphore(0) locked", py(new asyncio.Semaphore(0).locked()));
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["limits_and_order", limitsAndOrder],
    ["turns_in_order", turnsInOrder],
    ["release_reacquire_goes_behind", releaseReacquireGoesBehind],
    ["cancelled_before_woken", cancelledBeforeWoken],
    ["woken_then_cancelled", wokenThenCancelled],
    ["one_acquire_wakes_many", oneAcquireWakesMany],
    ["bounded", bounded],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
