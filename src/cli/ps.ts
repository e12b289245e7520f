/**
 * `asyncio-ts ps PID`: the tasks of a live process as a table (Python 3.14's
 * `python -m asyncio ps`), after a summary of each loop (idle or blocked, and in which task),
 * its ready queue and timers, and the executors' statistics.
 *
 * @example
 * ```sh
 * npx asyncio-ts ps 12345
 * ```
 */

import type { LoopSnapshot, ProcessSnapshot } from "../inspect/snapshot.ts";
import { type Inspection, runInspectCommand } from "./attach.ts";

const SUMMARY =
  "Lists the asyncio-ts tasks of a running Node.js process: what each waits on and which task awaits it.";

/** Runs `asyncio-ts ps` with `args`; resolves to the exit status. */
export function main(args: readonly string[]): Promise<number> {
  return runInspectCommand("ps", SUMMARY, args, renderPs);
}

/** The loops' and executors' summary lines, shared with pstree. */
export function renderSummary(snapshot: ProcessSnapshot, pid: number): string[] {
  const lines = [
    `process ${pid}: ${snapshot.loops.length} event loop${snapshot.loops.length === 1 ? "" : "s"}`,
  ];
  for (const loop of snapshot.loops)
    lines.push(`loop ${loop.id} (${loop.clock} clock): ${describeLoop(loop)}`);
  for (const executor of snapshot.executors) {
    lines.push(
      `executor ${executor.kind}: ${executor.busy}/${executor.maxWorkers} workers busy, ${executor.queued} queued, ${executor.completed} completed, ${executor.failed} failed`,
    );
  }
  return lines;
}

function describeLoop(loop: LoopSnapshot): string {
  let state: string = loop.state;
  if (loop.state === "blocked") {
    const task = loop.tasks.find((t) => t.id === loop.runningTask);
    state = `blocked in ${task === undefined ? "a callback" : `task '${task.name}' (id ${task.id})`}`;
    state +=
      loop.blockedSeconds === null
        ? " (debug mode shows for how long)"
        : ` for ${loop.blockedSeconds.toFixed(1)} s`;
  }
  return `${state}; ${loop.tasks.length} tasks, ${loop.ready} ready, ${loop.timers} timers`;
}

function renderPs({ snapshot, coroutineNames }: Inspection, pid: number): string {
  const header = [
    "task id",
    "task name",
    "state",
    "coroutine",
    "waits on",
    "awaiter name",
    "awaiter id",
  ];
  const rows: string[][] = [];
  for (const loop of snapshot.loops) {
    const byId = new Map(loop.tasks.map((task) => [task.id, task]));
    for (const task of loop.tasks) {
      const awaiters = task.awaitedBy.map((id) => byId.get(id)).filter((t) => t !== undefined);
      const coroutine = coroutineNames.get(task.id) ?? "";
      rows.push([
        String(task.id),
        task.name,
        task.state,
        task.createdAt === null ? coroutine : `${coroutine} (created at ${task.createdAt})`,
        task.waitsOn ?? "",
        awaiters.map((t) => t.name).join(", "),
        awaiters.map((t) => String(t.id)).join(", "),
      ]);
    }
  }
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const format = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();
  return [
    ...renderSummary(snapshot, pid),
    "",
    format(header),
    format(widths.map((w) => "-".repeat(w))),
    ...rows.map(format),
  ].join("\n");
}
