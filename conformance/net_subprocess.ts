/**
 * Port of net_subprocess.py: child processes with stream pipes (exec, shell, communicate,
 * STDOUT, DEVNULL, exit codes, a killed child, lines, a missing program). Real clock: real
 * processes.
 */

import * as asyncio from "../src/index.ts";

const { DEVNULL, PIPE, STDOUT } = asyncio;

/** Python's repr of a bytes value (or None). */
function pyBytes(data: Uint8Array | null): string {
  if (data === null) return "None";
  let text = "";
  for (const byte of data) {
    if (byte === 0x0a) text += "\\n";
    else if (byte === 0x27 || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return `b'${text}'`;
}

const pyPair = ([a, b]: [Buffer | null, Buffer | null]): string => `(${pyBytes(a)}, ${pyBytes(b)})`;

function* main(): asyncio.Coro<void> {
  console.log("== exec and wait");
  let proc = yield* asyncio.createSubprocessExec("echo", "hello", "world", { stdout: PIPE });
  console.log("stdout:", pyBytes(yield* proc.stdout!.read()));
  console.log("returncode:", yield* proc.wait(), proc.returncode);

  console.log("== communicate");
  proc = yield* asyncio.createSubprocessShell("sort; echo oops >&2; exit 3", {
    stdin: PIPE,
    stdout: PIPE,
    stderr: PIPE,
  });
  const [out, err] = yield* proc.communicate("pear\napple\nfig\n");
  console.log("out:", pyBytes(out));
  console.log("err:", pyBytes(err));
  console.log("returncode:", proc.returncode);

  console.log("== merged and discarded");
  proc = yield* asyncio.createSubprocessShell("echo to-out; sleep 0.1; echo to-err >&2", {
    stdout: PIPE,
    stderr: STDOUT,
  });
  console.log("merged:", pyPair(yield* proc.communicate()));
  proc = yield* asyncio.createSubprocessShell("echo gone", { stdout: DEVNULL });
  console.log("devnull:", pyPair(yield* proc.communicate()), proc.returncode);

  console.log("== lines");
  proc = yield* asyncio.createSubprocessExec("printf", "a\\nb\\nc", { stdout: PIPE });
  for (
    let line = yield* proc.stdout!.readline();
    line.length > 0;
    line = yield* proc.stdout!.readline()
  ) {
    console.log("line:", pyBytes(line));
  }
  yield* proc.wait();

  console.log("== killed");
  proc = yield* asyncio.createSubprocessExec("sleep", "30");
  proc.terminate();
  console.log("terminated:", yield* proc.wait());
  proc = yield* asyncio.createSubprocessExec("sleep", "30");
  proc.kill();
  console.log("killed:", yield* proc.wait());

  console.log("== missing program");
  try {
    yield* asyncio.createSubprocessExec("/nonexistent/program");
  } catch (e) {
    if (!(e instanceof asyncio.FileNotFoundError)) throw e;
    console.log("FileNotFoundError");
  }
}

await asyncio.run(main());
