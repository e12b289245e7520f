/**
 * The asyncio-ts showcase (`npm start`): a tour of what one event loop does on one thread.
 * Each part lives in examples/showcase/ and can be read on its own.
 */

import * as asyncio from "../src/index.ts";
import { cpuDemo } from "./showcase/cpu.ts";
import { distributedDemo } from "./showcase/distributed.ts";
import { downloadsDemo } from "./showcase/downloads.ts";
import { networkDemo } from "./showcase/network.ts";
import { pipelineDemo } from "./showcase/pipeline.ts";
import { requestsDemo } from "./showcase/requests.ts";

const parts: [string, () => asyncio.Coro<void>][] = [
  ["Concurrent requests", requestsDemo],
  ["Structured concurrency: a TaskGroup of downloads", downloadsDemo],
  ["A pipeline: bounded queue and a semaphore-limited stage", pipelineDemo],
  ["Networking: an echo server, its clients, a child process", networkDemo],
  ["CPU-bound work on worker threads", cpuDemo],
  ["Past one machine: jobs on worker hosts through Redis", distributedDemo],
];

function* main(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  for (const [title, part] of parts) {
    console.log(`\n== ${title} ==`);
    const started = loop.time();
    yield* part();
    console.log(`(${title.toLowerCase()}: ${(loop.time() - started).toFixed(2)} s)`);
  }
}

const started = performance.now();
await asyncio.run(main());
console.log(`\nshowcase finished in ${((performance.now() - started) / 1000).toFixed(2)} s`);
