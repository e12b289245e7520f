/**
 * Turns the runs of a workload into its results table: the median per implementation, the
 * spread, median details, and how many times better asyncio-ts is than each anchor; then the
 * workload's targets, each marked met or missed.
 */

import { type Implementation, type Measurement, OURS, type Workload } from "./workload.ts";

/** What happened to one implementation over its runs. */
export interface Outcome {
  implementation: Implementation;
  measurements: Measurement[];
  /** Why it did not run (missing interpreter or module). */
  skipped?: string;
  /** The errors of the runs that failed (the other runs still count). */
  failures: string[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Three significant figures, thousands separated: 1,459,678 / 906.1 / 0.248. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString("en-US");
  if (magnitude === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(magnitude)));
  return value.toFixed(Math.min(digits, 6));
}

function medianOf(outcome: Outcome): number | null {
  if (outcome.measurements.length === 0) return null;
  return median(outcome.measurements.map((m) => m.value));
}

/** How many times better asyncio-ts's median is than `other` (>1: asyncio-ts is better). */
function advantage(workload: Workload, ourMedian: number, other: number): number {
  return workload.better === "higher" ? ourMedian / other : other / ourMedian;
}

function detailText(measurements: Measurement[]): string {
  const keys = new Set<string>();
  for (const m of measurements) for (const key of Object.keys(m.detail ?? {})) keys.add(key);
  const parts: string[] = [];
  for (const key of keys) {
    const values = measurements.map((m) => m.detail?.[key]).filter((v) => v !== undefined);
    if (values.length > 0) parts.push(`${key} ${formatNumber(median(values))}`);
  }
  return parts.join(", ");
}

/** A workload's results as Markdown (readable in a terminal too), and its target lines. */
export interface RenderedWorkload {
  section: string;
  targets: string[];
}

export function renderWorkload(workload: Workload, outcomes: Outcome[]): RenderedWorkload {
  const showRatios = workload.ratios !== false;
  const ourOutcome = outcomes.find((o) => o.implementation.id === OURS);
  const ourMedian = ourOutcome === undefined ? null : medianOf(ourOutcome);
  const rows: string[][] = [];
  for (const outcome of outcomes) {
    const { implementation, measurements } = outcome;
    const value = medianOf(outcome);
    let ratio = "";
    if (value !== null && ourMedian !== null) {
      ratio = `${formatNumber(advantage(workload, ourMedian, value))}x`;
    }
    let runs = String(measurements.length);
    if (measurements.length > 1) {
      const values = measurements.map((m) => m.value);
      runs += ` (${formatNumber(Math.min(...values))}-${formatNumber(Math.max(...values))})`;
    }
    let detail = detailText(measurements);
    if (outcome.skipped !== undefined) detail = `skipped: ${outcome.skipped}`;
    else if (outcome.failures.length > 0) {
      const runsTried = outcome.failures.length + measurements.length;
      const failed = `FAILED ${outcome.failures.length} of ${runsTried} runs: ${outcome.failures[0]}`;
      detail = `${failed}${detail ? `; ${detail}` : ""}`;
    }
    const median = value === null ? "-" : formatNumber(value);
    const row = [implementation.label, median, ratio, detail, outcome.skipped ? "0" : runs];
    rows.push(showRatios ? row : row.filter((_, column) => column !== 2));
  }
  const better = workload.better === "higher" ? "higher is better" : "lower is better";
  const header = ["implementation", `median ${workload.unit}`, "asyncio-ts is"];
  const right = [false, true, true];
  if (!showRatios) {
    header.pop();
    right.pop();
  }
  header.push("detail (medians)", "runs (spread)");
  right.push(false, false);
  const lines = [`### ${workload.title}`, "", `Unit: ${workload.unit}, ${better}.`, ""];
  lines.push(...markdownTable(header, rows, right));
  const targets = renderTargets(workload, outcomes, ourMedian);
  if (targets.length > 0) lines.push("", ...targets.map((target) => `- Target ${target}`));
  if (workload.notes !== undefined && workload.notes.length > 0) {
    lines.push("", ...workload.notes.map((note) => `- ${note}`));
  }
  return {
    section: lines.join("\n"),
    targets: targets.map((target) => `${workload.name}: ${target}`),
  };
}

function renderTargets(
  workload: Workload,
  outcomes: Outcome[],
  ourMedian: number | null,
): string[] {
  const lines: string[] = [];
  for (const target of workload.targets ?? []) {
    if (target.kind === "speedup") {
      const anchor = outcomes.find((o) => o.implementation.id === target.anchor);
      const label = anchor?.implementation.label ?? target.anchor;
      const anchorMedian = anchor === undefined ? null : medianOf(anchor);
      const goal = `asyncio-ts >= ${target.atLeast}x ${label}`;
      if (ourMedian === null || anchorMedian === null) {
        lines.push(`${goal}: not measured`);
      } else {
        const got = advantage(workload, ourMedian, anchorMedian);
        const verdict = got >= target.atLeast ? "met" : "MISSED";
        lines.push(`${goal}: ${formatNumber(got)}x, ${verdict}`);
      }
    } else {
      const bounds = [];
      if (target.atLeast !== undefined) bounds.push(`>= ${formatNumber(target.atLeast)}`);
      if (target.atMost !== undefined) bounds.push(`<= ${formatNumber(target.atMost)}`);
      const goal = `asyncio-ts ${bounds.join(" and ")} ${workload.unit}`;
      if (ourMedian === null) {
        lines.push(`${goal}: not measured`);
      } else {
        const met =
          (target.atLeast === undefined || ourMedian >= target.atLeast) &&
          (target.atMost === undefined || ourMedian <= target.atMost);
        lines.push(`${goal}: ${formatNumber(ourMedian)}, ${met ? "met" : "MISSED"}`);
      }
    }
  }
  return lines;
}

/** A Markdown table with padded columns; `right[i]` right-aligns column i. */
export function markdownTable(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (right[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(" | ")} |`;
  const rule = `| ${widths.map((width, column) => (right[column] ? `${"-".repeat(width - 1)}:` : "-".repeat(width))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)];
}
