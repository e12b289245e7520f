// The startup workload's measured program, run with plain node (no loader) as users run a
// compiled application: how long a fresh pool takes to give its first result, in ms, printed
// as the only line. `pool` uses asyncio-ts compiled to dist/; `raw` a bare worker_threads
// Worker that imports the work module and answers one message.
import { Worker } from "node:worker_threads";

const FIB = new URL("./fib.mjs", import.meta.url).href;

async function pool() {
  const asyncio = await import(new URL("../../dist/index.js", import.meta.url).href);
  const fib = asyncio.workModule(FIB).fn("fib");
  return asyncio.run(
    (function* () {
      const started = performance.now();
      const executor = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
      try {
        yield* executor.submit(fib, 1);
        return performance.now() - started;
      } finally {
        yield* executor.shutdown();
      }
    })(),
  );
}

const RAW_WORKER = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", async ({ module, n }) => {
  const { fib } = await import(module);
  parentPort.postMessage(fib(n));
});
`;

function raw() {
  const started = performance.now();
  const worker = new Worker(RAW_WORKER, { eval: true });
  worker.postMessage({ module: FIB, n: 1 });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", () => {
      const elapsed = performance.now() - started;
      worker.terminate().then(() => resolve(elapsed), reject);
    });
  });
}

const modes = { pool, raw };
const mode = modes[process.argv[2]];
if (mode === undefined) throw new Error("usage: node bench/js/startup.mjs pool|raw");
console.log(await mode());
