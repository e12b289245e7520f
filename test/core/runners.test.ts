import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as asyncio from "../../src/index.ts";
import { collectErrors, runVirtual } from "../helpers.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/**
 * Runs a main coroutine that leaves a task sleeping, whose `finally` block calls `onCancel`,
 * closes the Runner (which cancels that task), and returns what reached the exception handler.
 */
async function shutdownErrors(onCancel: () => void): Promise<asyncio.ExceptionContext[]> {
  const runner = new asyncio.Runner({ clock: "virtual" });
  const errors = collectErrors(runner.getLoop());
  await runner.run(
    (function* () {
      asyncio.createTask(
        (function* () {
          try {
            yield* asyncio.sleep(100);
          } finally {
            onCancel();
          }
        })(),
      );
      yield* asyncio.sleep(0);
    })(),
  );
  await runner.close();
  return errors;
}

describe("run()", () => {
  it("resolves with the main coroutine's result and rejects with its error", async () => {
    assert.equal(await runVirtual(asyncio.sleep(1, "value") as never), "value");
    function* failing(): asyncio.Coro<void> {
      yield* asyncio.sleep(1);
      throw new Error("main failed");
    }
    await assert.rejects(runVirtual(failing()), /main failed/);
  });

  it("cancels the tasks left at the end and runs their finally blocks, in creation order", async () => {
    const events: string[] = [];
    function* leftover(name: string): asyncio.Coro<void> {
      try {
        yield* asyncio.sleep(100);
      } finally {
        events.push(`${name} finally`);
        yield* asyncio.sleep(1);
        events.push(`${name} cleanup done`);
      }
    }
    await runVirtual(
      (function* () {
        asyncio.createTask(leftover("a"));
        asyncio.createTask(leftover("b"));
        yield* asyncio.sleep(1);
        events.push("main done");
      })(),
    );
    assert.deepEqual(events, [
      "main done",
      "a finally",
      "b finally",
      "a cleanup done",
      "b cleanup done",
    ]);
  });

  it("reports a leftover task that fails during shutdown to the exception handler", async () => {
    const errors = await shutdownErrors(() => {
      throw new Error("failed in finally");
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, "unhandled exception during asyncio.run() shutdown");
    assert.equal((errors[0]!.exception as Error).message, "failed in finally");
  });

  it("reports a task started during shutdown that can never run", async () => {
    const errors = await shutdownErrors(() => {
      asyncio.createTask(asyncio.sleep(1), { name: "too-late" });
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, "Task was destroyed but it is pending!");
    assert.equal((errors[0]!.task as asyncio.Task).getName(), "too-late");
  });

  it("cannot be called from a running loop, and rejects what is not a coroutine", async () => {
    const errors: string[] = [];
    await runVirtual(
      (function* () {
        const inner = asyncio.run(asyncio.sleep(0) as never);
        try {
          yield* asyncio.fromPromise(inner);
        } catch (error) {
          errors.push(String(error));
        }
      })(),
    );
    assert.match(
      errors[0]!,
      /cannot be called from a running event loop: inside a coroutine, yield\* the coroutine or createTask\(\) it; from ordinary async code .* share one asyncio.ConcurrentRunner and await runner.run\(coro\)$/,
    );
    await assert.rejects(asyncio.run(function* () {} as never), /got the generator function/);
  });

  it("the loop is closed afterwards", async () => {
    let loop: asyncio.EventLoop | undefined;
    await runVirtual(
      (function* () {
        loop = asyncio.getRunningLoop();
      })(),
    );
    assert.equal(loop!.isClosed(), true);
  });

  it("debug: true turns on the loop's debug mode", async () => {
    const debug = await runVirtual(
      (function* () {
        return asyncio.getRunningLoop().getDebug();
      })(),
      { debug: true },
    );
    assert.equal(debug, true);
  });
});

describe("Runner", () => {
  it("runs several coroutines on one loop, sharing a context", async () => {
    const variable = new asyncio.ContextVar("v", { default: 0 });
    const runner = new asyncio.Runner({ clock: "virtual" });
    const loop = runner.getLoop();
    await runner.run(
      (function* () {
        variable.set(1);
        yield* asyncio.sleep(1);
      })(),
    );
    const seen = await runner.run(
      (function* (): asyncio.Coro<number> {
        assert.equal(asyncio.getRunningLoop(), loop);
        return variable.get();
      })(),
    );
    assert.equal(seen, 1);
    assert.equal(loop.time(), 1);
    await runner.close();
    assert.equal(loop.isClosed(), true);
    await assert.rejects(runner.run((function* () {})()), /Runner is closed/);
  });
});

describe("process-level behaviour", () => {
  it("a deadlock fails run() with a report of each waiting task, and their finally blocks run", () => {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", fixture("deadlock.ts"), "--debug"],
      {
        encoding: "utf8",
        timeout: 20_000,
      },
    );
    assert.equal(result.status, 3, result.stderr);
    const out = result.stdout;
    assert.match(out, /DeadlockError: deadlock: 2 tasks wait and nothing can wake them/);
    assert.match(out, /Task-\d+ waits on <Future pending created at .*deadlock\.ts:\d+:\d+\)>/);
    assert.match(
      out,
      /stuck-worker waits on <Future pending created at .*deadlock\.ts.*\(task created at .*deadlock\.ts/,
    );
    assert.match(out, /waiter finally ran/);
  });

  it("the first SIGINT cancels the main task; run() rejects with KeyboardInterrupt", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", fixture("sigint.ts")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("ready")) resolve();
      });
    });
    child.kill("SIGINT");
    assert.equal(await exited, 130);
    assert.deepEqual(out.trim().split("\n"), [
      "ready",
      "main finally ran",
      "rejected with KeyboardInterrupt",
    ]);
  });

  /** Runs the sigint-uncaught fixture, sends SIGINT once it is ready; gives status and output. */
  async function interrupted(
    args: string[],
  ): Promise<{ status: number | null; out: string; err: string }> {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fixture("sigint-uncaught.ts"), ...args],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      err += chunk;
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("ready")) resolve();
      });
    });
    child.kill("SIGINT");
    return { status: await exited, out, err };
  }

  it("an uncaught KeyboardInterrupt from run() ends the process with status 130 after the finally blocks", async () => {
    const { status, out, err } = await interrupted([]);
    assert.equal(status, 130, err);
    assert.deepEqual(out.trim().split("\n"), ["ready", "main finally ran", "outer finally ran"]);
    assert.match(err, /KeyboardInterrupt/);
  });

  it("code that catches the KeyboardInterrupt goes on and exits normally", async () => {
    const { status, out, err } = await interrupted(["catch"]);
    assert.equal(status, 0, err);
    assert.deepEqual(out.trim().split("\n"), [
      "ready",
      "main finally ran",
      "caught KeyboardInterrupt",
      "second run done",
    ]);
  });
});
