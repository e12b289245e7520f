/**
 * net_subprocess: child processes with stream pipes: exec and shell, PIPE / DEVNULL / STDOUT,
 * communicate, a killed child, kill() + wait() while a grandchild holds the pipes, a missing
 * program, and the transport-level protocol, one of whose callbacks may throw. (100 MB through
 * communicate: subprocess_bulk.)
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";
import { collectErrors } from "../helpers.ts";

const { PIPE, DEVNULL, STDOUT } = asyncio;

test("exec: read stdout, then wait for the exit code", async () => {
  const [out, code, description] = await asyncio.run(
    (function* () {
      const proc = yield* asyncio.createSubprocessExec("echo", "hello", "world", { stdout: PIPE });
      const out = (yield* proc.stdout!.read()).toString();
      const code = yield* proc.wait();
      return [out, code, String(proc)] as const;
    })(),
  );
  assert.equal(out, "hello world\n");
  assert.equal(code, 0);
  assert.match(description, /^<Process \d+ returncode=0>$/);
});

test("communicate: input to stdin, stdout and stderr apart, exit code", async () => {
  const [out, err, code] = await asyncio.run(
    (function* () {
      const proc = yield* asyncio.createSubprocessShell("sort; echo oops >&2; exit 3", {
        stdin: PIPE,
        stdout: PIPE,
        stderr: PIPE,
      });
      const [out, err] = yield* proc.communicate("b\nc\na\n");
      return [out!.toString(), err!.toString(), proc.returncode];
    })(),
  );
  assert.equal(out, "a\nb\nc\n");
  assert.equal(err, "oops\n");
  assert.equal(code, 3);
});

test("stderr=STDOUT merges into stdout; DEVNULL gives nothing; env and cwd are passed", async () => {
  const results = await asyncio.run(
    (function* () {
      const merged = yield* asyncio.createSubprocessShell("echo out; sleep 0.05; echo err >&2", {
        stdout: PIPE,
        stderr: STDOUT,
      });
      const [both, none] = yield* merged.communicate();
      const quiet = yield* asyncio.createSubprocessShell("echo lost; cat", {
        stdin: DEVNULL,
        stdout: DEVNULL,
        stderr: PIPE,
      });
      const [noOut, noErr] = yield* quiet.communicate();
      const env = yield* asyncio.createSubprocessShell("echo $GREETING; pwd", {
        stdout: PIPE,
        env: { ...process.env, GREETING: "hi there" },
        cwd: "/",
      });
      const [envOut] = yield* env.communicate();
      return [both!.toString(), none, noOut, noErr!.length, envOut!.toString()];
    })(),
  );
  assert.deepEqual(results, ["out\nerr\n", null, null, 0, "hi there\n/\n"]);
});

test("a missing program fails with FileNotFoundError; bad options fail before spawning", async () => {
  await asyncio.run(
    (function* () {
      try {
        yield* asyncio.createSubprocessExec("/nonexistent/program", { stdout: PIPE });
        assert.fail("expected FileNotFoundError");
      } catch (e) {
        assert.ok(e instanceof asyncio.FileNotFoundError, String(e));
        assert.equal((e as asyncio.OSError).code, "ENOENT");
      }
      assert.throws(
        () => asyncio.createSubprocessExec("echo", { stdout: STDOUT })[Symbol.iterator]().next(),
        /stdout: STDOUT can only be given for stderr/,
      );
      assert.throws(
        () =>
          asyncio
            .createSubprocessExec("echo", { stdin: "pipe" as never })
            [Symbol.iterator]()
            .next(),
        /stdin must be PIPE, DEVNULL/,
      );
      assert.throws(
        () => asyncio.createSubprocessShell("")[Symbol.iterator]().next(),
        /cmd must be a non-empty string/,
      );
    })(),
  );
});

test("a killed child: wait() gives minus the signal number; signalling it afterwards is ProcessLookupError", async () => {
  const codes = await asyncio.run(
    (function* () {
      const killed = yield* asyncio.createSubprocessExec("sleep", "30");
      killed.kill();
      const killedCode = yield* killed.wait();
      // As asyncio: once the child has exited and its transport closed, signals fail.
      assert.throws(() => killed.kill(), asyncio.ProcessLookupError);
      const terminated = yield* asyncio.createSubprocessExec("sleep", "30");
      terminated.terminate();
      const terminatedCode = yield* terminated.wait();
      const signalled = yield* asyncio.createSubprocessExec("sleep", "30");
      assert.throws(() => signalled.sendSignal("SIGNOPE" as never), /unknown signal "SIGNOPE"/);
      signalled.sendSignal("SIGINT");
      return [killedCode, terminatedCode, yield* signalled.wait()];
    })(),
  );
  assert.deepEqual(codes, [-9, -15, -2]);
});

test("kill() then wait() returns even while a grandchild holds the pipes", async () => {
  const result = await asyncio.run(
    (function* () {
      const proc = yield* asyncio.createSubprocessShell("sleep 30 & exec sleep 31", {
        stdout: PIPE,
        stderr: PIPE,
        detached: true,
      });
      yield* asyncio.sleep(0.05);
      const started = performance.now();
      proc.kill();
      const code = yield* proc.wait();
      const waited = performance.now() - started;
      const stillOpen = !proc.stdout!.atEof();
      process.kill(-proc.pid, "SIGKILL");
      yield* proc.stdout!.read();
      return { code, waited, stillOpen };
    })(),
  );
  assert.equal(result.code, -9);
  assert.equal(result.stillOpen, true, "the grandchild still held stdout when wait() returned");
  assert.ok(result.waited < 1000, `wait() took ${result.waited} ms`);
});

test("the transport layer: a SubprocessProtocol sees pipe data, pipe loss, exit, then connectionLost", async () => {
  const events = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const events: string[] = [];
      const done = loop.createFuture<void>();
      class Collect extends asyncio.SubprocessProtocol {
        override connectionMade() {
          events.push("made");
        }
        override pipeDataReceived(fd: number, data: Buffer) {
          events.push(`fd${fd} ${data.toString().trim()}`);
        }
        override pipeConnectionLost(fd: number) {
          events.push(`fd${fd} closed`);
        }
        override processExited() {
          events.push("exited");
        }
        override connectionLost(error: unknown) {
          events.push(`lost ${error}`);
          done.setResult(undefined);
        }
      }
      const [transport] = yield* loop.subprocessExec(
        () => new Collect(),
        "sh",
        ["-c", "echo out; exit 4"],
        { stdin: null, stdout: PIPE, stderr: null },
      );
      assert.equal(transport.getPipeTransport(0), null);
      assert.ok(transport.getPipeTransport(1) !== null);
      yield* done;
      assert.equal(transport.getReturncode(), 4);
      transport.close();
      assert.throws(() => transport.kill(), asyncio.ProcessLookupError);
      return events;
    })(),
  );
  assert.equal(events[0], "made");
  assert.equal(events.at(-1), "lost null");
  assert.deepEqual([...events].sort(), ["exited", "fd1 closed", "fd1 out", "lost null", "made"]);
  assert.ok(events.indexOf("fd1 out") < events.indexOf("fd1 closed"));
});

test("loop.subprocessExec/Shell pipe every standard stream by default; null inherits", async () => {
  const pipes = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const which = (transport: asyncio.ChildProcessTransport) =>
        [0, 1, 2].map((fd) => (transport.getPipeTransport(fd) === null ? "-" : "pipe")).join(" ");
      const [exec] = yield* loop.subprocessExec(() => new asyncio.SubprocessProtocol(), "true");
      const [shell] = yield* loop.subprocessShell(() => new asyncio.SubprocessProtocol(), "true");
      const [some] = yield* loop.subprocessExec(
        () => new asyncio.SubprocessProtocol(),
        "true",
        [],
        {
          stdin: null,
          stderr: DEVNULL,
        },
      );
      const proc = yield* asyncio.createSubprocessExec("true");
      const streams = [proc.stdin, proc.stdout, proc.stderr].map((s) =>
        s === null ? "-" : "pipe",
      );
      yield* proc.wait();
      for (const transport of [exec, shell, some]) transport.close();
      return [which(exec), which(shell), which(some), streams.join(" ")];
    })(),
  );
  assert.deepEqual(pipes, ["pipe pipe pipe", "pipe pipe pipe", "- pipe -", "- - -"]);
});

test("once the transport saw the child exit, sendSignal/terminate/kill are ProcessLookupError", async () => {
  const outcome = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const exited = loop.createFuture<void>();
      class Exit extends asyncio.SubprocessProtocol {
        override processExited() {
          exited.setResult();
        }
      }
      const [transport] = yield* loop.subprocessExec(() => new Exit(), "true", [], {
        stdin: null,
        stdout: null,
        stderr: null,
      });
      yield* exited;
      const outcome = [
        () => transport.sendSignal("SIGTERM"),
        () => transport.terminate(),
        () => transport.kill(),
      ].map((signal) => {
        try {
          signal();
          return "sent";
        } catch (e) {
          return (e as Error).name;
        }
      });
      transport.close();
      return outcome;
    })(),
  );
  assert.deepEqual(outcome, ["ProcessLookupError", "ProcessLookupError", "ProcessLookupError"]);
});

test("a SubprocessProtocol callback that throws is reported; connectionLost still comes", async () => {
  const loop = asyncio.newEventLoop();
  const errors = collectErrors(loop);
  const [transport, protocol] = await loop.runUntilComplete(
    (function* () {
      const lost = loop.createFuture<void>();
      class ExitsBadly extends asyncio.SubprocessProtocol {
        override processExited() {
          throw new RangeError("exit refused");
        }
        override connectionLost() {
          lost.setResult();
        }
      }
      const started = yield* loop.subprocessExec(() => new ExitsBadly(), "true", []);
      yield* lost;
      started[0].close();
      return started;
    })(),
  );
  loop.close();
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.message, "protocol.processExited() call failed.");
  assert.ok(errors[0]!.exception instanceof RangeError);
  assert.equal(errors[0]!.transport, transport);
  assert.equal(errors[0]!.protocol, protocol);
});

test("a spawn cancelled before the child runs leaves no pipe open, even with a grandchild holding it", async () => {
  const pipes = () => process.getActiveResourcesInfo().filter((kind) => kind === "PipeWrap").length;
  const before = pipes();
  function* main(): asyncio.Coro<void> {
    const spawning = asyncio.createTask(
      asyncio.createSubprocessShell("sleep 5 & sleep 5", { stdout: asyncio.PIPE }),
    );
    yield* asyncio.sleep(0);
    spawning.cancel();
    yield* asyncio.wait([spawning]);
    assert.ok(spawning.cancelled());
  }
  await asyncio.run(main());
  // Node closes handles in a later turn: give it up to a second.
  for (let attempt = 0; attempt < 50 && pipes() > before; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(pipes(), before);
});
