/**
 * Port of core_cancel_message_first.py: a task cancelled twice while waiting on a future gets
 * the first cancel()'s message. Virtual clock (the Python program never waits on time).
 */

import * as asyncio from "../src/index.ts";

function* main(): asyncio.Coro<void> {
  const fut = asyncio.getRunningLoop().createFuture<void>();
  function* body(): asyncio.Coro<void> {
    try {
      yield* fut;
    } catch (error) {
      if (asyncio.isCancelledError(error)) console.log(`body caught '${error.message}'`);
      throw error;
    }
  }
  const task = asyncio.createTask(body());
  yield* asyncio.sleep(0);
  task.cancel("first");
  task.cancel("second");
  try {
    yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log(`await task raised '${error.message}'`);
  }
}

await asyncio.run(main(), { clock: "virtual" });
