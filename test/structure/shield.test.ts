import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { after, caught, runCollectingErrors, runVirtual } from "../helpers.ts";

const { shield, CancelledError } = asyncio;

describe("shield", () => {
  it("gives the inner result, error or cancellation", async () => {
    await runVirtual(
      (function* () {
        assert.equal(yield* shield(after(1, "value")), "value");
        assert.equal(yield* shield(asyncio.sleep(1, "slept")), "slept");
        const failing = asyncio.createTask(
          (function* (): asyncio.Coro<never> {
            yield* asyncio.sleep(1);
            throw new RangeError("inner");
          })(),
        );
        assert.ok((yield* caught(shield(failing))) instanceof RangeError);
        const inner = asyncio.createTask(after(5, "never"));
        const outer = shield(inner);
        yield* asyncio.sleep(0);
        inner.cancel();
        assert.ok((yield* caught(outer)) instanceof CancelledError);
        assert.equal(outer.cancelled(), true);
      })(),
    );
  });

  it("a done awaitable is returned as it is", async () => {
    await runVirtual(
      (function* () {
        const done = asyncio.getRunningLoop().createFuture<number>();
        done.setResult(1);
        assert.equal(shield(done), done);
      })(),
    );
  });

  it("cancelling the waiting task does not cancel the shielded work", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const work = asyncio.createTask(after(2, "saved"));
        const waiter = asyncio.createTask(
          (function* () {
            try {
              yield* shield(work);
            } catch (error) {
              events.push(`waiter ${(error as Error).name}`);
              throw error;
            }
          })(),
        );
        yield* asyncio.sleep(1);
        waiter.cancel();
        yield* caught(waiter);
        assert.equal(work.done(), false);
        events.push(`work ${yield* work}`);
        // The cancelled outer future no longer waits on the work.
        assert.equal(work._waiter, null);
      })(),
    );
    assert.deepEqual(events, ["waiter CancelledError", "work saved"]);
  });

  it("an error of shielded work whose waiter was cancelled is still reported", async () => {
    const { errors: reported } = await runCollectingErrors(
      (function* () {
        const work = asyncio.createTask(
          (function* (): asyncio.Coro<never> {
            yield* asyncio.sleep(2);
            throw new RangeError("nobody waits for me");
          })(),
        );
        const outer = shield(work);
        yield* asyncio.sleep(1);
        outer.cancel();
        yield* asyncio.sleep(2);
        assert.equal(work.done(), true);
      })(),
    );
    assert.equal(reported.length, 1);
    assert.ok(reported[0]!.exception instanceof RangeError);
  });

  it("refuses non-awaitables", async () => {
    await runVirtual(
      (function* () {
        assert.throws(() => shield(3 as never), TypeError);
      })(),
    );
  });
});
