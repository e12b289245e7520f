import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

describe("ContextVar", () => {
  it("get() falls back to the default, then to a LookupError that says what to do", () => {
    const withDefault = new asyncio.ContextVar("withDefault", { default: 1 });
    assert.equal(withDefault.get(), 1);
    assert.equal(withDefault.get(5), 5);
    const bare = new asyncio.ContextVar<string>("bare");
    assert.throws(() => bare.get(), { name: "LookupError", message: /'bare' has no value/ });
    assert.equal(bare.get(null), null);
    assert.equal(String(bare), "<ContextVar name='bare'>");
  });

  it("set() returns a token; reset(token) restores the previous value, once", () => {
    const variable = new asyncio.ContextVar<string>("v");
    asyncio.copyContext().run(() => {
      const first = variable.set("a");
      assert.equal(first.oldValue, asyncio.Token.MISSING);
      const second = variable.set("b");
      assert.equal(second.oldValue, "a");
      variable.reset(second);
      assert.equal(variable.get(), "a");
      assert.throws(() => variable.reset(second), {
        name: "RuntimeError",
        message: /already been used/,
      });
      variable.reset(first);
      assert.throws(() => variable.get(), asyncio.LookupError);
    });
  });

  it("a token from another variable or context is rejected", () => {
    const a = new asyncio.ContextVar<number>("a");
    const b = new asyncio.ContextVar<number>("b");
    const token = asyncio.copyContext().run(() => a.set(1));
    assert.throws(() => b.reset(token as never), {
      name: "ValueError",
      message: /different ContextVar/,
    });
    assert.throws(() => a.reset(token), { name: "ValueError", message: /different Context/ });
  });

  it("Context.run keeps changes inside that context; a context cannot be entered twice", () => {
    const variable = new asyncio.ContextVar("v", { default: "outer" });
    const context = asyncio.copyContext();
    context.run(() => variable.set("inner"));
    assert.equal(variable.get(), "outer");
    assert.equal(context.get(variable), "inner");
    assert.equal(context.has(variable), true);
    assert.equal(context.size, 1);
    assert.deepEqual([...context.keys()], [variable]);
    assert.throws(() => context.run(() => context.run(() => 0)), {
      name: "RuntimeError",
      message: /already entered/,
    });
    assert.equal(
      context.run((x: number, y: number) => x + y, 2, 3),
      5,
    );
  });

  it("each task runs in a copy of the context it was created in", async () => {
    const requestId = new asyncio.ContextVar("requestId", { default: "none" });
    const seen: string[] = [];
    function* handler(id: string): asyncio.Coro<void> {
      seen.push(`${id} starts with ${requestId.get()}`);
      requestId.set(id);
      yield* asyncio.sleep(id === "a" ? 2 : 1);
      seen.push(`${id} still sees ${requestId.get()}`);
    }
    await runVirtual(
      (function* () {
        requestId.set("main");
        const a = asyncio.createTask(handler("a"));
        const b = asyncio.createTask(handler("b"));
        yield* a;
        yield* b;
        seen.push(`main sees ${requestId.get()}`);
      })(),
    );
    assert.deepEqual(seen, [
      "a starts with main",
      "b starts with main",
      "b still sees b",
      "a still sees a",
      "main sees main",
    ]);
  });

  it("callbacks run in the context current when they were scheduled, and their changes stay private", async () => {
    const variable = new asyncio.ContextVar("v", { default: "default" });
    const seen: string[] = [];
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        variable.set("at schedule time");
        loop.callSoon(() => {
          seen.push(`callback sees ${variable.get()}`);
          variable.set("changed by callback");
        });
        variable.set("later");
        yield* asyncio.sleep(0);
        seen.push(`task sees ${variable.get()}`);
        const context = asyncio.copyContext();
        context.run(() => variable.set("explicit"));
        const future = loop.createFuture<void>();
        future.addDoneCallback(() => seen.push(`done callback sees ${variable.get()}`), {
          context,
        });
        future.setResult();
        yield* asyncio.sleep(0);
      })(),
    );
    assert.deepEqual(seen, [
      "callback sees at schedule time",
      "task sees later",
      "done callback sees explicit",
    ]);
  });

  it("createTask can take an explicit context", async () => {
    const variable = new asyncio.ContextVar("v", { default: 0 });
    const context = asyncio.copyContext();
    context.run(() => variable.set(42));
    const value = await runVirtual(
      (function* () {
        const task = asyncio.createTask(
          (function* (): asyncio.Coro<number> {
            variable.set(variable.get() + 1);
            return variable.get();
          })(),
          { context },
        );
        assert.equal(task.getContext(), context);
        return yield* task;
      })(),
    );
    assert.equal(value, 43);
    assert.equal(context.get(variable), 43);
  });
});
