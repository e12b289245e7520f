/**
 * The executor–host protocol without Redis: the portable work identity (a path under the
 * root, refused outside it on either side), the strict JSON check, and errors through
 * BullMQ's `failedReason` and back.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BullMQExecutor, runWorkerHost } from "../../src/bullmq/index.ts";
import {
  decodeFailure,
  encodeFailure,
  findNonJSON,
  portableModule,
  resolveModule,
  rootURL,
} from "../../src/bullmq/protocol.ts";
import { main as workerMain } from "../../src/cli/worker.ts";
import * as asyncio from "../../src/index.ts";
import { tasks } from "./helpers.ts";

describe("bullmq protocol", () => {
  it("names work by its path under the root, and refuses work outside it", () => {
    const root = rootURL(new URL("../", import.meta.url), "root");
    assert.equal(portableModule(tasks.fn("add"), root), "bullmq/fixtures/work.ts");
    assert.throws(
      () => portableModule(tasks.fn("add"), rootURL("/srv/elsewhere", "root")),
      /outside the executor's root file:\/\/\/srv\/elsewhere\//,
    );
    assert.equal(
      resolveModule("bullmq/fixtures/work.ts", root).href,
      new URL("../bullmq/fixtures/work.ts", import.meta.url).href,
    );
    assert.throws(
      () => resolveModule("../etc/passwd.js", root),
      /runs only modules inside its root/,
    );
    assert.throws(() => resolveModule("/etc/passwd.js", root), /runs only modules inside its root/);
  });

  it("accepts exactly what JSON keeps", () => {
    assert.equal(findNonJSON({ a: [1, "x", null, true, { b: 2 }], c: undefined }, "value"), null);
    assert.match(findNonJSON(new Set([1]), "value")!, /value is an object of class Set/);
    assert.match(findNonJSON({ f() {} }, "value")!, /value\.f is the function f/);
    assert.match(findNonJSON([Symbol("s")], "value")!, /value\[0\] is a symbol/);
    assert.match(
      findNonJSON(Number.POSITIVE_INFINITY, "value")!,
      /Infinity, which JSON turns into null/,
    );
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.match(findNonJSON(cycle, "value")!, /value\.self refers back to itself/);
    const shared = { x: 1 };
    assert.equal(findNonJSON([shared, shared], "value"), null, "a shared object is not a cycle");
  });

  it("carries an error's class name, message, stack, properties and cause through failedReason", () => {
    const original = Object.assign(new Error("bad input", { cause: new RangeError("too long") }), {
      code: "E_BAD",
      when: new Date(0),
    });
    original.name = "ValidationError";
    const reason = encodeFailure(original);
    assert.equal(reason.split("\n")[0], "ValidationError: bad input");
    const back = decodeFailure(reason);
    assert.ok(back instanceof asyncio.WorkerError);
    assert.equal(back.name, "ValidationError");
    assert.equal(back.message, "bad input");
    assert.equal(back.stack, original.stack);
    assert.equal((back as unknown as { code: string }).code, "E_BAD");
    assert.equal("when" in back, false, "a Date property is dropped, not mangled");
    assert.ok(back.cause instanceof RangeError);
    const plain = decodeFailure("job stalled more than allowable limit");
    assert.ok(plain instanceof asyncio.WorkerError);
    assert.equal(plain.message, "job stalled more than allowable limit");
  });

  it("refuses bad work at submit without connecting to anything", async () => {
    await asyncio.run(
      (function* () {
        const executor = new BullMQExecutor({ queue: "never", root: "/srv/elsewhere" });
        assert.throws(() => executor.submit(tasks.fn("add"), 1, 2), /outside the executor's root/);
        assert.throws(
          // @ts-expect-error: a plain function is not work
          () => executor.submit((a: number) => a, 1),
          /pass workModule\(url\)\.fn\(name\)/,
        );
        assert.equal(executor.statistics().submitted, 0);
        yield* executor.shutdown();
      })(),
    );
  });

  it("refuses bad worker host options before connecting, naming the option", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ queue: "" }, /needs the queue's name/],
      [{ queue: "q", maxWorkers: 0 }, /maxWorkers must be an integer >= 1, got 0/],
      [{ queue: "q", prefetch: -1 }, /prefetch must be an integer >= 0, got -1/],
      [{ queue: "q", prefetch: 1.5 }, /prefetch must be an integer >= 0, got 1\.5/],
      [{ queue: "q", pool: "fiber" }, /pool must be "thread" or "process"/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(
        asyncio.run(runWorkerHost(options as unknown as Parameters<typeof runWorkerHost>[0])),
        message,
      );
    }
    const errors: string[] = [];
    const original = console.error;
    console.error = (text: unknown) => errors.push(String(text));
    try {
      assert.equal(await workerMain(["--queue", "q", "--prefetch", "two"]), 2);
      assert.equal(await workerMain(["--queue", "q", "--prefetch=-1"]), 2);
    } finally {
      console.error = original;
    }
    assert.match(errors[0]!, /--prefetch expects an integer >= 0, got 'two'/);
    assert.match(errors[1]!, /--prefetch expects an integer >= 0, got '-1'/);
  });
});
