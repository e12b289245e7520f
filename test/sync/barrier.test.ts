import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

/** Starts `count` tasks running `body`, lets them run, and returns them. */
function* startTasks<T>(
  count: number,
  body: () => asyncio.Awaitable<T>,
): asyncio.Coro<asyncio.Task<T>[]> {
  const tasks: asyncio.Task<T>[] = [];
  for (let i = 0; i < count; i++) tasks.push(asyncio.createTask(body()));
  yield* asyncio.sleep(0);
  return tasks;
}

/** Waits for every task; returns each one's result or error. */
function* settle<T>(tasks: asyncio.Task<T>[]): asyncio.Coro<(T | unknown)[]> {
  const outcomes: (T | unknown)[] = [];
  for (const task of tasks) {
    try {
      outcomes.push(yield* task);
    } catch (error) {
      outcomes.push(error);
    }
  }
  return outcomes;
}

describe("Barrier", () => {
  it("releases everyone once `parties` tasks wait; each gets its arrival index", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(3);
        function* party(name: string, delay: number): asyncio.Coro<number> {
          yield* asyncio.sleep(delay);
          events.push(`${name} arrives`);
          const index = yield* barrier.wait();
          events.push(`${name} leaves ${index}`);
          return index;
        }
        const tasks = [
          asyncio.createTask(party("a", 1)),
          asyncio.createTask(party("b", 3)),
          asyncio.createTask(party("c", 2)),
        ];
        const indexes = yield* settle(tasks);
        assert.deepEqual(indexes, [0, 2, 1]);
        assert.equal(barrier.nWaiting, 0);
        assert.equal(barrier.broken, false);
      })(),
    );
    assert.deepEqual(events, [
      "a arrives",
      "c arrives",
      "b arrives",
      "b leaves 2",
      "a leaves 0",
      "c leaves 1",
    ]);
  });

  it("a barrier of one never blocks, and can be used round after round", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(1);
        assert.equal(yield* barrier.wait(), 0);
        assert.equal(yield* barrier.wait(), 0);
      })(),
    );
  });

  it("tasks arriving while a round drains wait for the next round", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(2);
        const rounds: number[][] = [];
        function* twice(): asyncio.Coro<void> {
          rounds.push([yield* barrier.wait()]);
          rounds.push([yield* barrier.wait()]);
        }
        const tasks = yield* startTasks(2, twice);
        yield* settle(tasks);
        assert.equal(rounds.length, 4);
        assert.deepEqual(rounds.flat().sort(), [0, 0, 1, 1]);
      })(),
    );
  });

  it("shows draining to every task but the last one out", async () => {
    const seen: boolean[] = [];
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(3);
        const tasks = yield* startTasks(3, function* () {
          yield* barrier.wait();
          seen.push(String(barrier).includes("draining"));
        });
        yield* settle(tasks);
        assert.equal(String(barrier), "<Barrier [filling, waiters:0/3]>");
      })(),
    );
    assert.deepEqual(seen, [true, true, false]);
  });

  it("a cancelled waiter frees its place; the round completes with a newcomer", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(3);
        const t1 = asyncio.createTask(barrier.wait());
        yield* asyncio.sleep(0);
        const t2 = asyncio.createTask(barrier.wait());
        yield* asyncio.sleep(0);
        assert.equal(barrier.nWaiting, 2);
        t1.cancel();
        yield* asyncio.sleep(0);
        assert.equal(barrier.nWaiting, 1);
        assert.equal(t1.cancelled(), true);
        const t3 = asyncio.createTask(barrier.wait());
        yield* asyncio.sleep(0);
        assert.equal(barrier.nWaiting, 2);
        const t4 = asyncio.createTask(barrier.wait());
        // An index counts the tasks waiting on arrival: t2 came second, and so did t3 once t1
        // had left (asyncio gives the same [1, 1, 2]).
        const indexes = yield* settle([t2, t3, t4]);
        assert.deepEqual(indexes, [1, 1, 2]);
        assert.equal(barrier.nWaiting, 0);
      })(),
    );
  });

  it("reset() sends waiting tasks away with BrokenBarrierError and refills", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(3);
        const waiting = yield* startTasks(2, () => barrier.wait());
        assert.equal(barrier.nWaiting, 2);
        yield* barrier.reset();
        assert.equal(String(barrier), "<Barrier [resetting, waiters:0/3]>");
        const outcomes = yield* settle(waiting);
        for (const outcome of outcomes) assert.ok(outcome instanceof asyncio.BrokenBarrierError);
        assert.equal(barrier.broken, false);
        assert.equal(String(barrier), "<Barrier [filling, waiters:0/3]>");
        const again = yield* startTasks(3, () => barrier.wait());
        assert.deepEqual((yield* settle(again)).sort(), [0, 1, 2]);
      })(),
    );
  });

  it("reset() of an empty barrier just refills it", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(2);
        yield* barrier.abort();
        assert.equal(barrier.broken, true);
        yield* barrier.reset();
        assert.equal(barrier.broken, false);
        assert.equal(String(barrier), "<Barrier [filling, waiters:0/2]>");
      })(),
    );
  });

  it("abort() breaks the barrier for waiting tasks and every later wait", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(3);
        const waiting = yield* startTasks(2, () => barrier.wait());
        yield* barrier.abort();
        assert.equal(barrier.broken, true);
        assert.equal(String(barrier), "<Barrier [broken]>");
        for (const outcome of yield* settle(waiting)) {
          assert.ok(outcome instanceof asyncio.BrokenBarrierError);
          assert.ok(outcome instanceof asyncio.RuntimeError);
        }
        try {
          yield* barrier.wait();
          assert.fail("broken");
        } catch (error) {
          assert.ok(error instanceof asyncio.BrokenBarrierError);
          assert.equal(error.name, "BrokenBarrierError");
        }
        assert.equal(barrier.nWaiting, 0);
      })(),
    );
  });

  it("abort from a failing party: nobody waits for it forever", async () => {
    const parties = 5;
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(parties);
        let broken = 0;
        let passed = 0;
        const tasks = yield* startTasks(parties, function* () {
          try {
            const index = yield* barrier.aenter();
            if (index === 2) throw new Error("party failed");
            yield* barrier.wait();
            passed++;
          } catch (error) {
            if (error instanceof asyncio.BrokenBarrierError) broken++;
            else yield* barrier.abort();
          }
        });
        yield* settle(tasks);
        assert.equal(barrier.broken, true);
        assert.equal(passed, 0);
        assert.equal(broken, parties - 1);
      })(),
    );
  });

  it("rejects parties below 1", () => {
    assert.throws(() => new asyncio.Barrier(0), { name: "ValueError" });
    assert.throws(() => new asyncio.Barrier(1.5), { name: "TypeError" });
  });

  it("is an async context manager whose value is the arrival index", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(1);
        assert.equal(yield* barrier.aenter(), 0);
        assert.equal(yield* barrier.aexit(new Error("x")), false);
      })(),
    );
  });

  it("statistics, toString and inspect show phase and waiters", async () => {
    await runVirtual(
      (function* () {
        const barrier = new asyncio.Barrier(3);
        const waiting = yield* startTasks(2, () => barrier.wait());
        assert.deepEqual(barrier.statistics(), {
          parties: 3,
          nWaiting: 2,
          state: "filling",
          broken: false,
        });
        assert.equal(inspect(barrier), "<Barrier [filling, waiters:2/3]>");
        assert.equal(barrier.parties, 3);
        const last = asyncio.createTask(barrier.wait());
        yield* asyncio.sleep(0);
        assert.equal(barrier.statistics().state, "draining");
        assert.equal(barrier.nWaiting, 0);
        yield* settle([...waiting, last]);
      })(),
    );
  });
});
