/**
 * The benchmark driver behind `npm run bench`. It loads every workload in bench/cases/, runs
 * each implementation (asyncio-ts and its anchors) in a fresh process per run, interleaving
 * the implementations run after run, and prints one table per workload with medians and how
 * many times better asyncio-ts is than each anchor. bench/README.md describes the options and
 * how to add a workload.
 */

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeMachine, measurePrimitiveCosts } from "./harness/machine.ts";
import { pythonUnavailable } from "./harness/python.ts";
import { formatNumber, type Outcome, renderWorkload } from "./harness/report.ts";
import {
  DEFAULT_ORDER,
  type Implementation,
  type Measurement,
  OURS,
  type Workload,
} from "./harness/workload.ts";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = dirname(BENCH_DIR);
const CASES_DIR = join(BENCH_DIR, "cases");
const CHILD = join(BENCH_DIR, "child.ts");
/** A run taking longer than this is stopped and reported as failed. */
const RUN_TIMEOUT_MS = 300_000;

const USAGE = `usage: npm run bench -- [workload ...] [options]

Runs each workload's implementations (asyncio-ts and its anchors), each run in a fresh
process, and prints medians with ratios. Workloads: all in bench/cases/ unless named.

options:
  --runs N        runs per implementation (default: RUNS env or 3)
  --slow-runs N   runs of the slow implementations (tens of seconds a run; default:
                  SLOW_RUNS env or 0, which skips them with a note)
  --only ID,...   run only these implementations (asyncio-ts always runs)
  --base REV      also run asyncio-ts as it was at git revision REV (a commit, a tag,
                  HEAD~3), interleaved with today's, as one more row: a change's figures
                  before and after in one run
  --write [FILE]  also write the report as Markdown (default: bench/RESULTS.md)
  --list          list workloads and their implementations, then exit
  --help          this text`;

interface Options {
  names: string[];
  runs: number;
  slowRuns: number;
  only: Set<string> | null;
  base: string | null;
  write: string | null;
  list: boolean;
}

function count(text: string | undefined, what: string, least: number): number {
  const value = Number(text);
  if (text === undefined || text === "" || !Number.isInteger(value) || value < least) {
    throw new Error(`${what} must be an integer >= ${least}, got ${text}`);
  }
  return value;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    names: [],
    runs: count(process.env.RUNS ?? "3", "RUNS", 1),
    slowRuns: count(process.env.SLOW_RUNS ?? "0", "SLOW_RUNS", 0),
    only: null,
    base: null,
    write: null,
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === "--runs") options.runs = count(argv[++i], "--runs", 1);
    else if (arg === "--slow-runs") options.slowRuns = count(argv[++i], "--slow-runs", 0);
    else if (arg === "--only") options.only = new Set((argv[++i] ?? "").split(","));
    else if (arg === "--list") options.list = true;
    else if (arg === "--base") {
      const rev = argv[++i];
      if (rev === undefined || rev.startsWith("-"))
        throw new Error(`--base needs a revision\n\n${USAGE}`);
      options.base = rev;
    } else if (arg === "--write") {
      const next = argv[i + 1];
      options.write =
        next !== undefined && next.endsWith(".md") ? argv[++i]! : join(BENCH_DIR, "RESULTS.md");
    } else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    else options.names.push(arg);
  }
  return options;
}

async function loadWorkloads(names: string[]): Promise<{ workload: Workload; file: string }[]> {
  const files = readdirSync(CASES_DIR)
    .filter((name) => name.endsWith(".ts"))
    .sort();
  const available = files.map((file) => basename(file, ".ts"));
  for (const name of names) {
    if (!available.includes(name)) {
      throw new Error(
        `no workload ${name} (bench/cases/${name}.ts); have: ${available.join(", ")}`,
      );
    }
  }
  const loaded = [];
  for (const file of files) {
    const name = basename(file, ".ts");
    if (names.length > 0 && !names.includes(name)) continue;
    const path = join(CASES_DIR, file);
    const workload = ((await import(pathToFileURL(path).href)) as { default: Workload }).default;
    if (workload?.name !== name) {
      throw new Error(
        `bench/cases/${file} must default-export defineWorkload({ name: "${name}" })`,
      );
    }
    loaded.push({ workload, file: path });
  }
  // The order the workloads were named in, else their `order`, then by name.
  const rank = (workload: Workload) =>
    names.length > 0 ? names.indexOf(workload.name) : (workload.order ?? DEFAULT_ORDER);
  loaded.sort((a, b) => rank(a.workload) - rank(b.workload));
  return loaded;
}

/**
 * A checkout of an earlier revision, for `--base`: its own bench/child.ts and case files run
 * its own src/. Its asyncio-ts implementation shows as one more row.
 */
interface BaseCheckout {
  rev: string;
  commit: string;
  dir: string;
}

/** The id of the `--base` row. */
const BASE_ID = "asyncio-ts-base";

function checkoutBase(rev: string): BaseCheckout {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: ROOT_DIR, encoding: "utf8" }).trim();
  const commit = git("rev-parse", "--short", `${rev}^{commit}`);
  const dir = mkdtempSync(join(os.tmpdir(), "asyncio-ts-base-"));
  git("worktree", "add", "--detach", "--force", dir, commit);
  // The earlier revision runs with today's dependencies.
  symlinkSync(join(ROOT_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  return { rev, commit, dir };
}

function removeBase(base: BaseCheckout): void {
  execFileSync("git", ["worktree", "remove", "--force", base.dir], { cwd: ROOT_DIR });
  rmSync(base.dir, { recursive: true, force: true });
}

function command(
  implementation: Implementation,
  caseFile: string,
  base: BaseCheckout | null,
): [string, string[]] {
  if (implementation.kind === "node" && implementation.id === BASE_ID && base !== null) {
    const baseCase = join(base.dir, relative(ROOT_DIR, caseFile));
    const baseChild = join(base.dir, "bench", "child.ts");
    return [process.execPath, ["--expose-gc", "--import", "tsx", baseChild, baseCase, OURS]];
  }
  if (implementation.kind === "node") {
    return [
      process.execPath,
      ["--expose-gc", "--import", "tsx", CHILD, caseFile, implementation.id],
    ];
  }
  return [
    implementation.interpreter,
    [join(BENCH_DIR, implementation.script), ...implementation.args],
  ];
}

/** Runs one process; resolves with its Measurement, rejects with what went wrong. */
function runOnce(
  implementation: Implementation,
  caseFile: string,
  base: BaseCheckout | null,
): Promise<Measurement> {
  const [program, args] = command(implementation, caseFile, base);
  const cwd = implementation.id === BASE_ID && base !== null ? base.dir : ROOT_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code === 0 && last.startsWith("{")) {
        resolve(JSON.parse(last) as Measurement);
        return;
      }
      const why =
        signal === "SIGKILL"
          ? `timed out after ${RUN_TIMEOUT_MS / 1000} s`
          : `exit ${code ?? signal}`;
      const lines = stderr
        .trim()
        .split("\n")
        .filter((line) => line.trim() !== "");
      const error = lines.find((line) => /Error|error:/.test(line)) ?? lines.pop() ?? "";
      reject(new Error(`${why}${error ? `: ${error.trim()}` : ""}`));
    });
  });
}

async function runWorkload(
  workload: Workload,
  caseFile: string,
  options: Options,
  base: BaseCheckout | null,
): Promise<Outcome[]> {
  const implementations = workload.implementations.filter(
    (impl) => options.only === null || impl.id === OURS || options.only.has(impl.id),
  );
  if (base !== null) {
    const baseRow: Implementation = {
      kind: "node",
      id: BASE_ID,
      label: `asyncio-ts at ${base.rev} (${base.commit})`,
      run: () => {
        throw new Error("the base row runs in its own checkout");
      },
    };
    const baseCase = join(base.dir, relative(ROOT_DIR, caseFile));
    implementations.splice(1, 0, baseRow);
    if (!existsSync(baseCase)) {
      implementations.splice(1, 1);
      process.stderr.write(
        `${workload.name}: no such workload at ${base.rev}, base row left out\n`,
      );
    }
  }
  const outcomes: Outcome[] = implementations.map((implementation) => {
    const outcome: Outcome = { implementation, measurements: [], failures: [] };
    if (implementation.kind === "python") {
      const reason = pythonUnavailable(implementation);
      if (reason !== null) outcome.skipped = reason;
    }
    if (implementation.slow && options.slowRuns === 0) {
      outcome.skipped = "slow (tens of seconds a run): SLOW_RUNS=1 runs it";
    }
    return outcome;
  });
  const runsOf = (impl: Implementation) => (impl.slow ? options.slowRuns : options.runs);
  const rounds = Math.max(...outcomes.map((o) => runsOf(o.implementation)));
  for (let round = 1; round <= rounds; round++) {
    for (const outcome of outcomes) {
      const { implementation } = outcome;
      const runs = runsOf(implementation);
      if (outcome.skipped !== undefined || round > runs) continue;
      const started = performance.now();
      const where = `${workload.name} / ${implementation.label} (${round}/${runs})`;
      try {
        const measurement = await runOnce(implementation, caseFile, base);
        outcome.measurements.push(measurement);
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        process.stderr.write(
          `${where}: ${formatNumber(measurement.value)} ${workload.unit} [${seconds} s]\n`,
        );
      } catch (error) {
        const message = (error as Error).message;
        outcome.failures.push(message);
        process.stderr.write(`${where}: FAILED ${message}\n`);
      }
    }
  }
  for (const outcome of outcomes) {
    if (outcome.skipped !== undefined) {
      process.stderr.write(
        `${workload.name} / ${outcome.implementation.label}: skipped (${outcome.skipped})\n`,
      );
    }
  }
  return outcomes;
}

/** The command line's workloads and `--only`, for the report (runs are shown as env vars). */
function commandArguments(argv: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--runs" || arg === "--slow-runs") i++;
    else if (arg === "--write") {
      if (argv[i + 1]?.endsWith(".md")) i++;
    } else kept.push(arg);
  }
  return kept;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const workloads = await loadWorkloads(options.names);
  if (options.list) {
    for (const { workload } of workloads) {
      console.log(workload.title);
      for (const impl of workload.implementations)
        console.log(`  ${impl.id.padEnd(20)} ${impl.label}`);
    }
    return;
  }
  const costs = await measurePrimitiveCosts();
  console.log(costs);
  const started = performance.now();
  const loadBefore = os.loadavg()[0]!;
  const sections: string[] = [];
  const targets: string[] = [];
  const base = options.base === null ? null : checkoutBase(options.base);
  try {
    for (const { workload, file } of workloads) {
      const outcomes = await runWorkload(workload, file, options, base);
      const rendered = renderWorkload(workload, outcomes);
      console.log(`\n${rendered.section}\n`);
      sections.push(rendered.section);
      targets.push(...rendered.targets);
    }
  } finally {
    if (base !== null) removeBase(base);
  }
  if (targets.length > 0) console.log(["Targets:", ...targets.map((t) => `  ${t}`)].join("\n"));
  const seconds = (performance.now() - started) / 1000;
  console.log(`total run time: ${seconds.toFixed(0)} s`);
  if (options.write !== null) {
    const args = commandArguments(process.argv.slice(2));
    const report = [
      "# Benchmark results",
      "",
      "Written by `npm run bench -- --write` (bench/run.ts); bench/README.md says what each workload measures.",
      "",
      `- date (UTC): ${new Date().toISOString().slice(0, 16).replace("T", " ")}`,
      ...describeMachine().map((line) => `- ${line}`),
      `- ${costs}`,
      `- command: \`RUNS=${options.runs} SLOW_RUNS=${options.slowRuns} npm run bench --${args.length > 0 ? ` ${args.join(" ")}` : ""} --write\``,
      `- total run time: ${seconds.toFixed(0)} s; load average (1 min) ${loadBefore.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after (other processes share the cores)`,
      "",
      "Each cell is the median of runs, each run a fresh process, timed in-process around the workload. \"asyncio-ts is\" = how many times better asyncio-ts's median is than that row's (higher throughput, or lower time, bytes or latency).",
      "",
      "## Targets",
      "",
      ...targets.map((target) => `- ${target}`),
      "",
      sections.join("\n\n"),
      "",
    ].join("\n");
    writeFileSync(options.write, report);
    console.log(`wrote ${relative(process.cwd(), options.write)}`);
  }
}

await main();
