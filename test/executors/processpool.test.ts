/**
 * ProcessPoolExecutor: work in child processes (TypeScript and JavaScript modules), values
 * copied both ways, errors crossing back, `maxTasksPerChild`.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import type * as plain from "./fixtures/plain.mjs";
import { failure, runMain, tasks } from "./helpers.ts";

const plainModule = asyncio.workModule<typeof plain>(
  new URL("./fixtures/plain.mjs", import.meta.url),
);

let pool: asyncio.ProcessPoolExecutor;

before(() => {
  pool = new asyncio.ProcessPoolExecutor({
    maxWorkers: 1,
    maxTasksPerChild: 3,
  });
});

after(async () => {
  await pool.shutdown({ timeout: 2 });
});

describe("ProcessPoolExecutor", () => {
  it("runs TypeScript and JavaScript work in another process; values are copied both ways", async () => {
    const value = { when: new Date(0), tags: new Map([["a", 1]]), bytes: new Uint8Array([1, 2]) };
    const [where, doubled, echoed] = await runMain(function* () {
      return [
        yield* pool.submit(tasks.fn("whereAmI")),
        yield* pool.submit(plainModule.fn("double"), 4),
        yield* pool.submit(tasks.fn("echo"), value),
      ] as const;
    });
    assert.notEqual(where.pid, process.pid);
    assert.equal(doubled, 8);
    assert.deepEqual(echoed, value);
  });

  it("rebuilds errors thrown in the process, and names an argument that cannot be sent", async () => {
    const [thrown, unsendable] = await runMain(function* () {
      return [
        yield* failure(() => pool.submit(tasks.fn("validate"), "zip")),
        yield* failure(() => pool.submit(tasks.fn("echo"), Symbol("token"))),
      ] as const;
    });
    assert.ok(thrown instanceof asyncio.WorkerError);
    assert.equal(thrown.name, "ValidationError");
    assert.equal((thrown as unknown as { field: string }).field, "zip");
    assert.ok(unsendable instanceof asyncio.UnsendableError);
    assert.match(unsendable.message, /^echo \(work\.ts\): argument 1 \(a symbol\) cannot be sent/);
  });

  it("replaces a process after maxTasksPerChild items", async () => {
    const pids = await runMain(function* () {
      const pids: number[] = [];
      for (let i = 0; i < 4; i++) pids.push((yield* pool.submit(tasks.fn("whereAmI"))).pid);
      return pids;
    });
    // The earlier tests ran four items: the second process ran one of them.
    assert.deepEqual(
      pids.map((pid) => pid === pids[0]),
      [true, true, false, false],
    );
  });
});
