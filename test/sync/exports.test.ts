import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";

it("the package entry exports every sync primitive, queue and error", () => {
  const names = [
    "Barrier",
    "BoundedSemaphore",
    "BrokenBarrierError",
    "Condition",
    "Event",
    "LifoQueue",
    "Lock",
    "PriorityQueue",
    "Queue",
    "QueueEmpty",
    "QueueFull",
    "QueueShutDown",
    "Semaphore",
    "pythonCompare",
  ];
  for (const name of names) {
    assert.equal(typeof (asyncio as Record<string, unknown>)[name], "function", name);
  }
  for (const ErrorClass of [asyncio.QueueEmpty, asyncio.QueueFull, asyncio.QueueShutDown]) {
    const error = new ErrorClass("message");
    assert.ok(error instanceof Error);
    assert.equal(error.name, ErrorClass.name);
    assert.equal(String(error), `${ErrorClass.name}: message`);
  }
  assert.ok(new asyncio.BrokenBarrierError("x") instanceof asyncio.RuntimeError);
});
