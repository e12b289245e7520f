/**
 * Property: whatever a program opened and however it was cut short, nothing the library made
 * keeps Node alive after `run()` returns. Random programs start servers, client connections, UDP
 * endpoints, child processes (one with a grandchild holding its pipes), executor work and
 * timers, leave them open, and are cancelled at a random point (or just return); after each
 * `run()`, `process.getActiveResourcesInfo()` must hold no more than before.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as asyncio from "../src/index.ts";
import { newGate, tasks } from "./executors/helpers.ts";

const RUNS = 12;

type Action = "server" | "client" | "udp" | "child" | "grandchild" | "executor" | "timer";

/** Opens one thing and leaves it open, then waits long past the end of the program. */
function* open(action: Action): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  switch (action) {
    case "server":
      yield* asyncio.startServer(function* () {}, "127.0.0.1", 0);
      break;
    case "client": {
      const server = yield* asyncio.startServer(
        function* (reader) {
          yield* reader.read();
        },
        "127.0.0.1",
        0,
      );
      const [host, port] = server.sockets[0]!.getsockname() as [string, number];
      const [, writer] = yield* asyncio.openConnection(host, port);
      writer.write("left open");
      break;
    }
    case "udp":
      yield* loop.createDatagramEndpoint(() => new asyncio.DatagramProtocol(), {
        localAddr: ["127.0.0.1", 0],
      });
      break;
    case "child":
      yield* asyncio.createSubprocessExec("sleep", "30", { stdout: asyncio.PIPE });
      break;
    case "grandchild": {
      const proc = yield* asyncio.createSubprocessShell("sleep 30 & echo started; sleep 30", {
        stdout: asyncio.PIPE,
      });
      yield* proc.stdout!.readline();
      proc.kill();
      yield* proc.wait();
      break;
    }
    case "executor":
      yield* asyncio.toThread(tasks.fn("block"), newGate(), 20);
      break;
    case "timer":
      loop.callLater(30, () => {});
      break;
  }
  yield* asyncio.sleep(30);
}

/** Resource counts by kind. */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo())
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** Kinds with more resources now than in `before`. */
function extra(before: Map<string, number>): string[] {
  const now = activeResources();
  return [...now].filter(([kind, count]) => count > (before.get(kind) ?? 0)).map(([kind]) => kind);
}

/** Lets Node close what was closed: handles go in a later turn. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

describe("lifecycle property", () => {
  it("after every run(), nothing the library made keeps Node alive", async () => {
    await settle();
    const before = activeResources();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.constantFrom<Action>(
            "server",
            "client",
            "udp",
            "child",
            "grandchild",
            "executor",
            "timer",
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom(0, 0.001, 0.01, 0.05),
        fc.constantFrom("cancel main", "cancel the tasks", "return"),
        async (actions, cutAfter, ending) => {
          function* main(): asyncio.Coro<void> {
            const opened = actions.map((action) => asyncio.createTask(open(action)));
            if (ending === "cancel main") {
              const self = asyncio.currentTask()!;
              asyncio.getRunningLoop().callLater(cutAfter, () => self.cancel());
              yield* asyncio.sleep(30);
            }
            yield* asyncio.sleep(cutAfter);
            if (ending === "cancel the tasks") for (const task of opened) task.cancel();
          }
          try {
            await asyncio.run(main());
          } catch (error) {
            if (!(error instanceof asyncio.CancelledError)) throw error;
          }
          let left = extra(before);
          for (let attempt = 0; attempt < 50 && left.length > 0; attempt++) {
            await settle();
            left = extra(before);
          }
          assert.deepEqual(left, [], `left after run(): ${left.join(", ")}`);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
