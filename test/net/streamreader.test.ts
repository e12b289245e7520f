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
