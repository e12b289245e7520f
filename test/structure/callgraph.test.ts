import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

const { captureCallGraph, formatCallGraph, using, TaskGroup } = asyncio;

/** The names in a graph, awaiters nested: `{ child: [{ main: [] }] }`. */
function tree(graph: asyncio.FutureCallGraph | null): unknown {
  if (graph === null) return null;
  const future = graph.future;
  const name = future instanceof asyncio.Task ? future.getName() : future.constructor.name;
  return { [name]: graph.awaitedBy.map(tree) };
}

describe("call graph", () => {
  it("yield* task links the awaiting task", async () => {
    let graph: asyncio.FutureCallGraph | null = null;
    await runVirtual(
      (function* () {
        const child = asyncio.createTask(
          (function* () {
            yield* asyncio.sleep(0);
            graph = captureCallGraph();
          })(),
          { name: "child" },
        );
        asyncio.currentTask()!.setName("main");
        yield* child;
      })(),
    );
    assert.deepEqual(tree(graph), { child: [{ main: [] }] });
  });

  it("gather links children to the gathering future and that to its waiter", async () => {
    let graph: asyncio.FutureCallGraph | null = null;
    await runVirtual(
      (function* () {
        asyncio.currentTask()!.setName("main");
        function* child(): asyncio.Coro<void> {
          yield* asyncio.sleep(0);
          graph = captureCallGraph();
        }
        yield* asyncio.gather(asyncio.createTask(child(), { name: "child" }), asyncio.sleep(1));
      })(),
    );
    assert.deepEqual(tree(graph), { child: [{ GatheringFuture: [{ main: [] }] }] });
  });

  it("TaskGroup links its children to the task running the block", async () => {
    let graph: asyncio.FutureCallGraph | null = null;
    await runVirtual(
      (function* () {
        asyncio.currentTask()!.setName("main");
        yield* using(new TaskGroup(), function* (tg) {
          tg.createTask(
            (function* () {
              yield* asyncio.sleep(0);
              graph = captureCallGraph();
            })(),
            { name: "member" },
          );
          yield* asyncio.sleep(1);
        });
      })(),
    );
    assert.deepEqual(tree(graph), { member: [{ main: [] }] });
  });

  it("shield links the inner task to the outer future", async () => {
    let graph: asyncio.FutureCallGraph | null = null;
    await runVirtual(
      (function* () {
        asyncio.currentTask()!.setName("main");
        const inner = asyncio.createTask(
          (function* () {
            yield* asyncio.sleep(0);
            graph = captureCallGraph();
          })(),
          { name: "inner" },
        );
        yield* asyncio.shield(inner);
      })(),
    );
    assert.deepEqual(tree(graph), { inner: [{ ShieldFuture: [{ main: [] }] }] });
  });

  it("links added by hand show; discarding removes them", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const source = loop.createFuture();
        const relay = loop.createFuture();
        asyncio.futureAddToAwaitedBy(source, relay);
        assert.deepEqual(tree(captureCallGraph(source)), { Future: [{ Future: [] }] });
        asyncio.futureDiscardFromAwaitedBy(source, relay);
        assert.deepEqual(tree(captureCallGraph(source)), { Future: [] });
        assert.throws(() => asyncio.futureAddToAwaitedBy(source, {} as never), TypeError);
      })(),
    );
  });

  it("the current task has a call stack of its coroutine frames, innermost first", async () => {
    let graph: asyncio.FutureCallGraph | null = null;
    await runVirtual(
      (function* () {
        function* innerStep(): asyncio.Coro<void> {
          yield* asyncio.sleep(0);
          graph = captureCallGraph();
        }
        function* outerStep(): asyncio.Coro<void> {
          yield* innerStep();
        }
        yield* outerStep();
      })(),
    );
    const stack = (graph as asyncio.FutureCallGraph | null)!.callStack;
    assert.match(stack[0]!, /^innerStep /);
    assert.match(stack[1]!, /^outerStep /);
    assert.ok(stack.every((frame) => !frame.includes("/src/")));
  });

  it("formats the tree with the call stack and awaiters; a deadlock cycle ends the walk", async () => {
    await runVirtual(
      (function* () {
        asyncio.currentTask()!.setName("main");
        let text = "";
        yield* asyncio.createTask(
          (function* () {
            yield* asyncio.sleep(0);
            text = formatCallGraph();
          })(),
          { name: "child" },
        );
        const lines = text.split("\n");
        assert.match(lines[0]!, /^\* Task\(name='child', id=\d+\)$/);
        assert.equal(lines[1], "  + Call stack:");
        assert.match(lines[2]!, /^ {2}\| {3}at /);
        assert.ok(lines.includes("  + Awaited by:"));
        assert.match(lines.at(-1)!, /^ {4}\* Task\(name='main', id=\d+\)$/);

        const loop = asyncio.getRunningLoop();
        const a = loop.createFuture();
        const b = loop.createFuture();
        asyncio.futureAddToAwaitedBy(a, b);
        asyncio.futureAddToAwaitedBy(b, a);
        assert.deepEqual(tree(captureCallGraph(a)), { Future: [{ Future: [{ Future: [] }] }] });
      })(),
    );
  });

  it("outside a task: null for the current task, a RuntimeError with no loop", async () => {
    assert.throws(() => captureCallGraph(), asyncio.RuntimeError);
    const loop = asyncio.newEventLoop({ clock: "virtual" });
    try {
      const outcome = loop.createFuture<unknown>();
      loop.callSoon(() => outcome.setResult(captureCallGraph()));
      assert.equal(await loop.runUntilComplete(outcome), null);
      assert.match(formatCallGraph(outcome), /^\* Future\(id=\d+\)$/);
    } finally {
      loop.close();
    }
    assert.throws(() => captureCallGraph({} as never), /expects a Future or Task/);
  });
});
