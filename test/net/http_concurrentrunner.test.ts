/**
 * net_http_concurrentrunner: a real node:http server on 127.0.0.1 whose handler is ordinary
 * async code running each request's coroutine on one shared ConcurrentRunner. 200 concurrent
 * requests share a Semaphore; clients that disconnect cancel their coroutines (their finally
 * blocks run); afterwards nothing is left running. Real clock (real sockets); bounded.
 */

import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";

const REQUESTS = 200;
const DISCONNECTING = 20;
const LIMIT = 8;

/** Counts of each kind of resource keeping Node's event loop alive. */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo())
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

test("an HTTP server runs 200 concurrent requests on one ConcurrentRunner sharing a Semaphore", {
  timeout: 30_000,
}, async () => {
  const before = activeResources();
  const runner = new asyncio.ConcurrentRunner();
  const loop = runner.getLoop();
  const database = new asyncio.Semaphore(LIMIT);
  let active = 0;
  let maxActive = 0;
  const cleanedUp: number[] = [];
  let cancelledRuns = 0;
  let slowStarted = 0;
  let allSlowStarted!: () => void;
  const slowClientsMayLeave = new Promise<void>((resolve) => {
    allSlowStarted = resolve;
  });

  // What a request does: it holds one of LIMIT slots a while; a slow one until cancelled.
  function* handle(id: number, slow: boolean): asyncio.Coro<string> {
    try {
      if (slow && ++slowStarted === DISCONNECTING) allSlowStarted();
      return yield* asyncio.using(database, function* () {
        active++;
        maxActive = Math.max(maxActive, active);
        try {
          yield* asyncio.sleep(slow ? 3600 : 0.002);
          return `answer ${id}`;
        } finally {
          active--;
        }
      });
    } finally {
      if (slow) cleanedUp.push(id);
    }
  }

  const server = http.createServer(async (request, response) => {
    const [, kind, id] = (request.url ?? "").split("/");
    const disconnected = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) disconnected.abort(new Error("client disconnected"));
    });
    try {
      const body = await runner.run(handle(Number(id), kind === "slow"), {
        signal: disconnected.signal,
      });
      response.end(body);
    } catch (error) {
      if (error instanceof asyncio.CancelledError) cancelledRuns++;
      else response.destroy(error as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: false, maxSockets: REQUESTS });

  function fetch(path: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port, path, agent }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve(body));
        response.on("error", reject);
      });
      request.on("error", reject);
      if (path.startsWith("/slow/")) {
        // Leaves once every slow request's coroutine runs on the server.
        void slowClientsMayLeave.then(() => request.destroy(new Error("client left")));
      }
    });
  }

  try {
    const outcomes = await Promise.allSettled(
      Array.from({ length: REQUESTS }, (_, id) =>
        fetch(id < DISCONNECTING ? `/slow/${id}` : `/fast/${id}`),
      ),
    );
    const answered = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const left = outcomes.filter((outcome) => outcome.status === "rejected");
    assert.equal(left.length, DISCONNECTING);
    assert.deepEqual(
      answered.map((outcome) => outcome.value).sort(),
      Array.from(
        { length: REQUESTS - DISCONNECTING },
        (_, i) => `answer ${i + DISCONNECTING}`,
      ).sort(),
    );
    // The server sees each disconnect on its own schedule: wait (bounded) for the last.
    for (let tries = 0; cancelledRuns < DISCONNECTING && tries < 500; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(cancelledRuns, DISCONNECTING);
    assert.deepEqual(
      cleanedUp.sort((a, b) => a - b),
      Array.from({ length: DISCONNECTING }, (_, i) => i),
    );
    assert.ok(maxActive <= LIMIT, `at most ${LIMIT} at once, saw ${maxActive}`);
    assert.ok(maxActive > 1, "requests ran concurrently");
    assert.equal(active, 0);
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runner.close();
  }
  assert.equal(loop.isClosed(), true);
  // Node finishes closing handles (and the runtime its own file reads) in later turns: give
  // them up to a second before calling anything left a leak.
  const leftOver = () =>
    [...activeResources()]
      .filter(([kind, count]) => count > (before.get(kind) ?? 0))
      .map(([kind, count]) => `${kind} (${count})`);
  let left = leftOver();
  for (let attempt = 0; attempt < 50 && left.length > 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    left = leftOver();
  }
  assert.deepEqual(left, [], `left running: ${left.join(", ")}`);
});
