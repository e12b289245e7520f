/**
 * Hand-stepped awaitables and the one rule for awaiting them twice: an argument-free one (the
 * primitive's own object, returned by every call) performs its operation again, as calling the
 * method again would; one carrying a call's arguments runs once, and a second `yield*` throws.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { caught, runVirtual } from "../helpers.ts";

const { lowlevel } = asyncio;

/** A flag to wait for, built on lowlevel as a user's primitive would be. */
class Flag {
  isSet = false;
  readonly waiters: asyncio.Future<void>[] = [];
  readonly #wait = new FlagWait(this);

  wait(): asyncio.Awaitable<true> {
    return this.#wait;
  }

  set(): void {
    this.isSet = true;
    for (const waiter of this.waiters.splice(0)) waiter.setResult(undefined);
  }

  *waitSlow(): asyncio.Coro<true> {
    const waiter = asyncio.getRunningLoop().createFuture<void>();
    this.waiters.push(waiter);
    yield* waiter;
    return true;
  }
}

class FlagWait extends lowlevel.HandStepped<true, Flag> {
  _call(): string {
    return "flag.wait()";
  }
  _begin(): Iterator<asyncio.Yielded, true, unknown> {
    return this._owner.isSet ? this : this._owner.waitSlow();
  }
  next(): IteratorResult<asyncio.Yielded, true> {
    if (!this._owner.isSet) throw this._drivenByHand();
    return lowlevel.DONE_TRUE;
  }
}

describe("hand-stepped awaitables", () => {
  it("a subclass completes at once without suspending, or waits through its slow path", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const flag = new Flag();
        const waiter = asyncio.createTask(
          (function* () {
            events.push(`woke: ${yield* flag.wait()}`);
          })(),
        );
        yield* asyncio.sleep(1);
        events.push("set");
        flag.set();
        yield* waiter;
        events.push(`at once: ${yield* flag.wait()}`);
        const by = flag.wait() as unknown as Iterator<unknown>;
        assert.deepEqual(by.next(), { done: true, value: true });
        const unset = new Flag().wait() as unknown as Iterator<unknown>;
        assert.throws(
          () => unset.next(),
          /flag\.wait\(\) was resumed by hand: wait for it with yield\*/,
        );
      })(),
    );
    assert.deepEqual(events, ["set", "woke: true", "at once: true"]);
  });

  it("an argument-free awaitable awaited again performs its operation again", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>();
        queue.putNowait("a");
        queue.putNowait("b");
        const get = queue.get();
        assert.equal(get, queue.get(), "one object serves every call");
        assert.deepEqual([yield* get, yield* get], ["a", "b"]);
        const lock = new asyncio.Lock();
        const acquire = lock.acquire();
        yield* acquire;
        lock.release();
        yield* acquire;
        assert.equal(lock.locked(), true);
      })(),
    );
  });

  it("one carrying its call's arguments runs once; the second await names the call to make", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>();
        const put = queue.put(1);
        yield* put;
        const error = yield* caught(put);
        assert.ok(error instanceof asyncio.RuntimeError);
        assert.equal(error.message, "this put() was awaited already: call queue.put(item) again");
        assert.equal(queue.qsize(), 1);
      })(),
    );
  });
});
