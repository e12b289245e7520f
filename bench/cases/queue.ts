/**
 * queue: one producer puts 1,000,000 integers through a `Queue(100)`, one consumer gets them.
 * Items per second. The bounded queue makes the two tasks take turns: the producer fills it,
 * the consumer drains it, with a wait (a Future) on each side per round.
 */

import * as asyncio from "../../src/index.ts";
import { defineWorkload, type Measurement, ours, pythonAnchors } from "../harness/workload.ts";

const ITEMS = 1_000_000;
const MAXSIZE = 100;

function* produce(queue: asyncio.Queue<number>, items: number): asyncio.Coro<void> {
  for (let item = 0; item < items; item++) yield* queue.put(item);
}

function* consume(queue: asyncio.Queue<number>, items: number): asyncio.Coro<number> {
  let sum = 0;
  for (let count = 0; count < items; count++) sum += yield* queue.get();
  return sum;
}

function* main(items: number, maxsize: number): asyncio.Coro<Measurement> {
  const queue = new asyncio.Queue<number>(maxsize);
  const started = performance.now();
  const producer = asyncio.createTask(produce(queue, items));
  const sum = yield* consume(queue, items);
  yield* producer;
  const seconds = (performance.now() - started) / 1000;
  if (sum !== (items * (items - 1)) / 2) throw new Error(`queue lost items: sum ${sum}`);
  return { value: items / seconds, detail: { items, total_s: seconds } };
}

/**
 * Runs `items` integers through a `Queue(maxsize)` with one producer and one consumer task;
 * resolves with items per second.
 */
export async function queueThroughput(items = ITEMS, maxsize = MAXSIZE): Promise<number> {
  return (await asyncio.run(main(items, maxsize))).value;
}

export default defineWorkload({
  name: "queue",
  order: 50,
  title: `queue: ${ITEMS.toLocaleString("en-US")} items through Queue(${MAXSIZE}), 1 producer, 1 consumer`,
  unit: "items/s",
  better: "higher",
  implementations: [
    ours(() => asyncio.run(main(ITEMS, MAXSIZE))),
    ...pythonAnchors("py/queue_bench.py", ["--items", String(ITEMS), "--maxsize", String(MAXSIZE)]),
  ],
  targets: [{ kind: "speedup", anchor: "uvloop", atLeast: 3 }],
});
