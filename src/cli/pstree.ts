/**
 * `asyncio-ts pstree PID`: the await tree of a live process (Python 3.14's
 * `python -m asyncio pstree`): each task under the task that awaits it, from the tasks nobody
 * awaits down. Tasks that await each other in a cycle (a deadlock) are marked.
 *
 * @example
 * ```sh
 * npx asyncio-ts pstree 12345
 * ```
 */

import type { TaskSnapshot } from "../inspect/snapshot.ts";
import { type Inspection, runInspectCommand } from "./attach.ts";
import { renderSummary } from "./ps.ts";

const SUMMARY =
  "Draws the await tree of the asyncio-ts tasks of a running Node.js process, and marks cycles.";

/** Runs `asyncio-ts pstree` with `args`; resolves to the exit status. */
export function main(args: readonly string[]): Promise<number> {
  return runInspectCommand("pstree", SUMMARY, args, renderTree);
}

function renderTree({ snapshot, coroutineNames }: Inspection, pid: number): string {
  const lines = renderSummary(snapshot, pid);
  for (const loop of snapshot.loops) {
    lines.push("", `loop ${loop.id}:`);
    // A task's children are the tasks it awaits: those listing it among their awaiters.
    const children = new Map<number, TaskSnapshot[]>();
    for (const task of loop.tasks) {
      for (const awaiter of task.awaitedBy) {
        const list = children.get(awaiter) ?? [];
        list.push(task);
        children.set(awaiter, list);
      }
    }
    const label = (task: TaskSnapshot) => {
      const coroutine = coroutineNames.get(task.id);
      const waits = task.waitsOn === null ? task.state : `waits on ${task.waitsOn}`;
      return `(T) ${task.name} [id ${task.id}]${coroutine ? ` ${coroutine}()` : ""}: ${waits}`;
    };
    const drawn = new Set<number>();
    const draw = (task: TaskSnapshot, prefix: string, last: boolean, path: number[]) => {
      const branch = last ? "└── " : "├── ";
      if (path.includes(task.id)) {
        const cycle = [...path.slice(path.indexOf(task.id)), task.id];
        lines.push(
          `${prefix}${branch}(cycle) ${task.name} [id ${task.id}]: ${cycle.join(" → ")} await each other`,
        );
        return;
      }
      drawn.add(task.id);
      lines.push(`${prefix}${branch}${label(task)}`);
      const below = children.get(task.id) ?? [];
      below.forEach((child, index) => {
        draw(child, prefix + (last ? "    " : "│   "), index === below.length - 1, [
          ...path,
          task.id,
        ]);
      });
    };
    const roots = loop.tasks.filter((task) => task.awaitedBy.length === 0);
    for (let index = 0; index < roots.length; index++) {
      draw(roots[index]!, "", index === roots.length - 1, []);
    }
    // What is left awaits only tasks in a cycle: draw from each cycle's first task.
    for (const task of loop.tasks) {
      if (!drawn.has(task.id)) draw(task, "", true, []);
    }
  }
  return lines.join("\n");
}
