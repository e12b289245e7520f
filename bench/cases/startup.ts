/**
 * startup: how long a fresh ThreadPoolExecutor takes to give its first result (one trivial
 * item), against a raw `worker_threads` Worker doing the same, side by side. Measured as users
 * get it: the compiled library in dist/ under plain `node` (no loader), each sample a fresh
 * child process running bench/js/startup.mjs; a third row runs the same program under tsx
 * (JavaScript work: its workers still start without tsx). dist/ is built first when it is
 * missing or older than src/.
 */

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineWorkload, type Measurement, nodeAnchor, ours } from "../harness/workload.ts";

const SAMPLES = 7;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PROGRAM = fileURLToPath(new URL("../js/startup.mjs", import.meta.url));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const built = join(ROOT, "dist", "index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(ROOT, "src"))) return;
  execFileSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** The median of SAMPLES fresh processes' first-result times, in ms. */
function sample(mode: "pool" | "raw", execArgv: string[] = []): Measurement {
  ensureBuilt();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const output = execFileSync(process.execPath, [...execArgv, PROGRAM, mode], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    times.push(Number(output.trim()));
  }
  times.sort((a, b) => a - b);
  return {
    value: times[Math.floor(SAMPLES / 2)]!,
    detail: { min_ms: times[0]!, max_ms: times[SAMPLES - 1]! },
  };
}

export default defineWorkload({
  name: "startup",
  order: 80,
  title: "startup: a fresh thread pool's first result (compiled dist/ under plain node)",
  unit: "ms",
  better: "lower",
  implementations: [
    ours(() => sample("pool")),
    nodeAnchor("raw-worker", "raw worker_threads Worker", () => sample("raw")),
    nodeAnchor("asyncio-ts-under-tsx", "asyncio-ts, the app run under tsx (JavaScript work)", () =>
      sample("pool", ["--import", "tsx"]),
    ),
  ],
  targets: [{ kind: "speedup", anchor: "raw-worker", atLeast: 0.67 }],
  notes: [
    `Each run's figure is the median of ${SAMPLES} fresh processes (node bench/js/startup.mjs pool|raw), each timing one fresh pool from its construction to its first result; loading the library is not included.`,
    "The goal is at most 1.5x the raw Worker (a ratio of at least 0.67).",
  ],
});
