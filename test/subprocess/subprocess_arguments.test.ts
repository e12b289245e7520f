/**
 * subprocess_arguments: the subprocess functions and signal methods refuse bad arguments from
 * plain JavaScript callers with CPython's error class and a message naming what to pass: the
 * `subprocess.Popen` options asyncio refuses (text, encoding, errors, universalNewlines, shell,
 * bufsize) are ValueErrors, unknown option names TypeErrors; a refused call starts no child,
 * and a refused signal leaves the child running.
 */

import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { type BadCall, checkBadCallsNow } from "../helpers.ts";

const bad = (value: unknown): never => value as never;

it("createSubprocessExec/Shell and loop.subprocessExec/Shell refuse bad arguments", async () => {
  await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const exec = (options: unknown) => asyncio.createSubprocessExec("true", bad(options));
      const rows: BadCall[] = [
        [
          "{ text: true }",
          () => exec({ text: true }),
          asyncio.ValueError,
          /createSubprocessExec\(\): text must be false \(pipes carry bytes: decode them yourself\), got true/,
        ],
        [
          "{ encoding: 'utf8' }",
          () => exec({ encoding: "utf8" }),
          asyncio.ValueError,
          /encoding must be null/,
        ],
        [
          "{ errors: 'strict' }",
          () => exec({ errors: "strict" }),
          asyncio.ValueError,
          /errors must be null/,
        ],
        [
          "{ universalNewlines: true }",
          () => exec({ universalNewlines: true }),
          asyncio.ValueError,
          /universalNewlines must be false/,
        ],
        ["{ shell: true }", () => exec({ shell: true }), asyncio.ValueError, /shell must be false/],
        ["{ bufsize: 1 }", () => exec({ bufsize: 1 }), asyncio.ValueError, /bufsize must be 0/],
        [
          "{ stdot: PIPE }",
          () => exec({ stdot: asyncio.PIPE }),
          TypeError,
          /unknown option "stdot"; the options are stdin, stdout, stderr, cwd, env, detached/,
        ],
        ["{ limit: 0 }", () => exec({ limit: 0 }), asyncio.ValueError, /Limit cannot be <= 0/],
        [
          "{ stdout: 'pipe' }",
          () => exec({ stdout: "pipe" }),
          asyncio.ValueError,
          /stdout must be PIPE, DEVNULL/,
        ],
        [
          "program 1",
          () => asyncio.createSubprocessExec(bad(1)),
          TypeError,
          /program must be a non-empty string/,
        ],
        [
          "argument 1",
          () => asyncio.createSubprocessExec("echo", bad(1)),
          TypeError,
          /every argument must be a string, got 1/,
        ],
        [
          "shell { text: true }",
          () => asyncio.createSubprocessShell("true", bad({ text: true })),
          asyncio.ValueError,
          /createSubprocessShell\(\): text must be false/,
        ],
        [
          "shell { limt }",
          () => asyncio.createSubprocessShell("true", bad({ limt: 1 })),
          TypeError,
          /unknown option "limt"/,
        ],
        [
          "subprocessExec(1, …)",
          () => loop.subprocessExec(bad(1), "true"),
          TypeError,
          /subprocessExec\(\): protocolFactory must be a function/,
        ],
        [
          "subprocessExec({ encoding })",
          () =>
            loop.subprocessExec(
              () => new asyncio.SubprocessProtocol(),
              "true",
              [],
              bad({ encoding: "utf8" }),
            ),
          asyncio.ValueError,
          /subprocessExec\(\): encoding must be null/,
        ],
        [
          "subprocessExec({ limit })",
          () =>
            loop.subprocessExec(
              () => new asyncio.SubprocessProtocol(),
              "true",
              [],
              bad({ limit: 5 }),
            ),
          TypeError,
          /unknown option "limit"/,
        ],
        [
          "subprocessShell({ shell: true })",
          () =>
            loop.subprocessShell(
              () => new asyncio.SubprocessProtocol(),
              "true",
              bad({ shell: true }),
            ),
          asyncio.ValueError,
          /subprocessShell\(\): shell must be false/,
        ],
        [
          "addSignalHandler({})",
          () => loop.addSignalHandler(bad({}), () => {}),
          TypeError,
          /signal must be a name such as "SIGTERM" or its number/,
        ],
        [
          "addSignalHandler('SIGNOPE')",
          () => loop.addSignalHandler(bad("SIGNOPE"), () => {}),
          asyncio.ValueError,
          /invalid signal "SIGNOPE"/,
        ],
        [
          "removeSignalHandler('toString')",
          () => loop.removeSignalHandler(bad("toString")),
          asyncio.ValueError,
          /invalid signal "toString"/,
        ],
      ];
      checkBadCallsNow(rows);
      // The values asyncio accepts for those options are accepted.
      const proc = yield* asyncio.createSubprocessExec(
        "true",
        bad({
          text: false,
          encoding: null,
          errors: null,
          universalNewlines: false,
          shell: false,
          bufsize: 0,
        }),
      );
      assert.equal(yield* proc.wait(), 0);
    })(),
  );
});

it("sendSignal refuses what is not a signal and leaves the child running", async () => {
  const events = await asyncio.run(
    (function* () {
      const events: string[] = [];
      const proc = yield* asyncio.createSubprocessExec("cat", {
        stdin: asyncio.PIPE,
        stdout: asyncio.PIPE,
      });
      checkBadCallsNow([
        [
          "sendSignal(999)",
          () => proc.sendSignal(bad(999)),
          asyncio.ValueError,
          /sendSignal\(signal\): unknown signal 999/,
        ],
        ["sendSignal(2.5)", () => proc.sendSignal(2.5), asyncio.ValueError, /unknown signal 2\.5/],
        [
          "sendSignal('SIGFOO')",
          () => proc.sendSignal(bad("SIGFOO")),
          asyncio.ValueError,
          /unknown signal "SIGFOO"/,
        ],
        [
          "sendSignal('toString')",
          () => proc.sendSignal(bad("toString")),
          asyncio.ValueError,
          /unknown signal "toString"/,
        ],
        [
          "sendSignal({})",
          () => proc.sendSignal(bad({})),
          TypeError,
          /signal must be a name such as "SIGTERM" or its number, got \{\}/,
        ],
      ]);
      events.push(`running: ${proc.returncode === null}`);
      proc.stdin!.write("still here\n");
      events.push((yield* proc.stdout!.readline()).toString().trim());
      proc.stdin!.close();
      events.push(`exit ${yield* proc.wait()}`);
      return events;
    })(),
  );
  assert.deepEqual(events, ["running: true", "still here", "exit 0"]);
});
