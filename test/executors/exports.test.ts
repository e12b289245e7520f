/**
 * The package entry exports every executor name, the loop has its executor methods, and the
 * error classes read well and sit in the right hierarchy.
 */

import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";

it("the package entry exports every executor, helper and error, and the loop's executor methods", () => {
  const names = [
    "BrokenExecutor",
    "BrokenProcessPool",
    "BrokenThreadPool",
    "ExecutorQueueFull",
    "ProcessPoolExecutor",
    "ThreadPoolExecutor",
    "UnsendableError",
    "WorkModule",
    "WorkerError",
    "toThread",
    "transfer",
    "workModule",
    "workSignal",
  ];
  for (const name of names) {
    assert.equal(typeof (asyncio as Record<string, unknown>)[name], "function", name);
  }
  for (const method of ["runInExecutor", "setDefaultExecutor", "shutdownDefaultExecutor"]) {
    assert.equal(
      typeof (asyncio.EventLoop.prototype as unknown as Record<string, unknown>)[method],
      "function",
      method,
    );
  }
  const broken = new asyncio.BrokenProcessPool("worker died", {
    exitCode: null,
    signal: "SIGKILL",
  });
  assert.ok(broken instanceof asyncio.BrokenExecutor);
  assert.ok(broken instanceof asyncio.RuntimeError);
  assert.equal(String(broken), "BrokenProcessPool: worker died");
  assert.equal(broken.signal, "SIGKILL");
  assert.ok(new asyncio.BrokenThreadPool("x") instanceof asyncio.BrokenExecutor);
  assert.ok(new asyncio.ExecutorQueueFull("x") instanceof asyncio.RuntimeError);
  const unsendable = new asyncio.UnsendableError("argument 1 cannot be sent");
  assert.ok(unsendable instanceof TypeError);
  assert.equal(String(unsendable), "UnsendableError: argument 1 cannot be sent");
  assert.equal(asyncio.workSignal().aborted, false, "outside a worker the signal never aborts");
});
