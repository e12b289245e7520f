/**
 * Port of core_interleaving.py: task interleaving with sleep(0) and timed sleeps. The Python
 * program only sleeps, so this runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const repr = (value: string) => `'${value}'`;

function* spinner(name: string, steps: number): asyncio.Coro<string> {
  for (let step = 0; step < steps; step++) {
    console.log(`${name} step ${step}`);
    yield* asyncio.sleep(0);
  }
  console.log(`${name} done`);
  return name;
}

function* sleeper(name: string, delays: number[]): asyncio.Coro<string> {
  for (const delay of delays) {
    console.log(`${name} sleeps ${delay}`);
    yield* asyncio.sleep(delay);
    console.log(`${name} woke after ${delay}`);
  }
  return `${name} result`;
}

function* waiter(name: string, other: asyncio.Task<string>): asyncio.Coro<void> {
  console.log(`${name} waits for ${other.getName()}`);
  const result = yield* other;
  console.log(`${name} got ${repr(result)} from ${other.getName()}`);
}

function* sleepZeroRoundRobin(): asyncio.Coro<void> {
  const tasks = ["a", "b", "c"].map((name) => asyncio.createTask(spinner(name, 3), { name }));
  console.log("created a, b, c; nothing ran yet");
  yield* asyncio.sleep(0);
  console.log("main after one sleep(0)");
  const results: string[] = [];
  for (const task of tasks) results.push(yield* task);
  console.log(`results [${results.map(repr).join(", ")}]`);
}

function* timedSleeps(): asyncio.Coro<void> {
  const first = asyncio.createTask(sleeper("x", [0.3, 0.1]), { name: "x" });
  const second = asyncio.createTask(sleeper("y", [0.1, 0.1, 0.15]), { name: "y" });
  const third = asyncio.createTask(sleeper("z", [0.25]), { name: "z" });
  const results = [yield* first, yield* second, yield* third];
  console.log(`results [${results.map(repr).join(", ")}]`);
}

function* awaitingTasks(): asyncio.Coro<void> {
  const target = asyncio.createTask(sleeper("target", [0.05]), { name: "target" });
  const waiters = [0, 1, 2].map((i) =>
    asyncio.createTask(waiter(`w${i}`, target), { name: `w${i}` }),
  );
  yield* asyncio.sleep(0);
  console.log("target done?", target.done() ? "True" : "False");
  for (const task of waiters) yield* task;
  console.log("all waiters done");
}

function* currentTaskNames(): asyncio.Coro<void> {
  function* who(): asyncio.Coro<void> {
    console.log("running:", asyncio.currentTask()!.getName());
    yield* asyncio.sleep(0);
    console.log("still:", asyncio.currentTask()!.getName());
  }
  const tasks = [0, 1].map((i) => asyncio.createTask(who(), { name: `who-${i}` }));
  console.log("main is", asyncio.currentTask()!.getName());
  for (const task of tasks) yield* task;
}

function* main(): asyncio.Coro<void> {
  asyncio.currentTask()!.setName("main");
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["sleep_zero_round_robin", sleepZeroRoundRobin],
    ["timed_sleeps", timedSleeps],
    ["awaiting_tasks", awaitingTasks],
    ["current_task_names", currentTaskNames],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
