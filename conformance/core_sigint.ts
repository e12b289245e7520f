/**
 * Port of core_sigint.py: SIGINT under `run()`. Real clock: the signal comes from outside the
 * loop while the main task sleeps.
 */

import * as asyncio from "../src/index.ts";

function* worker(): asyncio.Coro<void> {
  try {
    yield* asyncio.sleep(5);
  } finally {
    console.log("worker finally: cancelled at shutdown");
  }
}

function* interrupted(): asyncio.Coro<void> {
  asyncio.createTask(worker());
  try {
    process.kill(process.pid, "SIGINT");
    yield* asyncio.sleep(5);
    console.log("never printed");
  } catch (error) {
    if (asyncio.isCancelledError(error)) console.log("main cancelled by SIGINT");
    throw error;
  } finally {
    console.log("main finally");
  }
}

function* handlesIt(): asyncio.Coro<string> {
  try {
    process.kill(process.pid, "SIGINT");
    yield* asyncio.sleep(5);
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("main caught the cancellation and returns");
  }
  return "returned normally";
}

try {
  await asyncio.run(interrupted());
} catch (error) {
  if (!(error instanceof asyncio.KeyboardInterrupt)) throw error;
  console.log("asyncio.run raised KeyboardInterrupt");
}
console.log("asyncio.run ->", await asyncio.run(handlesIt()));
