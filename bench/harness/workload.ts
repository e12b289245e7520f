/**
 * What a benchmark workload is: a name, a unit, which way is better, and the implementations
 * that run it side by side (asyncio-ts first, then its anchors). A case file in bench/cases/
 * default-exports one `defineWorkload({...})`; bench/run.ts finds it there, runs every
 * implementation in a fresh process per run and prints the medians with ratios. The README
 * beside this folder shows how to add one.
 */

import { pythonAnchors } from "./python.ts";

/** What one run of one implementation reports: its headline figure and a few details. */
export interface Measurement {
  /** The headline figure, in the workload's unit. */
  value: number;
  /** Secondary figures (seconds, percentiles, counts), shown beside the median. */
  detail?: Record<string, number>;
}

interface ImplementationBase {
  /** Short, unique within the workload; targets and `--only` name implementations by it. */
  id: string;
  /** What the results table shows. */
  label: string;
  /** Takes tens of seconds a run: runs `SLOW_RUNS` times (default 0: skipped) instead of `RUNS`. */
  slow?: boolean;
}

/**
 * An implementation that runs in a fresh Node process (`node --expose-gc --import tsx`):
 * bench/child.ts imports the case file and calls `run()`. Import anchors' libraries lazily
 * inside `run` (`await import("../js/x.ts")`) so each process loads only what it measures.
 */
export interface NodeImplementation extends ImplementationBase {
  kind: "node";
  run: () => Measurement | Promise<Measurement>;
}

/**
 * An implementation that runs as `<interpreter> <script> ...args` (script relative to bench/);
 * the program prints its Measurement as one JSON line, last on stdout (py/common.py does it).
 */
export interface PythonImplementation extends ImplementationBase {
  kind: "python";
  /** The interpreter's path. */
  interpreter: string;
  /** Script path relative to bench/. */
  script: string;
  args: string[];
  /** A Python module the run needs (`uvloop`): without it the row is skipped, with a note. */
  requires?: string;
}

export type Implementation = NodeImplementation | PythonImplementation;

/**
 * A goal for asyncio-ts: `speedup` against an anchor (how many times better than it), or a
 * bound on asyncio-ts's own figure.
 */
export type Target =
  | { kind: "speedup"; anchor: string; atLeast: number }
  | { kind: "bound"; atMost?: number; atLeast?: number };

export interface Workload {
  /** The name on the command line (`npm run bench -- spawn`): the case file's base name. */
  name: string;
  /** One line: what runs, with its sizes. */
  title: string;
  /** The unit of `Measurement.value`. */
  unit: string;
  /** Whether a higher or a lower value is better (throughput vs. time, bytes, latency). */
  better: "higher" | "lower";
  /** asyncio-ts first; the others are anchors. */
  implementations: Implementation[];
  targets?: Target[];
  /** Short notes printed under the workload's table. */
  notes?: string[];
  /** False: no "asyncio-ts is" column (the rows are settings, not rivals). Default true. */
  ratios?: boolean;
  /** Where the workload comes in a full run (lower first; default {@link DEFAULT_ORDER}). */
  order?: number;
}

/** The place of a workload without an `order`: after the core ones, by name. */
export const DEFAULT_ORDER = 100;

/** The id of the implementation every ratio is computed for. */
export const OURS = "asyncio-ts";

/** Checks a workload's shape (its first implementation must be asyncio-ts's) and returns it. */
export function defineWorkload(workload: Workload): Workload {
  const ids = new Set<string>();
  for (const impl of workload.implementations) {
    if (ids.has(impl.id)) throw new Error(`workload ${workload.name}: duplicate id ${impl.id}`);
    ids.add(impl.id);
  }
  if (workload.implementations[0]?.id !== OURS) {
    throw new Error(`workload ${workload.name}: the first implementation must have id "${OURS}"`);
  }
  for (const target of workload.targets ?? []) {
    if (target.kind === "speedup" && !ids.has(target.anchor)) {
      throw new Error(`workload ${workload.name}: target names unknown anchor ${target.anchor}`);
    }
  }
  return workload;
}

/** asyncio-ts's implementation of a workload. */
export function ours(run: NodeImplementation["run"]): NodeImplementation {
  return { kind: "node", id: OURS, label: "asyncio-ts", run };
}

/** A Node anchor (raw Node, Effection). */
export function nodeAnchor(
  id: string,
  label: string,
  run: NodeImplementation["run"],
  options: { slow?: boolean } = {},
): NodeImplementation {
  return { kind: "node", id, label, run, ...options };
}

export { pythonAnchors };
