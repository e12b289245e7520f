/**
 * Port of sync_barrier.py: Barrier rounds, draining, cancellation, reset() and abort(). The
 * Python program only sleeps, so this runs on the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);
const pyList = (values: unknown[]): string =>
  `[${values.map((value) => (typeof value === "string" ? `'${value}'` : py(value))).join(", ")}]`;

function* outcome(task: asyncio.Task<number>): asyncio.Coro<string> {
  try {
    return String(yield* task);
  } catch (error) {
    if (error instanceof asyncio.BrokenBarrierError) return error.name;
    if (asyncio.isCancelledError(error)) return "cancelled";
    throw error;
  }
}

function* outcomes(tasks: asyncio.Task<number>[]): asyncio.Coro<string> {
  const results: string[] = [];
  for (const task of tasks) results.push(yield* outcome(task));
  return pyList(results);
}

function* oneRound(): asyncio.Coro<void> {
  const barrier = new asyncio.Barrier(3);
  function* party(name: string, delay: number): asyncio.Coro<void> {
    yield* asyncio.sleep(delay);
    console.log(`${name} arrives, n_waiting ${barrier.nWaiting}`);
    const index = yield* barrier.wait();
    console.log(`${name} leaves with index ${index}`);
  }
  const tasks = (
    [
      ["a", 0.01],
      ["b", 0.03],
      ["c", 0.02],
    ] as const
  ).map(([name, delay]) => asyncio.createTask(party(name, delay)));
  for (const task of tasks) yield* task;
  console.log("n_waiting", barrier.nWaiting, "broken", py(barrier.broken));
}

function* twoRounds(): asyncio.Coro<void> {
  const barrier = new asyncio.Barrier(2);
  const log: string[] = [];
  function* twice(name: string): asyncio.Coro<void> {
    for (const round of [1, 2]) {
      const index = yield* barrier.wait();
      log.push(`${name} round ${round} index ${index}`);
    }
  }
  const tasks = [..."xy"].map((name) => asyncio.createTask(twice(name)));
  for (const task of tasks) yield* task;
  console.log(pyList(log));
}

function* drainingSeen(): asyncio.Coro<void> {
  const barrier = new asyncio.Barrier(3);
  const seen: number[] = [];
  const tasks = [0, 1, 2].map(() =>
    asyncio.createTask(
      asyncio.using(barrier, function* () {
        seen.push(barrier.nWaiting);
      }),
    ),
  );
  for (const task of tasks) yield* task;
  console.log("n_waiting seen while draining", pyList(seen));
}

function* cancelledWaiter(): asyncio.Coro<void> {
  const barrier = new asyncio.Barrier(3);
  const t1 = asyncio.createTask(barrier.wait());
  yield* asyncio.sleep(0);
  const t2 = asyncio.createTask(barrier.wait());
  yield* asyncio.sleep(0);
  t1.cancel();
  yield* asyncio.sleep(0);
  console.log("after cancel n_waiting", barrier.nWaiting);
  const t3 = asyncio.createTask(barrier.wait());
  yield* asyncio.sleep(0);
  const t4 = asyncio.createTask(barrier.wait());
  console.log("results", yield* outcomes([t1, t2, t3, t4]));
}

function* resetAndAbort(): asyncio.Coro<void> {
  const barrier = new asyncio.Barrier(3);
  let waiting = [0, 1].map(() => asyncio.createTask(barrier.wait()));
  yield* asyncio.sleep(0);
  yield* barrier.reset();
  console.log("reset:", yield* outcomes(waiting), "broken", py(barrier.broken));
  const again = [0, 1, 2].map(() => asyncio.createTask(barrier.wait()));
  console.log("next round:", yield* outcomes(again));
  waiting = [0, 1].map(() => asyncio.createTask(barrier.wait()));
  yield* asyncio.sleep(0);
  yield* barrier.abort();
  console.log("abort:", yield* outcomes(waiting), "broken", py(barrier.broken));
  console.log("wait on broken:", yield* outcome(asyncio.createTask(barrier.wait())));
  yield* barrier.reset();
  console.log("reset after abort: broken", py(barrier.broken), "n_waiting", barrier.nWaiting);
}

function* failingPartyAborts(): asyncio.Coro<void> {
  const barrier = new asyncio.Barrier(4);
  const results: string[] = [];
  function* party(): asyncio.Coro<void> {
    try {
      yield* asyncio.using(barrier, function* (index) {
        if (index === 2) throw new asyncio.RuntimeError("party failed");
      });
      yield* asyncio.using(barrier, function* () {
        results.push("passed");
      });
    } catch (error) {
      if (error instanceof asyncio.BrokenBarrierError) results.push("broken");
      else if (error instanceof asyncio.RuntimeError) {
        results.push("aborting");
        yield* barrier.abort();
      } else throw error;
    }
  }
  const tasks = [0, 1, 2, 3].map(() => asyncio.createTask(party()));
  for (const task of tasks) yield* task;
  console.log(pyList(results.sort()), "broken", py(barrier.broken));
  try {
    new asyncio.Barrier(0);
  } catch (error) {
    console.log("parties 0:", (error as Error).name);
  }
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["one_round", oneRound],
    ["two_rounds", twoRounds],
    ["draining_seen", drainingSeen],
    ["cancelled_waiter", cancelledWaiter],
    ["reset_and_abort", resetAndAbort],
    ["failing_party_aborts", failingPartyAborts],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
