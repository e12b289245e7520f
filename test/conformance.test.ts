/**
 * The conformance suite: every `conformance/<name>.py` that has a sibling `<name>.ts` is a pair.
 * The Python program runs under CPython 3.13, the port under `node --import tsx`, and their
 * standard output must match line by line (and their exit codes must agree). Each pair is one
 * test named after its file; conformance/README.md says how to write one.
 *
 * A pair whose .py file holds a `# conformance-todo: <reason>` line documents a known
 * difference: it still runs and shows its diff, as a todo test that does not fail the suite.
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const pairsDir = join(root, "conformance");

/** Longest a single program may run (seconds of real time). */
const PROGRAM_TIMEOUT_MS = 20_000;
/** Child processes running at once: the machine has 2 cores. */
const MAX_PROCESSES = Math.max(1, Math.min(2, availableParallelism()));
/** How much of a program's stderr a failure report shows. */
const STDERR_SHOWN = 2_000;

const TODO_MARKER = /^#\s*conformance-todo:\s*(.+)$/m;

interface Pair {
  name: string;
  python: string;
  port: string;
  todo: string | undefined;
}

interface ProgramRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

function findPairs(): Pair[] {
  if (!existsSync(pairsDir)) return [];
  return readdirSync(pairsDir)
    .filter((file) => file.endsWith(".py") && existsSync(join(pairsDir, `${file.slice(0, -3)}.ts`)))
    .sort()
    .map((file) => {
      const name = file.slice(0, -3);
      const python = join(pairsDir, file);
      const todo = TODO_MARKER.exec(readFileSync(python, "utf8"))?.[1]?.trim();
      return { name, python, port: join(pairsDir, `${name}.ts`), todo };
    });
}

/** The version `[major, minor]` an interpreter reports, or null when it does not run. */
function pythonVersion(executable: string): [number, number] | null {
  const probe = spawnSync(executable, ["-c", "import sys; print(*sys.version_info[:2])"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (probe.status !== 0) return null;
  const match = /^(\d+) (\d+)\s*$/.exec(probe.stdout);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function atLeast313(version: [number, number] | null): boolean {
  return version !== null && (version[0] > 3 || (version[0] === 3 && version[1] >= 13));
}

/** `versions/3.13*` interpreters under a pyenv root, newest first. */
function pyenvCandidates(pyenvRoot: string): string[] {
  const versionsDir = join(pyenvRoot, "versions");
  if (!existsSync(versionsDir)) return [];
  return readdirSync(versionsDir)
    .filter((version) => /^3\.13(\.|$)/.test(version))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    .map((version) => join(versionsDir, version, "bin", "python3"));
}

/**
 * CPython 3.13: `python3.13` on PATH, else a pyenv 3.13 (`$PYENV_ROOT`, then `~/.pyenv`), else
 * `python3` when it is 3.13 or newer. A pyenv shim that cannot run the version is skipped.
 */
function findPython(): string | null {
  if (atLeast313(pythonVersion("python3.13"))) return "python3.13";
  const roots = [process.env.PYENV_ROOT, join(homedir(), ".pyenv")].filter(
    (dir): dir is string => dir !== undefined && dir !== "",
  );
  for (const pyenvRoot of new Set(roots)) {
    for (const candidate of pyenvCandidates(pyenvRoot)) {
      if (existsSync(candidate) && atLeast313(pythonVersion(candidate))) return candidate;
    }
  }
  if (atLeast313(pythonVersion("python3"))) return "python3";
  return null;
}

/** Runs child processes, at most MAX_PROCESSES at a time. */
let running = 0;
const queued: (() => void)[] = [];

async function withProcessSlot<T>(body: () => Promise<T>): Promise<T> {
  if (running >= MAX_PROCESSES) await new Promise<void>((resolve) => queued.push(resolve));
  else running++;
  try {
    return await body();
  } finally {
    const next = queued.shift();
    if (next) next();
    else running--;
  }
}

function runProgram(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProgramRun> {
  return withProcessSlot(
    () =>
      new Promise<ProgramRun>((resolve, reject) => {
        const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, PROGRAM_TIMEOUT_MS);
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          resolve({
            stdout: Buffer.concat(stdout).toString("utf8"),
            stderr: Buffer.concat(stderr).toString("utf8"),
            code,
            signal,
            timedOut,
          });
        });
      }),
  );
}

function lines(output: string): string[] {
  const all = output.replace(/\r\n/g, "\n").split("\n");
  if (all.at(-1) === "") all.pop();
  return all;
}

/** Above this many LCS cells, the lines between the common prefix and suffix are listed whole. */
const MAX_DIFF_CELLS = 4_000_000;

type DiffRow = { mark: " " | "-" | "+"; text: string; line: number };

/**
 * A line diff (longest common subsequence): `  ` both, `- ` only Python, `+ ` only the port.
 * Long runs of equal lines are cut down to a little context.
 */
function lineDiff(expected: string[], actual: string[]): string {
  let start = 0;
  while (start < expected.length && start < actual.length && expected[start] === actual[start]) {
    start++;
  }
  let endExpected = expected.length;
  let endActual = actual.length;
  while (
    endExpected > start &&
    endActual > start &&
    expected[endExpected - 1] === actual[endActual - 1]
  ) {
    endExpected--;
    endActual--;
  }
  const rows: DiffRow[] = [];
  for (let k = 0; k < start; k++) rows.push({ mark: " ", text: expected[k]!, line: k + 1 });
  rows.push(
    ...middleDiff(expected.slice(start, endExpected), actual.slice(start, endActual), start),
  );
  for (let k = endExpected; k < expected.length; k++) {
    rows.push({ mark: " ", text: expected[k]!, line: k + 1 });
  }
  return formatDiff(rows);
}

/** The LCS diff of the lines that differ; `offset` is their first line's index. */
function middleDiff(expected: string[], actual: string[], offset: number): DiffRow[] {
  const n = expected.length;
  const m = actual.length;
  if ((n + 1) * (m + 1) > MAX_DIFF_CELLS) {
    return [
      ...expected.map((text, k): DiffRow => ({ mark: "-", text, line: offset + k + 1 })),
      ...actual.map((text, k): DiffRow => ({ mark: "+", text, line: offset + k + 1 })),
    ];
  }
  const common: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i]![j] =
        expected[i] === actual[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) {
      rows.push({ mark: " ", text: expected[i]!, line: offset + i + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      rows.push({ mark: "-", text: expected[i]!, line: offset + i + 1 });
      i++;
    } else {
      rows.push({ mark: "+", text: actual[j]!, line: offset + j + 1 });
      j++;
    }
  }
  return rows;
}

function formatDiff(rows: DiffRow[]): string {
  const context = 3;
  const near = rows.map((_, index) =>
    rows.slice(Math.max(0, index - context), index + context + 1).some((row) => row.mark !== " "),
  );
  const out: string[] = [];
  let skipped = false;
  rows.forEach((row, index) => {
    if (!near[index]) {
      skipped = true;
      return;
    }
    if (skipped) out.push("  ...");
    skipped = false;
    out.push(`${row.mark} ${String(row.line).padStart(4)} | ${row.text}`);
  });
  if (skipped) out.push("  ...");
  return out.join("\n");
}

function describeExit(run: ProgramRun): string {
  if (run.timedOut) return `timed out after ${PROGRAM_TIMEOUT_MS / 1000} s`;
  if (run.signal !== null) return `killed by ${run.signal}`;
  return `exit code ${run.code}`;
}

function tail(text: string): string {
  const trimmed = text.trimEnd();
  if (trimmed === "") return "(empty)";
  return trimmed.length > STDERR_SHOWN ? `…${trimmed.slice(-STDERR_SHOWN)}` : trimmed;
}

async function checkPair(pair: Pair, python: string): Promise<void> {
  const [reference, port] = await Promise.all([
    runProgram(python, ["-B", pair.python], {
      ...process.env,
      PYTHONHASHSEED: "0",
      PYTHONIOENCODING: "utf-8",
      PYTHONUNBUFFERED: "1",
    }),
    runProgram(process.execPath, ["--import", "tsx", pair.port], { ...process.env, NO_COLOR: "1" }),
  ]);
  const expected = lines(reference.stdout);
  const actual = lines(port.stdout);
  const problems: string[] = [];
  if (reference.timedOut || port.timedOut || port.code !== reference.code || port.signal !== null) {
    problems.push(
      `exit status differs: Python ${describeExit(reference)}, port ${describeExit(port)}`,
    );
  }
  const sameOutput = expected.length === actual.length && expected.every((l, k) => l === actual[k]);
  if (!sameOutput) {
    problems.push(
      `stdout differs (- conformance/${pair.name}.py under CPython, + conformance/${pair.name}.ts):\n${lineDiff(expected, actual)}`,
    );
  }
  if (problems.length === 0) return;
  throw new Error(
    [
      `conformance pair ${pair.name}:`,
      ...problems,
      `Python stderr:\n${tail(reference.stderr)}`,
      `port stderr:\n${tail(port.stderr)}`,
    ].join("\n\n"),
  );
}

const pairs = findPairs();
const python = pairs.length > 0 ? findPython() : null;
const missingPython =
  "CPython 3.13 not found: install python3.13 (on PATH, or under pyenv: `pyenv install 3.13`) to run the conformance pairs";

describe("conformance: CPython 3.13 asyncio programs and their ports print the same lines", {
  concurrency: true,
}, () => {
  for (const pair of pairs) {
    if (python === null) {
      it(pair.name, { skip: missingPython }, () => {});
      continue;
    }
    it(pair.name, { todo: pair.todo }, () => checkPair(pair, python));
  }
});
