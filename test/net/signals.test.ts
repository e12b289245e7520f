/**
 * net_signals: loop.addSignalHandler / removeSignalHandler. A signal sent to this process
 * runs the handler on the loop, with its arguments; handlers are replaced, removed, and
 * gone after run() finishes.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";

test("a signal runs its handler on the loop with its arguments", async () => {
  const events = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const events: string[] = [];
      const got = loop.createFuture<void>();
      loop.addSignalHandler("SIGUSR2", () => events.push("replaced"));
      loop.addSignalHandler(
        "SIGUSR2",
        (tag: string) => {
          events.push(`handler ${tag} inside a task's loop: ${asyncio.getRunningLoop() === loop}`);
          got.setResult(undefined);
        },
        "tag-1",
      );
      process.kill(process.pid, "SIGUSR2");
      yield* got;
      events.push(
        `removed ${loop.removeSignalHandler("SIGUSR2")} then ${loop.removeSignalHandler("SIGUSR2")}`,
      );
      return events;
    })(),
  );
  assert.deepEqual(events, ["handler tag-1 inside a task's loop: true", "removed true then false"]);
  assert.equal(process.listenerCount("SIGUSR2"), 0);
});

test("handlers are removed when run() finishes; bad signals are refused", async () => {
  await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      loop.addSignalHandler(12, () => {});
      assert.equal(process.listenerCount("SIGUSR2"), 1);
      assert.throws(
        () => loop.addSignalHandler("SIGKILL", () => {}),
        /sig SIGKILL cannot be caught/,
      );
      assert.throws(
        () => loop.addSignalHandler("SIGNOPE" as never, () => {}),
        /invalid signal "SIGNOPE"/,
      );
      assert.throws(() => loop.addSignalHandler("SIGUSR1", "x" as never), /expects a function/);
      yield* asyncio.sleep(0);
    })(),
  );
  assert.equal(process.listenerCount("SIGUSR2"), 0);
});
