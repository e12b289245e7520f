/**
 * Showcase, part 1: thousands of concurrent simulated requests on one thread. They all finish
 * in about the time of the slowest one; a deadline cancels the slow ones, and their cleanup
 * (`finally`) visibly runs.
 */

import * as asyncio from "../../src/index.ts";

const REQUESTS = 5_000;
const DEADLINE = 0.25;

interface Tally {
  completed: number;
  cleanedUp: number;
  slowest: number;
}

function* request(id: number, latency: number, tally: Tally): asyncio.Coro<number> {
  const loop = asyncio.getRunningLoop();
  const started = loop.time();
  let outcome = "cancelled";
  try {
    yield* asyncio.sleep(latency);
    tally.completed++;
    tally.slowest = Math.max(tally.slowest, latency);
    outcome = "completed";
    return latency;
  } finally {
    tally.cleanedUp++;
    if (id % 1000 === 999) {
      // What happened, not what was planned: a cancelled request ran only until its deadline.
      console.log(
        `  request ${id} ${outcome} after ${(loop.time() - started).toFixed(3)} s (planned latency ${latency.toFixed(3)} s), cleaned up`,
      );
    }
  }
}

export function* requestsDemo(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const tally: Tally = { completed: 0, cleanedUp: 0, slowest: 0 };
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  console.log(`${REQUESTS} requests with latencies between 0 and 0.2 s, all at once:`);
  let started = loop.time();
  const fast = Array.from({ length: REQUESTS }, (_, id) =>
    asyncio.createTask(request(id, random() * 0.2, tally)),
  );
  for (const task of fast) yield* task;
  const elapsed = loop.time() - started;
  console.log(
    `  ${tally.completed} done in ${elapsed.toFixed(3)} s; the slowest alone took ${tally.slowest.toFixed(3)} s`,
  );

  console.log(`\n${REQUESTS} more, a fifth of them stuck for 10 s, with a ${DEADLINE} s deadline:`);
  Object.assign(tally, { completed: 0, cleanedUp: 0, slowest: 0 });
  started = loop.time();
  const mixed = Array.from({ length: REQUESTS }, (_, id) =>
    asyncio.createTask(request(id, id % 5 === 4 ? 10 : random() * 0.2, tally), {
      name: `request-${id}`,
    }),
  );
  const deadline = loop.callLater(DEADLINE, () => {
    const late = mixed.filter((task) => !task.done());
    console.log(`  deadline: cancelling ${late.length} requests still running`);
    for (const task of late) task.cancel("deadline passed");
  });
  let cancelled = 0;
  for (const task of mixed) {
    try {
      yield* task;
    } catch (error) {
      if (!asyncio.isCancelledError(error)) throw error;
      cancelled++;
    }
  }
  deadline.cancel();
  console.log(
    `  ${tally.completed} completed, ${cancelled} cancelled, ${tally.cleanedUp} cleanups ran, in ${(loop.time() - started).toFixed(3)} s`,
  );
}
