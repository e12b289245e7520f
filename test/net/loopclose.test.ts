/**
 * net_loopclose: what run() leaves open is closed with its loop, so nothing it made keeps Node
 * alive: a forgotten server (TCP and Unix), UDP endpoint, connection, running child process, and
 * a grandchild holding a killed child's pipes. Each case runs in a child Node process that must
 * exit on its own, promptly, with no more active resources than a program that opened nothing.
 */

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const fixture = fileURLToPath(new URL("./fixtures/leftopen.ts", import.meta.url));

/** Runs the fixture for `scenario`; its exit code, output, and how long it took (seconds). */
function runScenario(
  scenario: string,
): Promise<{ code: number | null; out: string; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", fixture, scenario], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    out += chunk;
  });
  // What is left open would keep the fixture alive for 120 s (or forever): past this bound.
  const limit = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(limit);
      resolve({ code, out, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/**
 * The last line: the active resources the fixture printed after run(), without requests in
 * flight (an fs read of the loader's, say: `FSReqCallback`), which end by themselves and come
 * and go with timing, in the baseline as in any case.
 */
function resourcesOf(out: string): string[] {
  const lines = out.trim().split("\n");
  return (JSON.parse(lines[lines.length - 1]!) as string[])
    .filter((kind) => !/Req(Callback|Promise|Wrap)$/.test(kind))
    .sort();
}

/**
 * What a case holds beyond the baseline, counted kind by kind. Something only the baseline
 * held (the loader's first-run cache write, say) does not make every case fail.
 */
function beyond(resources: string[], baseline: string[]): string[] {
  const left = [...baseline];
  return resources.filter((kind) => {
    const at = left.indexOf(kind);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

describe("closing the loop closes what was left open", () => {
  const baseline = runScenario("none");
  const cases: [string, string][] = [
    ["server", "a TCP server never closed"],
    ["unixserver", "a Unix server never closed"],
    ["udp", "a UDP endpoint never closed"],
    ["connection", "a connection (and its server) never closed"],
    ["child", "a child process still running (it is killed)"],
    ["grandchild", "a killed child whose grandchild holds its pipes"],
  ];
  // All run at once: each takes seconds of start-up on a loaded machine.
  const results = new Map(cases.map(([scenario]) => [scenario, runScenario(scenario)]));
  for (const [scenario, title] of cases) {
    it(`${title}: the process exits on its own`, async () => {
      const [{ out: baseOut }, result] = await Promise.all([baseline, results.get(scenario)!]);
      assert.equal(
        result.code,
        0,
        `${scenario} did not exit on its own (${result.seconds.toFixed(1)} s)`,
      );
      const base = resourcesOf(baseOut);
      const extra = beyond(resourcesOf(result.out), base);
      assert.deepEqual(
        extra,
        [],
        `${scenario} left ${extra.join(", ")} active after run() (a program that opened nothing: ${base.join(", ") || "none"})`,
      );
      if (scenario === "grandchild") assert.match(result.out, /^wait: -9$/m);
    });
  }
});
