/**
 * Port of sync_queue.py: bounded queue interleaving, waiters served in order, cancellation
 * races, task_done/join and the nowait errors. The Python program only sleeps, so this runs on
 * the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);
const pyList = (values: unknown[]): string =>
  `[${values.map((value) => (typeof value === "string" ? `'${value}'` : py(value))).join(", ")}]`;

function* producerConsumer(): asyncio.Coro<void> {
  const queue = new asyncio.Queue<number>(2);
  function* producer(): asyncio.Coro<void> {
    for (let item = 0; item < 5; item++) {
      console.log(`put ${item} (qsize ${queue.qsize()})`);
      yield* queue.put(item);
    }
    console.log("producer done");
  }
  function* consumer(): asyncio.Coro<void> {
    for (let count = 0; count < 5; count++) {
      const item = yield* queue.get();
      console.log(`got ${item} (qsize ${queue.qsize()}, full ${py(queue.full())})`);
      yield* asyncio.sleep(0);
    }
  }
  yield* asyncio.gather(producer(), consumer());
}

function* waitingInOrder(): asyncio.Coro<void> {
  const bounded = new asyncio.Queue<string>(1);
  const puts = [..."abc"].map((name) => asyncio.createTask(bounded.put(name)));
  yield* asyncio.sleep(0);
  console.log("putters done", pyList(puts.map((p) => p.done())));
  const got: string[] = [];
  for (let i = 0; i < 3; i++) got.push(yield* bounded.get());
  console.log("got", pyList(got));
  const queue = new asyncio.Queue<string>();
  const getters = [0, 1, 2].map(() => asyncio.createTask(queue.get()));
  yield* asyncio.sleep(0);
  for (const item of ["x", "y", "z"]) queue.putNowait(item);
  const results: string[] = [];
  for (const getter of getters) results.push(yield* getter);
  console.log("getters got", pyList(results));
}

function* getterCancelledAsItemArrives(): asyncio.Coro<void> {
  const queue = new asyncio.Queue<string>();
  const t1 = asyncio.createTask(queue.get());
  const t2 = asyncio.createTask(queue.get());
  yield* asyncio.sleep(0);
  queue.putNowait("item");
  t1.cancel();
  yield* asyncio.sleep(0);
  console.log("t1 cancelled", py(t1.cancelled()), "t2 got", yield* t2, "qsize", queue.qsize());
  const lone = asyncio.createTask(queue.get());
  yield* asyncio.sleep(0);
  queue.putNowait("kept");
  lone.cancel();
  yield* asyncio.sleep(0);
  console.log("lone cancelled", py(lone.cancelled()), "qsize", queue.qsize(), queue.getNowait());
}

function* putterCancelledAsSlotFrees(): asyncio.Coro<void> {
  const queue = new asyncio.Queue<string>(1);
  const putA = asyncio.createTask(queue.put("a"));
  const putB = asyncio.createTask(queue.put("b"));
  const putX = asyncio.createTask(queue.put("X"));
  yield* asyncio.sleep(0);
  putX.cancel();
  yield* asyncio.sleep(0);
  console.log("got", queue.getNowait());
  yield* asyncio.sleep(0);
  console.log(
    "got",
    queue.getNowait(),
    "X cancelled",
    py(putX.cancelled()),
    "b done",
    py(putB.done()),
  );
  queue.putNowait("first");
  const putC = asyncio.createTask(queue.put("c"));
  const putD = asyncio.createTask(queue.put("d"));
  yield* asyncio.sleep(0);
  console.log("got", queue.getNowait());
  putC.cancel();
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  console.log(
    "c cancelled",
    py(putC.cancelled()),
    "d done",
    py(putD.done()),
    "got",
    queue.getNowait(),
  );
  yield* putA;
}

function* getTimedOut(): asyncio.Coro<void> {
  const queue = new asyncio.Queue<number>();
  try {
    yield* asyncio.waitFor(queue.get(), 0.01);
  } catch (error) {
    if (!(error instanceof asyncio.TimeoutError)) throw error;
    console.log("get:", error.name, "getters left", queue._getters.length);
  }
  queue.putNowait(1);
  console.log("qsize", queue.qsize());
}

function* taskDoneAndJoin(): asyncio.Coro<void> {
  const queue = new asyncio.Queue<number>();
  for (let item = 0; item < 3; item++) queue.putNowait(item);
  function* worker(name: string): asyncio.Coro<void> {
    for (;;) {
      const item = yield* queue.get();
      yield* asyncio.sleep(0.01 * (item + 1));
      console.log(`${name} done with ${item}`);
      queue.taskDone();
    }
  }
  const workers = ["w1", "w2"].map((name) => asyncio.createTask(worker(name)));
  yield* queue.join();
  console.log("joined");
  for (const task of workers) task.cancel();
  try {
    queue.taskDone();
  } catch (error) {
    console.log("extra task_done:", (error as Error).name);
  }
}

function* nowaitErrors(): asyncio.Coro<void> {
  const queue = new asyncio.Queue<number>(1);
  try {
    queue.getNowait();
  } catch (error) {
    console.log("get_nowait on empty:", (error as Error).name);
  }
  queue.putNowait(1);
  try {
    queue.putNowait(2);
  } catch (error) {
    console.log("put_nowait on full:", (error as Error).name, "qsize", queue.qsize());
  }
  console.log("maxsize", queue.maxsize, "empty", py(queue.empty()), "full", py(queue.full()));
  const unbounded = new asyncio.Queue<number>(0);
  for (let item = 0; item < 1000; item++) unbounded.putNowait(item);
  console.log("unbounded full", py(unbounded.full()), "qsize", unbounded.qsize());
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["producer_consumer", producerConsumer],
    ["waiting_in_order", waitingInOrder],
    ["getter_cancelled_as_item_arrives", getterCancelledAsItemArrives],
    ["putter_cancelled_as_slot_frees", putterCancelledAsSlotFrees],
    ["get_timed_out", getTimedOut],
    ["task_done_and_join", taskDoneAndJoin],
    ["nowait_errors", nowaitErrors],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
