/**
 * net_subprocess_bulk: communicate() with 100 MB of output does not deadlock. The child
 * writes 50 MB to stdout before it reads its input, echoes the input, then writes 50 MB to
 * stderr: a caller that wrote all input first, or read one pipe at a time, would stall with
 * every pipe full.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";

const { PIPE } = asyncio;

test("communicate() with 100 MB of output on two pipes while writing stdin does not deadlock", async () => {
  const half = 50 * 1024 * 1024;
  const inputSize = 1024 * 1024;
  const result = await asyncio.run(
    (function* () {
      const proc = yield* asyncio.createSubprocessShell(
        `head -c ${half} /dev/zero; cat; head -c ${half} /dev/zero >&2`,
        { stdin: PIPE, stdout: PIPE, stderr: PIPE },
      );
      const input = Buffer.alloc(inputSize, 0x61);
      const [out, err] = yield* proc.communicate(input);
      return {
        out: out!.length,
        err: err!.length,
        echoed: out!.subarray(half).every((byte) => byte === 0x61),
        code: proc.returncode,
      };
    })(),
  );
  assert.deepEqual(result, { out: half + inputSize, err: half, echoed: true, code: 0 });
});
