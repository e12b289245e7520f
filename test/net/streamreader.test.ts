/**
 * net_streamreader: a StreamReader fed by hand (no socket). Many waits in a row, a cancelled
 * wait between them and a failure at the end: each read sees exactly its own bytes, whatever
 * the reader reuses between waits.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

test("waits in a row, a cancelled one among them, then a failure", async () => {
  const log = await runVirtual(
    (function* () {
      const reader = new asyncio.StreamReader();
      const log: string[] = [];
      const feed = (text: string, delay: number) =>
        asyncio.getRunningLoop().callLater(delay, () => reader.feedData(Buffer.from(text)));
      for (const word of ["one", "two", "three"]) {
        feed(word, 0.01);
        log.push((yield* reader.readexactly(word.length)).toString());
      }
      const cancelled = asyncio.createTask(reader.read(10));
      yield* asyncio.sleep(0.01);
      cancelled.cancel();
      yield* asyncio.sleep(0);
      log.push(`cancelled=${cancelled.cancelled()}`);
      feed("four", 0.01);
      log.push((yield* reader.read(10)).toString());
      asyncio.getRunningLoop().callLater(0.01, () => reader.setException(new Error("boom")));
      try {
        yield* reader.read(10);
      } catch (error) {
        log.push(`failed: ${(error as Error).message}`);
      }
      return log;
    })(),
  );
  assert.deepEqual(log, ["one", "two", "three", "cancelled=true", "four", "failed: boom"]);
});

test("readexactly(): waits by hand-made steps; cancelled, failed and reused as a coroutine would be", async () => {
  const log = await runVirtual(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const reader = new asyncio.StreamReader();
      const log: string[] = [];
      // Nothing happens until it is awaited: no wait is registered by the call.
      const early = reader.readexactly(3);
      log.push(`waiting after the call: ${reader.statistics().waiting}`);
      const waiting = asyncio.createTask(reader.readexactly(5));
      yield* asyncio.sleep(0);
      log.push(`waiting in a task: ${reader.statistics().waiting}`);
      waiting.cancel();
      yield* asyncio.sleep(0);
      log.push(`cancelled: ${waiting.cancelled()}, waiting: ${reader.statistics().waiting}`);
      reader.feedData(Buffer.from("abcdefgh"));
      log.push((yield* early).toString());
      try {
        yield* early;
      } catch (error) {
        log.push((error as Error).message);
      }
      log.push((yield* reader.readexactly(5)).toString());
      loop.callLater(0.01, () => reader.setException(new Error("reset")));
      try {
        yield* reader.readexactly(1);
      } catch (error) {
        log.push(`failed: ${(error as Error).message}, waiting: ${reader.statistics().waiting}`);
      }
      return log;
    })(),
  );
  assert.deepEqual(log, [
    "waiting after the call: false",
    "waiting in a task: true",
    "cancelled: true, waiting: false",
    "abc",
    "this readexactly() was awaited already: call reader.readexactly(n) again",
    "defgh",
    "failed: reset, waiting: false",
  ]);
});

test("readexactly(): a task cancelled after its data arrived, before it ran, leaves the data", async () => {
  const log = await runVirtual(
    (function* () {
      const reader = new asyncio.StreamReader();
      const log: string[] = [];
      const task = asyncio.createTask(reader.readexactly(4));
      yield* asyncio.sleep(0);
      reader.feedData(Buffer.from("data"));
      task.cancel(); // the wakeup is already queued: the CancelledError is thrown into the read
      yield* asyncio.sleep(0);
      log.push(`cancelled: ${task.cancelled()}, waiting: ${reader.statistics().waiting}`);
      log.push(`buffered: ${reader.statistics().buffered}`);
      // The wait ended for the loop too (it holds virtual time still while I/O is awaited).
      log.push(`foreign waits: ${asyncio.getRunningLoop()._externalWaits}`);
      log.push((yield* reader.readexactly(4)).toString());
      return log;
    })(),
  );
  assert.deepEqual(log, [
    "cancelled: true, waiting: false",
    "buffered: 4",
    "foreign waits: 0",
    "data",
  ]);
});
