import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { collectErrors, onVirtualLoop } from "../helpers.ts";

describe("Future", () => {
  it("starts pending; result() and exception() are InvalidStateError until done", async () => {
    await onVirtualLoop(function* (loop) {
      const future = loop.createFuture<number>();
      assert.equal(future.done(), false);
      assert.equal(future.cancelled(), false);
      assert.throws(() => future.result(), asyncio.InvalidStateError);
      assert.throws(() => future.exception(), asyncio.InvalidStateError);
      assert.equal(future.getLoop(), loop);
      assert.equal(String(future), "<Future pending>");
    });
  });

  it("setResult: done, result(), exception() is null; a second set is InvalidStateError", async () => {
    await onVirtualLoop(function* (loop) {
      const future = loop.createFuture<number>();
      future.setResult(42);
      assert.equal(future.done(), true);
      assert.equal(future.result(), 42);
      assert.equal(future.exception(), null);
      assert.equal(String(future), "<Future finished result=42>");
      assert.throws(() => future.setResult(1), asyncio.InvalidStateError);
      assert.throws(() => future.setException(new Error("x")), asyncio.InvalidStateError);
      assert.equal(future.cancel(), false);
      assert.equal(future.result(), 42);
    });
  });

  it("setException: result() throws it, exception() returns it", async () => {
    await onVirtualLoop(function* (loop) {
      const future = loop.createFuture<number>();
      const error = new Error("bad");
      future.setException(error);
      assert.throws(
        () => future.result(),
        (e) => e === error,
      );
      assert.equal(future.exception(), error);
      assert.equal(String(future), '<Future finished exception=Error("bad")>');
    });
  });

  it("cancel: cancelled(), result() throws CancelledError with the message", async () => {
    await onVirtualLoop(function* (loop) {
      const future = loop.createFuture<number>();
      assert.equal(future.cancel("stop now"), true);
      assert.equal(future.cancelled(), true);
      assert.equal(future.done(), true);
      assert.throws(() => future.result(), { name: "CancelledError", message: "stop now" });
      assert.throws(() => future.exception(), asyncio.CancelledError);
      assert.equal(future.cancel(), false);
      assert.equal(String(future), '<Future cancelled message="stop now">');
    });
  });

  it("runs done callbacks through the loop, never inline, in the order added", async () => {
    const events = await onVirtualLoop(function* (loop) {
      const events: string[] = [];
      const future = loop.createFuture<string>();
      future.addDoneCallback((f) => events.push(`cb1 ${f.result()}`));
      future.addDoneCallback((f) => events.push(`cb2 ${f.result()}`));
      loop.callSoon(() => events.push("soon before"));
      future.setResult("x");
      events.push("after setResult");
      loop.callSoon(() => events.push("soon after"));
      yield* asyncio.sleep(0);
      yield* asyncio.sleep(0);
      return events;
    });
    assert.deepEqual(events, ["after setResult", "soon before", "cb1 x", "cb2 x", "soon after"]);
  });

  it("a callback added to a done future is scheduled, not run inline", async () => {
    const events = await onVirtualLoop(function* (loop) {
      const events: string[] = [];
      const future = loop.createFuture<number>();
      future.setResult(1);
      future.addDoneCallback(() => events.push("callback"));
      events.push("added");
      yield* asyncio.sleep(0);
      return events;
    });
    assert.deepEqual(events, ["added", "callback"]);
  });

  it("removeDoneCallback removes every registration and returns the count", async () => {
    const events = await onVirtualLoop(function* (loop) {
      const events: string[] = [];
      const future = loop.createFuture<number>();
      const a = () => events.push("a");
      const b = () => events.push("b");
      future.addDoneCallback(a);
      future.addDoneCallback(b);
      future.addDoneCallback(a);
      assert.equal(future.removeDoneCallback(a), 2);
      assert.equal(future.removeDoneCallback(a), 0);
      future.setResult(1);
      yield* asyncio.sleep(0);
      return events;
    });
    assert.deepEqual(events, ["b"]);
  });

  it("yield* evaluates to the result, or throws the exception", async () => {
    await onVirtualLoop(function* (loop) {
      const ok = loop.createFuture<string>();
      loop.callLater(1, () => ok.setResult("value"));
      const value: string = yield* ok;
      assert.equal(value, "value");
      const bad = loop.createFuture<string>();
      const error = new Error("nope");
      loop.callSoon(() => bad.setException(error));
      try {
        yield* bad;
        assert.fail("should throw");
      } catch (caught) {
        assert.equal(caught, error);
      }
    });
  });

  it("is thenable: plain async code can await it", async () => {
    const loop = asyncio.newEventLoop();
    const future = loop.createFuture<number>();
    loop.callSoon(() => future.setResult(7));
    const running = loop.runUntilComplete(future);
    assert.equal(await future, 7);
    assert.equal(await running, 7);
    const failed = loop.createFuture<number>();
    failed.setException(new Error("boom"));
    await assert.rejects(Promise.resolve(failed), /boom/);
    loop.close();
  });

  it("a Future made without a loop outside a running loop is a clear error", () => {
    assert.throws(() => new asyncio.Future(), {
      name: "RuntimeError",
      message: /no running event loop/,
    });
  });

  it("reports an exception nobody retrieved when the loop closes", async () => {
    const loop = asyncio.newEventLoop();
    const errors = collectErrors(loop);
    const unseen = loop.createFuture<number>();
    unseen.setException(new Error("lost"));
    const seen = loop.createFuture<number>();
    seen.setException(new Error("seen"));
    seen.exception();
    const cancelled = loop.createFuture<number>();
    cancelled.cancel();
    loop.close();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, "Future exception was never retrieved");
    assert.equal((errors[0]!.exception as Error).message, "lost");
    assert.equal(errors[0]!.future, unseen);
  });

  it("reports an unretrieved exception when the future is garbage collected", async (t) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) {
      t.skip("needs --expose-gc");
      return;
    }
    const loop = asyncio.newEventLoop();
    const errors = collectErrors(loop);
    (() => {
      loop.createFuture<number>().setException(new Error("collected"));
    })();
    for (let i = 0; i < 10 && errors.length === 0; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, "Future exception was never retrieved");
    loop.close();
    assert.equal(errors.length, 1, "not reported twice");
  });

  it("`yield fut` (missing star) is a TypeError thrown into the coroutine", async () => {
    const caught = await onVirtualLoop(function* (loop): asyncio.Coro<unknown> {
      const future = loop.createFuture<number>();
      try {
        // @ts-expect-error: a Future is not a valid yield; the type system catches the missing star
        yield future;
      } catch (error) {
        return error;
      }
      return null;
    });
    assert.ok(caught instanceof TypeError);
    assert.match(String(caught), /yield was used instead of yield\*/);
  });

  it("a Future of another loop cannot be awaited", async () => {
    const other = asyncio.newEventLoop();
    const caught = await onVirtualLoop(function* () {
      try {
        yield* other.createFuture<number>();
      } catch (error) {
        return error;
      }
      return null;
    });
    assert.match(String(caught), /attached to a different loop/);
    other.close();
  });
});
