/**
 * net_signals: loop.addSignalHandler / removeSignalHandler. A signal sent to this process
 * runs the handler on the loop, with its arguments; handlers are replaced, removed, and
 * gone after run() finishes.
 *
 * The tests use SIGWINCH: its default action is to do nothing, and Node gives it no listener
 * of its own unless stdout is a terminal (counted as the baseline). Not SIGUSR2: Node 24's
 * test runner starts test files with a SIGUSR2 listener that writes a diagnostic report.
 */

import assert from "node:assert/strict";
import { constants } from "node:os";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";

const BASELINE = process.listenerCount("SIGWINCH");

test("a signal runs its handler on the loop with its arguments", async () => {
  const events = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const events: string[] = [];
      const got = loop.createFuture<void>();
      loop.addSignalHandler("SIGWINCH", () => events.push("replaced"));
      loop.addSignalHandler(
        "SIGWINCH",
        (tag: string) => {
          events.push(`handler ${tag} inside a task's loop: ${asyncio.getRunningLoop() === loop}`);
          got.setResult(undefined);
        },
        "tag-1",
      );
      process.kill(process.pid, "SIGWINCH");
      yield* got;
      events.push(
        `removed ${loop.removeSignalHandler("SIGWINCH")} then ${loop.removeSignalHandler("SIGWINCH")}`,
      );
      return events;
    })(),
  );
  assert.deepEqual(events, ["handler tag-1 inside a task's loop: true", "removed true then false"]);
  assert.equal(process.listenerCount("SIGWINCH"), BASELINE);
});

test("handlers are removed when run() finishes; bad signals are refused", async () => {
  await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      loop.addSignalHandler(constants.signals.SIGWINCH, () => {});
      assert.equal(process.listenerCount("SIGWINCH"), BASELINE + 1);
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
  assert.equal(process.listenerCount("SIGWINCH"), BASELINE);
});
