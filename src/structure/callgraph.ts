/**
 * The async call graph (asyncio 3.14's graph.py): which task or future waits on which, so a
 * hang can be read as a tree. `captureCallGraph()` starts at the current task (or a future
 * given) and follows "awaited by" links upwards; `printCallGraph()` prints that tree.
 *
 * The links cost nothing while the program runs: they are read, when a graph is captured, from
 * the waiters each future already keeps. A Task in a future's waiters is a task awaiting it
 * (`yield* task`); a waiter with an `_awaiter` field stands for that awaiter (gather's and
 * TaskGroup's per-child waiters); shield's outer future is itself a waiter of the inner one.
 * Code that waits through its own callbacks adds links with `futureAddToAwaitedBy()`.
 *
 * Only the current task has a call stack: V8 cannot show where a suspended generator is
 * stopped, so other tasks appear by name alone.
 */

import { fileURLToPath } from "node:url";

import { RuntimeError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import { Future } from "../core/futures.ts";
import { runningLoopOrNull, waitersOf } from "../core/lowlevel.ts";
import { currentTask, Task } from "../core/tasks.ts";
import { checkInteger, checkOptions } from "../core/validate.ts";

/** One future in a call graph: its call stack (current task only) and who awaits it. */
export interface FutureCallGraph {
  readonly future: Future<unknown>;
  /** Frames of the current task, innermost first (`"fetch (file:///app/main.ts:12:5)"`). */
  readonly callStack: readonly string[];
  readonly awaitedBy: readonly FutureCallGraph[];
}

/** Options of `captureCallGraph()` and friends. */
export interface CallGraphOptions {
  /** Frames to leave out at the top of the current task's stack (default 1: from the caller on). */
  depth?: number;
  /** At most this many frames in a call stack (default: all). */
  limit?: number;
}

const CALL_GRAPH_OPTIONS = ["depth", "limit"] as const;

/** Links added by hand, for waits the waiter lists do not show. */
const explicitAwaiters = new WeakMap<Future<unknown>, Set<Future<unknown>>>();

/** Short ids for printed graphs: two tasks with one name stay apart. */
const printedIds = new WeakMap<Future<unknown>, number>();
let nextPrintedId = 1;

/** The folder of the library's sources, whose frames a call stack leaves out. */
const librarySources = fileURLToPath(new URL("..", import.meta.url));
const librarySourcesUrl = new URL("..", import.meta.url).href;
/** Where Task steps run: the bottom of a task's coroutine chain. */
const taskSteps = [
  fileURLToPath(new URL("../core/tasks.ts", import.meta.url)),
  new URL("../core/tasks.ts", import.meta.url).href,
];

/**
 * Records that `waiter` awaits `future`, for waits made through callbacks (asyncio's
 * `future_add_to_awaited_by`). `yield*`, gather, shield and TaskGroup need no such call.
 *
 * @example
 * ```ts
 * const relay = loop.createFuture<string>();
 * asyncio.futureAddToAwaitedBy(source, relay);
 * source.addDoneCallback(() => {
 *   asyncio.futureDiscardFromAwaitedBy(source, relay);
 *   relay.setResult(source.result());
 * });
 * ```
 */
export function futureAddToAwaitedBy(future: Future<unknown>, waiter: Future<unknown>): void {
  checkFutures(future, waiter, "futureAddToAwaitedBy()");
  let awaiters = explicitAwaiters.get(future);
  if (awaiters === undefined) explicitAwaiters.set(future, (awaiters = new Set()));
  awaiters.add(waiter);
}

/**
 * Removes a link added by {@link futureAddToAwaitedBy}; does nothing if there is none.
 *
 * @example
 * ```ts
 * asyncio.futureDiscardFromAwaitedBy(source, relay);
 * ```
 */
export function futureDiscardFromAwaitedBy(future: Future<unknown>, waiter: Future<unknown>): void {
  checkFutures(future, waiter, "futureDiscardFromAwaitedBy()");
  explicitAwaiters.get(future)?.delete(waiter);
}

function checkFutures(future: unknown, waiter: unknown, where: string): void {
  if (!(future instanceof Future) || !(waiter instanceof Future)) {
    throw new TypeError(
      `${where} links two Futures or Tasks, got ${formatValue(future)} and ${formatValue(waiter)}`,
    );
  }
}

/**
 * The call graph of the current task, or of `future`: it, its call stack when it is the
 * current task, and, recursively, what awaits it. Null when called outside a task with no
 * future given.
 *
 * @example
 * ```ts
 * function* child(): asyncio.Coro<void> {
 *   const graph = asyncio.captureCallGraph();
 *   console.log(graph?.awaitedBy.map((g) => (g.future as asyncio.Task).getName()));  // ["main"]
 * }
 * ```
 */
export function captureCallGraph(
  future?: Future<unknown> | null,
  options: CallGraphOptions = {},
): FutureCallGraph | null {
  return captureFrom(future ?? null, options, captureCallGraph);
}

/**
 * The call graph as text, one line per future, indented by depth: what `printCallGraph()`
 * prints. Empty when there is no current task and no future was given.
 *
 * @example
 * ```ts
 * logger.info(asyncio.formatCallGraph());
 * ```
 */
export function formatCallGraph(
  future?: Future<unknown> | null,
  options: CallGraphOptions = {},
): string {
  const graph = captureFrom(future ?? null, options, formatCallGraph);
  return graph === null ? "" : renderGraph(graph);
}

/**
 * Prints the call graph of the current task (or of `future`) to standard output.
 *
 * @example
 * ```ts
 * function* worker(): asyncio.Coro<void> {
 *   asyncio.printCallGraph();
 *   // * Task(name='worker', id=2)
 *   //   + Call stack:
 *   //   |   at worker (file:///app/main.ts:3:11)
 *   //   + Awaited by:
 *   //       * Task(name='main', id=1)
 * }
 * ```
 */
export function printCallGraph(
  future?: Future<unknown> | null,
  options: CallGraphOptions = {},
): void {
  const graph = captureFrom(future ?? null, options, printCallGraph);
  if (graph !== null) process.stdout.write(`${renderGraph(graph)}\n`);
}

function captureFrom(
  future: Future<unknown> | null,
  options: CallGraphOptions,
  boundary: Function,
): FutureCallGraph | null {
  if (future !== null && !(future instanceof Future)) {
    throw new TypeError(`captureCallGraph() expects a Future or Task, got ${formatValue(future)}`);
  }
  const where = `${boundary.name}()`;
  checkOptions(options, where, CALL_GRAPH_OPTIONS);
  if (options.depth !== undefined) checkInteger(options.depth, where, "depth", 0);
  if (options.limit !== undefined) checkInteger(options.limit, where, "limit", 0);
  const loop = runningLoopOrNull();
  const current = loop === null ? null : currentTask(loop);
  if (future === null) {
    if (loop === null) {
      throw new RuntimeError(
        "captureCallGraph() was called outside a running event loop and no future was given",
      );
    }
    if (current === null) return null;
    future = current;
  }
  const callStack =
    future === current ? currentCallStack(boundary, options.depth ?? 1, options.limit) : [];
  return buildGraph(future, callStack, new Set());
}

function buildGraph(
  future: Future<unknown>,
  callStack: readonly string[],
  path: Set<Future<unknown>>,
): FutureCallGraph {
  path.add(future);
  const awaitedBy: FutureCallGraph[] = [];
  for (const awaiter of awaitersOf(future)) {
    // A cycle is a deadlock; show the awaiter, without following it round again.
    if (path.has(awaiter)) awaitedBy.push({ future: awaiter, callStack: [], awaitedBy: [] });
    else awaitedBy.push(buildGraph(awaiter, [], path));
  }
  path.delete(future);
  return { future, callStack, awaitedBy };
}

/** The futures awaiting `future`, read from its waiters and the links added by hand. */
export function awaitersOf(future: Future<unknown>): Future<unknown>[] {
  const awaiters: Future<unknown>[] = [];
  const add = (candidate: unknown) => {
    if (candidate instanceof Future && candidate !== future && !awaiters.includes(candidate)) {
      awaiters.push(candidate);
    }
  };
  const waiter = waitersOf(future);
  const waiters = waiter === null ? [] : Array.isArray(waiter) ? waiter : [waiter];
  for (const item of waiters) {
    add(item instanceof Future ? item : (item as { _awaiter?: unknown })._awaiter);
  }
  const explicit = explicitAwaiters.get(future);
  if (explicit !== undefined) for (const item of explicit) add(item);
  return awaiters;
}

/** The current task's frames, innermost first, without the library's own. */
function currentCallStack(boundary: Function, depth: number, limit: number | undefined): string[] {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = Number.POSITIVE_INFINITY;
  try {
    Error.captureStackTrace(holder, boundary);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  const frames: string[] = [];
  for (const line of (holder.stack ?? "").split("\n").slice(1)) {
    const frame = line.trim().replace(/^at /, "");
    // The task's step is where the coroutine chain starts; below it is the loop.
    if (taskSteps.some((file) => frame.includes(file))) break;
    if (isLibraryFrame(frame)) continue;
    frames.push(frame);
  }
  const skipped = frames.slice(Math.max(0, depth - 1));
  return limit === undefined ? skipped : skipped.slice(0, Math.max(0, limit));
}

function isLibraryFrame(frame: string): boolean {
  return (
    frame.includes(librarySources) ||
    frame.includes(librarySourcesUrl) ||
    frame.startsWith("Generator.") ||
    frame.endsWith("(<anonymous>)")
  );
}

function renderGraph(graph: FutureCallGraph): string {
  const lines: string[] = [];
  renderLevel(graph, lines, 0);
  return lines.join("\n");
}

function renderLevel(graph: FutureCallGraph, lines: string[], level: number): void {
  const indent = "    ".repeat(level);
  lines.push(`${indent}* ${describeFuture(graph.future)}`);
  if (graph.callStack.length > 0) {
    lines.push(`${indent}  + Call stack:`);
    for (const frame of graph.callStack) lines.push(`${indent}  |   at ${frame}`);
  }
  if (graph.awaitedBy.length > 0) {
    lines.push(`${indent}  + Awaited by:`);
    for (const awaiter of graph.awaitedBy) renderLevel(awaiter, lines, level + 1);
  }
}

function describeFuture(future: Future<unknown>): string {
  let id = printedIds.get(future);
  if (id === undefined) printedIds.set(future, (id = nextPrintedId++));
  if (future instanceof Task) return `Task(name='${future.getName()}', id=${id})`;
  return `${future.constructor.name}(id=${id})`;
}
