/**
 * `asyncio-ts ps` and `pstree` against real processes: one idle with a task tree and a cycle,
 * one stuck in a CPU loop, one without asyncio-ts, one that is not Node.js, one that exited,
 * and one whose port 9229 is held by someone else. Each checks the output, that the target
 * still runs afterwards, and that its inspector is closed again (the port no longer answers).
 *
 * These tests bind 127.0.0.1:9229 one after another: they live in this one file, which runs
 * its tests in sequence. If something else already holds the port, they are skipped, loudly.
 */

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, get } from "node:http";
import { after, before, describe, it, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { WebSocketClient } from "../../src/cli/websocket.ts";

const PORT = 9229;
const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const started: ChildProcess[] = [];
after(() => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
});

/** What answers on the port: "free", or what holds it. */
function probePort(): Promise<"free" | "taken"> {
  return new Promise((resolve) => {
    const request = get(
      { host: "127.0.0.1", port: PORT, path: "/json/list", timeout: 1000 },
      (r) => {
        r.resume();
        resolve("taken");
      },
    );
    request.on("timeout", () => request.destroy());
    request.on("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "ECONNREFUSED" ? "free" : "taken"),
    );
  });
}

/** Starts a target and waits until it prints "ready"; collects its stderr. */
async function startTarget(
  args: string[],
  command = process.execPath,
): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  started.push(child);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  if (command === process.execPath) {
    let stdout = "";
    child.stdout!.setEncoding("utf8");
    while (!stdout.includes("ready")) {
      const [chunk] = (await Promise.race([
        once(child.stdout!, "data"),
        once(child, "exit").then(() => {
          throw new Error(`target exited before it was ready: ${stderr}`);
        }),
      ])) as [string];
      stdout += chunk;
    }
  }
  return { child, stderr: () => stderr };
}

function targetArgs(mode: string): string[] {
  return ["--import", "tsx", fixture("target.ts"), mode];
}

/** Runs the CLI; resolves with its exit status and output. */
async function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", main, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const [status] = (await once(child, "exit")) as [number];
  return { status, stdout, stderr };
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.kill(0);
}

/** The target's inspector is closed: the port stops answering (closing may take a moment). */
async function assertPortClosed(): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    if ((await probePort()) === "free") return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`port ${PORT} still answers: the inspector was left open`);
}

let portWasFree = true;
before(async () => {
  portWasFree = (await probePort()) === "free";
  if (!portWasFree) {
    console.warn(
      `\n*** SKIPPING asyncio-ts ps tests: port ${PORT} on 127.0.0.1 is already in use by another process ***\n`,
    );
  }
});

function needsPort(t: TestContext): boolean {
  if (portWasFree) return true;
  t.skip(`port ${PORT} is in use by another process`);
  return false;
}

describe("asyncio-ts ps / pstree", () => {
  it("lists the tasks of an idle process, then closes its inspector; the target runs on", async (t) => {
    if (!needsPort(t)) return;
    const { child } = await startTarget(targetArgs("idle"));
    const { status, stdout, stderr } = await cli("ps", String(child.pid));
    assert.equal(status, 0, stderr);
    const lines = stdout.split("\n");
    assert.match(lines[0]!, new RegExp(`^process ${child.pid}: 1 event loop$`));
    assert.match(lines[1]!, /^loop 1 \(real clock\): idle; 5 tasks, 0 ready, 2 timers$/);
    const rows = lines
      .slice(5)
      .filter((line) => line !== "")
      .map((line) => line.split(/\s{2,}/));
    assert.deepEqual(rows, [
      ["1", "Task-1", "waiting", "main", "Future"],
      ["2", "first", "waiting", "awaitOther", "Task 'second' (id 3)", "second", "3"],
      ["3", "second", "waiting", "awaitOther", "Task 'first' (id 2)", "first", "2"],
      ["4", "sleeper-1", "waiting", "worker", "SleepFuture", "Task-1", "1"],
      ["5", "sleeper-2", "waiting", "worker", "SleepFuture", "Task-1", "1"],
    ]);
    await assertPortClosed();
    assert.ok(alive(child), "the target still runs");
    child.stdin!.end();
  });

  it("draws the await tree and marks the cycle", async (t) => {
    if (!needsPort(t)) return;
    const { child } = await startTarget(targetArgs("idle"));
    const { status, stdout, stderr } = await cli("pstree", String(child.pid));
    assert.equal(status, 0, stderr);
    const tree = stdout.slice(stdout.indexOf("loop 1:"));
    assert.equal(
      tree.trimEnd(),
      [
        "loop 1:",
        "└── (T) Task-1 [id 1] main(): waits on Future",
        "    ├── (T) sleeper-1 [id 4] worker(): waits on SleepFuture",
        "    └── (T) sleeper-2 [id 5] worker(): waits on SleepFuture",
        "└── (T) first [id 2] awaitOther(): waits on Task 'second' (id 3)",
        "    └── (T) second [id 3] awaitOther(): waits on Task 'first' (id 2)",
        "        └── (cycle) first [id 2]: 2 → 3 → 2 await each other",
      ].join("\n"),
    );
    await assertPortClosed();
    assert.ok(alive(child));
    child.stdin!.end();
  });

  it("answers while the loop is stuck in a CPU-bound step, and names the task", async (t) => {
    if (!needsPort(t)) return;
    const { child } = await startTarget(targetArgs("busy"));
    const { status, stdout, stderr } = await cli("ps", String(child.pid));
    assert.equal(status, 0, stderr);
    assert.match(stdout, /loop 1 \(real clock\): blocked in task 'spinner' \(id 2\)/);
    assert.match(stdout, /\n2 +spinner +running +spin +Task-1 +1\n?/);
    await assertPortClosed();
    assert.ok(alive(child));
    child.kill("SIGKILL");
  });

  it("refuses a Node.js process without asyncio-ts, and still closes its inspector", async (t) => {
    if (!needsPort(t)) return;
    const { child } = await startTarget(["--import", "tsx", fixture("plain.ts")]);
    const { status, stdout, stderr } = await cli("ps", String(child.pid));
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.equal(
      stderr.trim(),
      `asyncio-ts ps: process ${child.pid} does not use asyncio-ts (or has not imported it yet): no task to show`,
    );
    await assertPortClosed();
    assert.ok(alive(child));
    child.stdin!.end();
  });

  it("refuses a process that is not Node.js without signalling it", async (t) => {
    if (!needsPort(t)) return;
    const { child } = await startTarget(["30"], "sleep");
    const { status, stderr } = await cli("ps", String(child.pid));
    assert.equal(status, 1);
    assert.match(stderr, new RegExp(`process ${child.pid} runs .*sleep, not Node.js`));
    assert.ok(alive(child), "SIGUSR1 would have ended it");
    child.kill("SIGKILL");
  });

  it("says so when the process has exited", async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    await once(child, "exit");
    const { status, stderr } = await cli("ps", String(child.pid));
    assert.equal(status, 1);
    assert.equal(stderr.trim(), `asyncio-ts ps: no process has pid ${child.pid} (has it exited?)`);
  });

  it("refuses when port 9229 is held by another program, and leaves the target alone", async (t) => {
    if (!needsPort(t)) return;
    const server = createServer((_request, response) => response.end("not an inspector"));
    server.listen(PORT, "127.0.0.1");
    await once(server, "listening");
    try {
      const { child, stderr: targetStderr } = await startTarget(targetArgs("idle"));
      const { status, stderr } = await cli("ps", String(child.pid));
      assert.equal(status, 1);
      assert.match(
        stderr,
        /port 9229 on 127\.0\.0\.1 is held by a program that is not a Node\.js inspector/,
      );
      assert.ok(alive(child));
      assert.doesNotMatch(targetStderr(), /Debugger/, "the target was never signalled");
      child.stdin!.end();
    } finally {
      server.close();
      await once(server, "close");
    }
  });

  it("refuses when port 9229 is another process's inspector, which it leaves open", async (t) => {
    if (!needsPort(t)) return;
    const other = spawn(process.execPath, [
      `--inspect=127.0.0.1:${PORT}`,
      "-e",
      "setInterval(() => {}, 1000); process.stdin.resume(); process.stdin.on('end', () => process.exit(0))",
    ]);
    started.push(other);
    try {
      for (let attempt = 0; (await probePort()) === "free"; attempt++) {
        assert.ok(attempt < 100, "the other process's inspector never opened");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const { child } = await startTarget(targetArgs("idle"));
      const { status, stderr } = await cli("ps", String(child.pid));
      assert.equal(status, 1);
      assert.match(stderr, new RegExp(`held by the inspector of process ${other.pid}`));
      assert.equal(await probePort(), "taken", "the other inspector is not closed");
      assert.ok(alive(child));
      child.stdin!.end();
    } finally {
      other.kill("SIGKILL");
      await once(other, "exit");
    }
  });

  it("closes the inspector from the target's side when the CLI never does", async (t) => {
    if (!needsPort(t)) return;
    const { child } = await startTarget(targetArgs("idle"));
    (process as unknown as { _debugProcess(pid: number): void })._debugProcess(child.pid!);
    let list: { webSocketDebuggerUrl: string }[] | null = null;
    for (let attempt = 0; list === null; attempt++) {
      assert.ok(attempt < 100, "the target's inspector never opened");
      await new Promise((resolve) => setTimeout(resolve, 50));
      list = await new Promise((resolve) => {
        get({ host: "127.0.0.1", port: PORT, path: "/json/list" }, (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => {
            body += chunk;
          });
          response.on("end", () => resolve(JSON.parse(body)));
        }).on("error", () => resolve(null));
      });
    }
    const socket = await WebSocketClient.connect(list[0]!.webSocketDebuggerUrl, 5000);
    socket.send(
      JSON.stringify({
        id: 1,
        method: "Runtime.evaluate",
        params: {
          expression:
            'globalThis[Symbol.for("asyncio-ts.inspect")].snapshot({ closeAfterMs: 200 }).pid',
          returnByValue: true,
        },
      }),
    );
    assert.equal(JSON.parse(await socket.receive()).result.result.value, child.pid);
    // Like a CLI killed here: it disconnects without closing the inspector.
    socket.close();
    await assertPortClosed();
    assert.ok(alive(child));
    child.stdin!.end();
  });

  it("closes the inspector before it exits when interrupted halfway", async (t) => {
    if (!needsPort(t)) return;
    const { child, stderr: targetStderr } = await startTarget(targetArgs("idle"));
    const command = spawn(process.execPath, ["--import", "tsx", main, "ps", String(child.pid)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    command.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    command.stdout.resume();
    while (!targetStderr().includes("Debugger attached.")) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    command.kill("SIGINT");
    const [status] = (await once(command, "exit")) as [number | null];
    // Usually the signal lands while the inspection runs (130); on a fast run it may already
    // be done (0). Either way the inspector must be closed.
    if (status === 130) assert.match(stderr, /interrupted by SIGINT; the inspector is closed/);
    else assert.equal(status, 0, stderr);
    await assertPortClosed();
    assert.ok(alive(child));
    child.stdin!.end();
  });

  it("rejects a missing or malformed pid with the usage (exit 2)", async () => {
    const missing = await cli("ps");
    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      /expected one process id, got nothing[\s\S]*usage: asyncio-ts ps PID/,
    );
    const malformed = await cli("pstree", "12x");
    assert.equal(malformed.status, 2);
    assert.match(malformed.stderr, /expected one process id, got "12x"/);
  });
});
