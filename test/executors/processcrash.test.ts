/**
 * Worker processes that die: an exit code, a signal, an uncaught error (whose stderr output
 * the error quotes). The item fails with BrokenProcessPool; the process is replaced. What the
 * children write to stderr, which the pool passes through, is captured and checked here
 * rather than let into the test run's output.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { failure, runMain, tasks } from "./helpers.ts";

let pool: asyncio.ProcessPoolExecutor;

before(() => {
  pool = new asyncio.ProcessPoolExecutor({ maxWorkers: 1 });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

describe("ProcessPoolExecutor: dead workers", () => {
  it("names the exit code, the signal, or the uncaught error's output; the pool goes on", async () => {
    const passedThrough: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      passedThrough.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    const [exited, killed, uncaught, next] = await runMain(function* () {
      return [
        yield* failure(() => pool.submit(tasks.fn("exitWith"), 7)),
        yield* failure(() => pool.submit(tasks.fn("killSelf"), "SIGKILL")),
        yield* failure(() => pool.submit(tasks.fn("throwLater"))),
        yield* pool.submit(tasks.fn("add"), 20, 22),
      ] as const;
    }).finally(() => {
      process.stderr.write = write;
    });
    assert.match(passedThrough.join(""), /Error: thrown from a timer\n\s+at Timeout/);
    assert.ok(exited instanceof asyncio.BrokenProcessPool);
    assert.equal(exited.exitCode, 7);
    assert.match(
      exited.message,
      /^worker process \d+ exited with code 7 while running exitWith \(work\.ts\); the pool replaces it$/,
    );
    assert.ok(killed instanceof asyncio.BrokenProcessPool);
    assert.equal(killed.signal, "SIGKILL");
    assert.equal(killed.exitCode, null);
    assert.match(killed.message, /was killed by signal SIGKILL while running killSelf/);
    assert.ok(uncaught instanceof asyncio.BrokenProcessPool);
    assert.match(
      uncaught.message,
      /exited with code 1 while running throwLater .*its last output: .*thrown from a timer/s,
    );
    assert.equal(next, 42);
    assert.equal(pool.statistics().workerCrashes, 3);
  });
});
