/**
 * net_dns: loop.getaddrinfo / getnameinfo with Python's result shapes, on addresses that
 * resolve without a network (literal addresses, localhost from /etc/hosts), and the errors.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";
import { osErrorFrom } from "../../src/net/errors.ts";

test("getaddrinfo gives Python's tuples: one per address and socket type", async () => {
  const results = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      return [
        yield* loop.getaddrinfo("127.0.0.1", 80),
        yield* loop.getaddrinfo("localhost", "8080", {
          type: asyncio.SOCK_STREAM,
          family: asyncio.AF_INET,
        }),
        yield* loop.getaddrinfo(null, 80, { type: asyncio.SOCK_STREAM }),
        yield* loop.getaddrinfo("::1", 53, { proto: 17 }),
      ];
    })(),
  );
  assert.deepEqual(results, [
    [
      [2, 1, 6, "", ["127.0.0.1", 80]],
      [2, 2, 17, "", ["127.0.0.1", 80]],
      [2, 3, 0, "", ["127.0.0.1", 80]],
    ],
    [[2, 1, 6, "", ["127.0.0.1", 8080]]],
    [
      [10, 1, 6, "", ["::1", 80, 0, 0]],
      [2, 1, 6, "", ["127.0.0.1", 80]],
    ],
    [[10, 2, 17, "", ["::1", 53, 0, 0]]],
  ]);
});

test("getnameinfo gives the host and service names, or the numbers with NI_NUMERIC*", async () => {
  const results = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      return [
        yield* loop.getnameinfo(["127.0.0.1", 80]),
        yield* loop.getnameinfo(["127.0.0.1", 80], asyncio.NI_NUMERICHOST | asyncio.NI_NUMERICSERV),
        yield* loop.getnameinfo(["127.0.0.1", 22], asyncio.NI_NUMERICHOST),
      ];
    })(),
  );
  assert.deepEqual(results, [
    ["localhost", "http"],
    ["127.0.0.1", "80"],
    ["127.0.0.1", "ssh"],
  ]);
});

test("bad arguments fail at the call; resolver failures are GaiError", async () => {
  await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      assert.throws(
        () => loop.getaddrinfo("localhost", "http")[Symbol.iterator]().next(),
        /service names such as "http" are not looked up/,
      );
      assert.throws(
        () => loop.getaddrinfo("localhost", 80, { family: 99 })[Symbol.iterator]().next(),
        /family must be AF_UNSPEC/,
      );
      assert.throws(
        () =>
          loop
            .getaddrinfo(42 as never, 80)
            [Symbol.iterator]()
            .next(),
        /host must be a non-empty string/,
      );
      assert.throws(
        () => loop.getnameinfo(["localhost", 80])[Symbol.iterator]().next(),
        /the host must be an IP address/,
      );
      yield* asyncio.sleep(0);
    })(),
  );
  const nodeError = Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), {
    code: "ENOTFOUND",
    syscall: "getaddrinfo",
  });
  const mapped = osErrorFrom(nodeError);
  assert.ok(mapped instanceof asyncio.GaiError);
  assert.equal((mapped as asyncio.GaiError).code, "ENOTFOUND");
  assert.equal((mapped as Error).cause, nodeError);
});
