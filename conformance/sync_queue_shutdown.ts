/**
 * Port of sync_queue_shutdown.py: Queue.shutdown() on the three queue kinds. The Python
 * program never waits on time, so this runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

function* resultOf(awaitable: asyncio.Awaitable<unknown>): asyncio.Coro<string> {
  try {
    const value = yield* awaitable;
    return value === undefined ? "None" : String(value);
  } catch (error) {
    if (error instanceof asyncio.QueueShutDown) return error.name;
    throw error;
  }
}

function nowait(call: () => unknown): string {
  try {
    const value = call();
    return value === undefined ? "None" : String(value);
  } catch (error) {
    if (
      error instanceof asyncio.QueueShutDown ||
      error instanceof asyncio.QueueEmpty ||
      error instanceof asyncio.QueueFull
    ) {
      return error.name;
    }
    throw error;
  }
}

type QueueClass = new (maxsize?: number) => asyncio.Queue<number>;

function* shutdownEmpty(QueueKind: QueueClass): asyncio.Coro<void> {
  const queue = new QueueKind();
  const getter = asyncio.createTask(queue.get());
  yield* asyncio.sleep(0);
  queue.shutdown();
  yield* queue.join();
  console.log("waiting get:", yield* resultOf(getter));
  console.log(
    "put:",
    yield* resultOf(queue.put(1)),
    "put_nowait:",
    nowait(() => queue.putNowait(1)),
  );
  console.log(
    "get:",
    yield* resultOf(queue.get()),
    "get_nowait:",
    nowait(() => queue.getNowait()),
  );
}

function* shutdownDrains(QueueKind: QueueClass): asyncio.Coro<void> {
  const queue = new QueueKind(2);
  queue.putNowait(3);
  queue.putNowait(1);
  const joinTask = asyncio.createTask(queue.join());
  const putter = asyncio.createTask(queue.put(2));
  yield* asyncio.sleep(0);
  queue.shutdown();
  console.log("waiting put:", yield* resultOf(putter), "qsize", queue.qsize());
  console.log(
    "drain:",
    yield* resultOf(queue.get()),
    nowait(() => queue.getNowait()),
  );
  console.log("then:", yield* resultOf(queue.get()));
  yield* asyncio.sleep(0);
  console.log("join done before task_done:", py(joinTask.done()));
  queue.taskDone();
  queue.taskDone();
  yield* asyncio.sleep(0);
  console.log("join done after task_done:", py(joinTask.done()));
}

function* shutdownImmediate(QueueKind: QueueClass): asyncio.Coro<void> {
  const queue = new QueueKind();
  for (const item of [5, 4, 6]) queue.putNowait(item);
  console.log("got", queue.getNowait());
  const joinTask = asyncio.createTask(queue.join());
  const getterQueue = new QueueKind();
  const getter = asyncio.createTask(getterQueue.get());
  yield* asyncio.sleep(0);
  queue.shutdown(true);
  getterQueue.shutdown(true);
  console.log("qsize", queue.qsize(), "waiting get:", yield* resultOf(getter));
  yield* asyncio.sleep(0);
  console.log("join done with one unfinished:", py(joinTask.done()));
  queue.taskDone();
  yield* asyncio.sleep(0);
  console.log("join done:", py(joinTask.done()));
  try {
    queue.taskDone();
  } catch (error) {
    console.log("extra task_done:", (error as Error).name);
  }
}

function* main(): asyncio.Coro<void> {
  const kinds: [string, QueueClass][] = [
    ["Queue", asyncio.Queue],
    ["PriorityQueue", asyncio.PriorityQueue as QueueClass],
    ["LifoQueue", asyncio.LifoQueue],
  ];
  const sections: [string, (QueueKind: QueueClass) => asyncio.Coro<void>][] = [
    ["shutdown_empty", shutdownEmpty],
    ["shutdown_drains", shutdownDrains],
    ["shutdown_immediate", shutdownImmediate],
  ];
  for (const [kindName, QueueKind] of kinds) {
    for (const [name, section] of sections) {
      console.log(`== ${kindName} ${name}`);
      yield* section(QueueKind);
    }
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
