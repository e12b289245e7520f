/**
 * Port of sync_queue_kinds.py: PriorityQueue ordering (tuples as arrays, strings by code
 * point, ties in heapq's order through a compare function standing in for the dataclass) and
 * LifoQueue. Runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);
const tuple = (items: unknown[]): string =>
  `(${items.map((item) => (typeof item === "string" ? `'${item}'` : String(item))).join(", ")})`;

function drain<T>(queue: asyncio.Queue<T>): T[] {
  const items: T[] = [];
  while (!queue.empty()) items.push(queue.getNowait());
  return items;
}

interface Job {
  priority: number;
  name: string;
}

function* tuples(): asyncio.Coro<void> {
  const queue = new asyncio.PriorityQueue<unknown[]>();
  for (const item of [
    [2, "b"],
    [1, "z"],
    [2, "a"],
    [0, "x"],
    [1, "a", 0],
    [1, "a"],
  ]) {
    queue.putNowait(item);
  }
  console.log(`[${drain(queue).map(tuple).join(", ")}]`);
}

function* strings(): asyncio.Coro<void> {
  const queue = new asyncio.PriorityQueue<string>();
  for (const item of ["b", "B", "\uffff", "\u{1F600}", "a", "ab", ""]) queue.putNowait(item);
  const firsts = drain(queue).map((s) =>
    s === "" ? "'empty'" : `'0x${s.codePointAt(0)!.toString(16)}'`,
  );
  console.log(`[${firsts.join(", ")}]`);
}

function* tiesInHeapqOrder(): asyncio.Coro<void> {
  const queue = new asyncio.PriorityQueue<Job>({ compare: (a, b) => a.priority - b.priority });
  const priorities = [3, 1, 2, 1, 3, 2, 1, 3, 2, 2, 1, 3];
  priorities.forEach((priority, index) => {
    queue.putNowait({ priority, name: `job${index}` });
    if (index % 4 === 3) console.log("took", queue.getNowait().name);
  });
  console.log(
    `[${drain(queue)
      .map((job) => `'${job.name}'`)
      .join(", ")}]`,
  );
}

function* uncomparable(): asyncio.Coro<void> {
  const queue = new asyncio.PriorityQueue<unknown>();
  queue.putNowait(1);
  queue.putNowait(2);
  try {
    queue.putNowait("three");
  } catch (error) {
    console.log("put_nowait('three'):", (error as Error).name);
  }
}

function* waitingGettersTakeSmallest(): asyncio.Coro<void> {
  const queue = new asyncio.PriorityQueue<number>();
  const getters = [0, 1].map(() => asyncio.createTask(queue.get()));
  yield* asyncio.sleep(0);
  queue.putNowait(5);
  queue.putNowait(1);
  queue.putNowait(3);
  const got: number[] = [];
  for (const getter of getters) got.push(yield* getter);
  console.log("getters got", `[${got.join(", ")}]`, "left", `[${drain(queue).join(", ")}]`);
}

function* lifo(): asyncio.Coro<void> {
  const queue = new asyncio.LifoQueue<number>(3);
  for (const item of [1, 2, 3]) yield* queue.put(item);
  const putter = asyncio.createTask(queue.put(4));
  yield* asyncio.sleep(0);
  console.log("full", py(queue.full()), "got", queue.getNowait());
  yield* putter;
  console.log(`[${drain(queue).join(", ")}]`);
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["tuples", tuples],
    ["strings", strings],
    ["ties_in_heapq_order", tiesInHeapqOrder],
    ["uncomparable", uncomparable],
    ["waiting_getters_take_smallest", waitingGettersTakeSmallest],
    ["lifo", lifo],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
