/**
 * executors_arguments: the pools, submit, map and shutdown refuse bad arguments from plain
 * JavaScript callers with CPython's error class (TypeError for a wrong type, ValueError for a
 * wrong value, as `ThreadPoolExecutor(max_workers=0)`) and a message naming what to pass; a
 * refused call starts no worker and leaves the pool open.
 */

import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { type BadCall, checkBadCallsNow } from "../helpers.ts";
import { tasks } from "./helpers.ts";

const bad = (value: unknown): never => value as never;

it("pool constructors refuse wrong option names, types and values", () => {
  const thread = (options: unknown) => new asyncio.ThreadPoolExecutor(bad(options));
  const proc = (options: unknown) => new asyncio.ProcessPoolExecutor(bad(options));
  const rows: BadCall[] = [
    [
      "{ maxWorker: 2 }",
      () => thread({ maxWorker: 2 }),
      TypeError,
      /ThreadPoolExecutor\(\): unknown option "maxWorker"; the options are maxWorkers, maxQueueSize, cancelGracePeriod, initializer, initargs, resourceLimits/,
    ],
    ["null", () => thread(null), TypeError, /options must be an object/],
    [
      "{ maxWorkers: 0 }",
      () => thread({ maxWorkers: 0 }),
      asyncio.ValueError,
      /ThreadPoolExecutor\(\): maxWorkers must be a positive integer, got 0/,
    ],
    ["{ maxWorkers: 1.5 }", () => thread({ maxWorkers: 1.5 }), TypeError, /got 1\.5/],
    ["{ maxWorkers: '2' }", () => thread({ maxWorkers: "2" }), TypeError, /got "2"/],
    ["{ maxWorkers: NaN }", () => thread({ maxWorkers: Number.NaN }), TypeError, /got NaN/],
    [
      "{ maxQueueSize: 0 }",
      () => thread({ maxQueueSize: 0 }),
      asyncio.ValueError,
      /maxQueueSize \(or Infinity\) must be a positive integer, got 0/,
    ],
    ["{ maxQueueSize: 2.5 }", () => thread({ maxQueueSize: 2.5 }), TypeError, /got 2\.5/],
    [
      "{ cancelGracePeriod: '1' }",
      () => thread({ cancelGracePeriod: "1" }),
      TypeError,
      /cancelGracePeriod must be a number of seconds >= 0, got "1"/,
    ],
    [
      "{ cancelGracePeriod: -1 }",
      () => thread({ cancelGracePeriod: -1 }),
      asyncio.ValueError,
      /got -1/,
    ],
    [
      "{ cancelGracePeriod: NaN }",
      () => thread({ cancelGracePeriod: Number.NaN }),
      asyncio.ValueError,
      /got NaN/,
    ],
    [
      "{ initializer: 1 }",
      () => thread({ initializer: 1 }),
      TypeError,
      /initializer must be a work function/,
    ],
    [
      "process { resourceLimits }",
      () => proc({ resourceLimits: {} }),
      TypeError,
      /ProcessPoolExecutor\(\): unknown option "resourceLimits"/,
    ],
    [
      "process { maxTasksPerChild: 0 }",
      () => proc({ maxTasksPerChild: 0 }),
      asyncio.ValueError,
      /maxTasksPerChild \(or Infinity\) must be a positive integer, got 0/,
    ],
    [
      "process { maxTasksPerChild: 1.5 }",
      () => proc({ maxTasksPerChild: 1.5 }),
      TypeError,
      /got 1\.5/,
    ],
    [
      "process { maxWorkers: -1 }",
      () => proc({ maxWorkers: -1 }),
      asyncio.ValueError,
      /ProcessPoolExecutor\(\): maxWorkers must be a positive integer, got -1/,
    ],
  ];
  checkBadCallsNow(rows);
});

it("submit, map and shutdown refuse bad arguments and leave the pool open", async () => {
  const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
  try {
    const result = await asyncio.run(
      (function* () {
        const rows: BadCall[] = [
          [
            "submit(plain function)",
            () =>
              pool.submit(
                bad((n: number) => n),
                1,
              ),
            TypeError,
            /pass workModule\(url\)\.fn\(name\)/,
          ],
          [
            "map({ chunkSize })",
            () => pool.map(tasks.fn("square"), [1], bad({ chunkSize: 2 })),
            TypeError,
            /map\(\): unknown option "chunkSize"; the options are chunksize, timeout/,
          ],
          [
            "map({ chunksize: 0 })",
            () => pool.map(tasks.fn("square"), [1], { chunksize: 0 }),
            asyncio.ValueError,
            /map\(\): chunksize must be a positive integer, got 0/,
          ],
          [
            "map({ chunksize: 1.5 })",
            () => pool.map(tasks.fn("square"), [1], { chunksize: 1.5 }),
            TypeError,
            /got 1\.5/,
          ],
          [
            "map({ timeout: NaN })",
            () => pool.map(tasks.fn("square"), [1], { timeout: Number.NaN }),
            TypeError,
            /timeout must be a number of seconds or null/,
          ],
          [
            "map(items 1)",
            () => pool.map(tasks.fn("square"), bad(1)),
            TypeError,
            /expects an iterable of items/,
          ],
          [
            "shutdown({ cancelFuture })",
            () => pool.shutdown(bad({ cancelFuture: true })),
            TypeError,
            /shutdown\(\): unknown option "cancelFuture"; the options are wait, cancelFutures, timeout/,
          ],
          [
            "shutdown({ timeout: '1' })",
            () => pool.shutdown(bad({ timeout: "1" })),
            TypeError,
            /got "1"/,
          ],
          [
            "shutdown({ timeout: -1 })",
            () => pool.shutdown({ timeout: -1 }),
            asyncio.ValueError,
            /got -1/,
          ],
        ];
        checkBadCallsNow(rows);
        assert.equal(pool.statistics().submitted, 0);
        return yield* pool.submit(tasks.fn("square"), 7);
      })(),
    );
    assert.equal(result, 49);
  } finally {
    await pool.shutdown();
  }
});
