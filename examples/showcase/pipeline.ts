/**
 * Showcase: a three-stage pipeline. A fetcher feeds documents into a bounded queue (it waits
 * when the parsers fall behind); six parsers take them out, but only three may call the slow
 * "enrich" service at once (a Semaphore), each call with a deadline; a writer, plain async
 * code, drains the results with `for await`. When the fetcher is done it shuts its queue down
 * (asyncio 3.13's `Queue.shutdown`): the parsers finish what is queued and stop, then the
 * results queue shuts down and the writer's loop ends. No item is lost on the way.
 */

import * as asyncio from "../../src/index.ts";

const DOCUMENTS = 40;
const PARSERS = 6;
const SERVICE_SLOTS = 3;
const SERVICE_DEADLINE = 0.06;

interface Parsed {
  id: number;
  words: number;
}

interface Tally {
  fetcherWaits: number;
  deepestQueue: number;
  inService: number;
  busiestService: number;
  timedOut: number[];
  written: number;
}

export function* pipelineDemo(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const started = loop.time();
  const fetched = new asyncio.Queue<number>(8);
  const results = new asyncio.Queue<Parsed>(4);
  const service = new asyncio.Semaphore(SERVICE_SLOTS);
  const tally: Tally = {
    fetcherWaits: 0,
    deepestQueue: 0,
    inService: 0,
    busiestService: 0,
    timedOut: [],
    written: 0,
  };
  let seed = 11;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  function* fetcher(): asyncio.Coro<void> {
    for (let id = 0; id < DOCUMENTS; id++) {
      yield* asyncio.sleep(0.002);
      if (fetched.full()) tally.fetcherWaits++;
      yield* fetched.put(id);
      tally.deepestQueue = Math.max(tally.deepestQueue, fetched.qsize());
    }
    fetched.shutdown();
  }

  /** The slow service: at most SERVICE_SLOTS calls at once, each within a deadline. */
  function* enrich(id: number): asyncio.Coro<number> {
    return yield* asyncio.using(service, function* () {
      tally.inService++;
      tally.busiestService = Math.max(tally.busiestService, tally.inService);
      try {
        // Every ninth document is stuck on the service side.
        const latency = id % 9 === 8 ? 1 : 0.01 + random() * 0.03;
        return yield* asyncio.using(asyncio.timeout(SERVICE_DEADLINE), function* () {
          yield* asyncio.sleep(latency);
          return 100 + Math.floor(random() * 900);
        });
      } finally {
        tally.inService--;
      }
    });
  }

  function* parser(): asyncio.Coro<void> {
    for (;;) {
      let id: number;
      try {
        id = yield* fetched.get();
      } catch (error) {
        if (error instanceof asyncio.QueueShutDown) return;
        throw error;
      }
      try {
        yield* results.put({ id, words: yield* enrich(id) });
      } catch (error) {
        if (!(error instanceof asyncio.TimeoutError)) throw error;
        tally.timedOut.push(id);
      } finally {
        fetched.taskDone();
      }
    }
  }

  async function writer(): Promise<number[]> {
    const order: number[] = [];
    for await (const parsed of results) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      order.push(parsed.id);
      tally.written++;
      results.taskDone();
    }
    return order;
  }

  console.log(
    `${DOCUMENTS} documents through Queue(8) -> ${PARSERS} parsers sharing Semaphore(${SERVICE_SLOTS}) -> Queue(4) -> a for-await writer`,
  );
  const written = writer();
  yield* asyncio.using(new asyncio.TaskGroup(), function* (group) {
    group.createTask(fetcher());
    for (let n = 0; n < PARSERS; n++) group.createTask(parser(), { name: `parser-${n}` });
  });
  results.shutdown();
  const order = yield* asyncio.fromPromise(written);
  const accounted = [...order, ...tally.timedOut].sort((a, b) => a - b);
  const elapsed = loop.time() - started;
  console.log(
    `  written: ${tally.written}, timed out at the service: ${tally.timedOut.length} (${tally.timedOut.join(", ")})`,
  );
  console.log(
    `  every document accounted for exactly once: ${accounted.every((id, index) => id === index) && accounted.length === DOCUMENTS}`,
  );
  console.log(
    `  service calls at once: at most ${tally.busiestService} (limit ${SERVICE_SLOTS}); fetch queue depth: at most ${tally.deepestQueue} (bound 8), the fetcher waited ${tally.fetcherWaits} times`,
  );
  console.log(`  ${fetched} ${results} ${service}`);
  console.log(`  done in ${elapsed.toFixed(2)} s`);
}
