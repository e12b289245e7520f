/**
 * Showcase: CPU-bound work does not belong on the event loop. A ticker coroutine wants to run
 * every 100 ms and reports how late each tick is. First a 0.6-second computation runs on the
 * loop's own thread: the ticker is frozen until it ends. Then the very same computation runs
 * in a worker thread with `asyncio.toThread`: the ticker keeps its beat, and the computation
 * finds as many primes as before, in parallel.
 */

import * as asyncio from "../../src/index.ts";
import type * as cpuwork from "./cpuwork.ts";
import { countPrimesFor } from "./cpuwork.ts";

const JOB_SECONDS = 0.6;
const TICK_SECONDS = 0.1;

const work = asyncio.workModule<typeof cpuwork>(new URL("./cpuwork.ts", import.meta.url));

interface Beat {
  ticks: number;
  worstLateMs: number;
  ticked: asyncio.Event;
}

/** Ticks every TICK_SECONDS until cancelled, recording how late each tick came. */
function* ticker(beat: Beat): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  for (let due = loop.time() + TICK_SECONDS; ; due += TICK_SECONDS) {
    yield* asyncio.sleep(due - loop.time());
    const lateMs = Math.max(0, (loop.time() - due) * 1000);
    beat.ticks++;
    beat.worstLateMs = Math.max(beat.worstLateMs, lateMs);
    beat.ticked.set();
    console.log(
      `      tick ${String(beat.ticks).padStart(2)}  ${lateMs.toFixed(0).padStart(4)} ms late`,
    );
  }
}

/** Runs `job` while the ticker ticks; prints what the ticker saw. */
function* withTicker(title: string, job: () => asyncio.Coro<number>): asyncio.Coro<string> {
  console.log(`  ${title}`);
  const beat: Beat = { ticks: 0, worstLateMs: 0, ticked: new asyncio.Event() };
  const ticking = asyncio.createTask(ticker(beat));
  const loop = asyncio.getRunningLoop();
  const started = loop.time();
  const primes = yield* job();
  const seconds = loop.time() - started;
  // One more tick, so a tick held up by the job reports how late it was.
  beat.ticked.clear();
  yield* beat.ticked.wait();
  ticking.cancel();
  try {
    yield* ticking;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
  }
  return `${title.padEnd(28)} ${seconds.toFixed(2)} s, ${primes.toLocaleString("en-US").padStart(9)} primes, ${String(beat.ticks).padStart(2)} tick${beat.ticks === 1 ? " " : "s"}, worst ${beat.worstLateMs.toFixed(0).padStart(3)} ms late`;
}

export function* cpuDemo(): asyncio.Coro<void> {
  // Start the default executor's worker first, so the comparison is about the work only.
  yield* asyncio.toThread(work.fn("countPrimesFor"), 0);
  const onLoop = yield* withTicker("on the loop's thread", function* () {
    yield* asyncio.sleep(0);
    return countPrimesFor(JOB_SECONDS);
  });
  const inThread = yield* withTicker("in a worker thread", function* () {
    return yield* asyncio.toThread(work.fn("countPrimesFor"), JOB_SECONDS);
  });
  console.log(`  ${onLoop}`);
  console.log(`  ${inThread}`);
}
