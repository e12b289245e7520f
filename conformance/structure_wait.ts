/**
 * Port of structure_wait.py: wait() and its returnWhen modes and timeout. Only sleeps: runs on
 * the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  if (typeof value === "string") return `'${value}'`;
  return value === true ? "True" : value === false ? "False" : String(value);
};

function* work(name: string, delay: number, fail = false): asyncio.Coro<string> {
  yield* asyncio.sleep(delay);
  if (fail) throw new asyncio.ValueError(name);
  return name;
}

function names(tasks: Set<asyncio.Task<string>>): string {
  return py([...tasks].map((task) => task.getName()).sort());
}

function start(specs: [string, number][]): asyncio.Task<string>[] {
  return specs.map(([name, delay]) => asyncio.createTask(work(name, delay), { name }));
}

function* main(): asyncio.Coro<void> {
  console.log("== wait ALL_COMPLETED");
  let tasks = start([
    ["a", 0.02],
    ["b", 0.01],
  ]);
  let [done, pending] = yield* asyncio.wait(tasks);
  console.log(names(done), names(pending));

  console.log("== wait FIRST_COMPLETED");
  tasks = start([
    ["slow", 0.3],
    ["fast", 0.01],
  ]);
  [done, pending] = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_COMPLETED });
  console.log(names(done), names(pending), "slow cancelled:", py(tasks[0]!.cancelled()));
  yield* tasks[0]!;

  console.log("== wait FIRST_EXCEPTION");
  tasks = [
    asyncio.createTask(work("ok", 0.01), { name: "ok" }),
    asyncio.createTask(work("bad", 0.02, true), { name: "bad" }),
    asyncio.createTask(work("late", 0.3), { name: "late" }),
  ];
  [done, pending] = yield* asyncio.wait(tasks, { returnWhen: asyncio.FIRST_EXCEPTION });
  console.log(names(done), names(pending), "error:", (tasks[1]!.exception() as Error).message);
  yield* tasks[2]!;

  console.log("== wait with a timeout");
  tasks = start([
    ["quick", 0.01],
    ["long", 0.3],
  ]);
  [done, pending] = yield* asyncio.wait(tasks, { timeout: 0.03 });
  console.log(names(done), names(pending), "long cancelled:", py(tasks[1]!.cancelled()));
  yield* tasks[1]!;

  console.log("== wait refuses");
  try {
    yield* asyncio.wait([]);
  } catch (error) {
    if (!(error instanceof asyncio.ValueError)) throw error;
    console.log("empty: ValueError");
  }
  try {
    yield* asyncio.wait([work("c", 0) as never]);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    console.log("coroutine: TypeError");
  }
}

await asyncio.run(main(), { clock: "virtual" });
