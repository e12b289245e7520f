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

/** A part is a coroutine function (run with asyncio.run) or ordinary async code. */
const parts: [string, () => asyncio.Coro<void> | Promise<void>][] = [
  ["Concurrent requests", requestsDemo],
  ["Structured concurrency: a TaskGroup of downloads", downloadsDemo],
  ["A pipeline: bounded queue and a semaphore-limited stage", pipelineDemo],
  [
    "Networking: an HTTP server on a ConcurrentRunner, an echo server, a child process",
    networkDemo,
  ],
  ["CPU-bound work on worker threads", cpuDemo],
  ["Past one machine: jobs on worker hosts through Redis", distributedDemo],
];

const started = performance.now();
for (const [title, part] of parts) {
  console.log(`\n== ${title} ==`);
  const partStarted = performance.now();
  const running = part();
  await (running instanceof Promise ? running : asyncio.run(running));
  console.log(
    `(${title.toLowerCase()}: ${((performance.now() - partStarted) / 1000).toFixed(2)} s)`,
  );
}
console.log(`\nshowcase finished in ${((performance.now() - started) / 1000).toFixed(2)} s`);
