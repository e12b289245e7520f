/**
 * What `asyncio-ts ps` / `pstree` see of a live process: a plain-JSON snapshot of every loop
 * (state, ready queue, timers), its tasks (what each waits on, who awaits it) and the
 * executors' statistics. Importing the library defines one hook on a well-known global
 * (`Symbol.for("asyncio-ts.inspect")`) and nothing else; the CLI calls it through the
 * inspector (Runtime.evaluate), which works even while the loop is stuck in a CPU-bound step.
 *
 * The hook also guards the inspector the CLI opened: a snapshot arms a timer that closes it
 * after a few seconds, in case the CLI dies before it closes it itself (`release()` disarms
 * the timer once the CLI closes it).
 */

import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import {
  creationSiteOf,
  currentTaskOrNull,
  inIteration,
  liveLoops,
  readyCount,
  stepSeconds,
  timerCount,
  waitingOn,
} from "../core/lowlevel.ts";
import { allTasks, Task } from "../core/tasks.ts";
import type { ExecutorStatistics } from "../executors/executor.ts";
import { livePools } from "../executors/pool.ts";
import { awaitersOf } from "../structure/callgraph.ts";

/** The global key the hook lives under. */
export const INSPECT_HOOK = Symbol.for("asyncio-ts.inspect");

/** The snapshot format's version: the CLI refuses one it does not know. */
export const SNAPSHOT_VERSION = 1;

/** One task as `ps` shows it. */
export interface TaskSnapshot {
  id: number;
  name: string;
  /** `running` (its step runs now), `waiting` (on `waitsOn`) or `ready` (scheduled). */
  state: "running" | "waiting" | "ready";
  waitsOn: string | null;
  /** Ids of the tasks that await this one (through gather, TaskGroup, shield …). */
  awaitedBy: number[];
  /** Where the task was created (debug mode only). */
  createdAt: string | null;
  cancelling: number;
}

/** One loop as `ps` shows it. */
export interface LoopSnapshot {
  id: number;
  clock: "real" | "virtual";
  /** `blocked`: the snapshot interrupted a step or callback (a CPU-bound stretch). */
  state: "idle" | "blocked" | "stopped";
  /** The task whose step is running, when blocked in one. */
  runningTask: number | null;
  /** How long the running step has run so far (debug mode only), in seconds. */
  blockedSeconds: number | null;
  debug: boolean;
  ready: number;
  timers: number;
  tasks: TaskSnapshot[];
}

/** What the hook returns. */
export interface ProcessSnapshot {
  version: number;
  pid: number;
  loops: LoopSnapshot[];
  executors: ({ kind: string } & ExecutorStatistics)[];
}

/** The hook's interface, as the CLI calls it. */
export interface InspectHook {
  snapshot(options?: { closeAfterMs?: number }): ProcessSnapshot;
  /** The coroutine objects of the last snapshot's tasks, by task id (for their names). */
  coroutines(): Record<number, object>;
  release(): void;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
let lastCoroutines: Record<number, object> = {};
let closeTimer: ReturnType<typeof setTimeout> | null = null;

const loopIds = new WeakMap<object, number>();
let nextLoopId = 1;

function loopIdOf(loop: EventLoop): number {
  let id = loopIds.get(loop);
  if (id === undefined) loopIds.set(loop, (id = nextLoopId++));
  return id;
}

function idOf(object: object): number {
  let id = ids.get(object);
  if (id === undefined) ids.set(object, (id = nextId++));
  return id;
}

/** The nearest tasks awaiting `future`, looking through the futures in between. */
function awaitingTasks(future: Future<unknown>, seen: Set<Future<unknown>>): Task<unknown>[] {
  const tasks: Task<unknown>[] = [];
  for (const awaiter of awaitersOf(future)) {
    if (seen.has(awaiter)) continue;
    seen.add(awaiter);
    if (awaiter instanceof Task) tasks.push(awaiter);
    else tasks.push(...awaitingTasks(awaiter, seen));
  }
  return tasks;
}

function describeWait(future: Future<unknown>): string {
  if (future instanceof Task) return `Task '${future.getName()}' (id ${idOf(future)})`;
  return future.constructor.name;
}

function snapshotLoop(loop: EventLoop, coroutines: Record<number, object>): LoopSnapshot {
  const tasks: TaskSnapshot[] = [];
  const current = currentTaskOrNull(loop);
  for (const task of allTasks(loop)) {
    const id = idOf(task);
    coroutines[id] = task.getCoro();
    const waiter = waitingOn(task);
    tasks.push({
      id,
      name: task.getName(),
      state: task === current ? "running" : waiter !== null ? "waiting" : "ready",
      waitsOn: waiter === null ? null : describeWait(waiter),
      awaitedBy: awaitingTasks(task, new Set([task])).map(idOf),
      createdAt: creationSiteOf(task),
      cancelling: task.cancelling(),
    });
  }
  const blocked = loop.isRunning() && inIteration(loop);
  return {
    id: loopIdOf(loop),
    clock: loop.clock,
    state: !loop.isRunning() ? "stopped" : blocked ? "blocked" : "idle",
    runningTask: current === null ? null : idOf(current),
    blockedSeconds: blocked ? stepSeconds(loop) : null,
    debug: loop.getDebug(),
    ready: readyCount(loop),
    timers: timerCount(loop),
    tasks,
  };
}

async function closeInspector(): Promise<void> {
  closeTimer = null;
  const inspector = await import("node:inspector");
  if (inspector.url() !== undefined) inspector.close();
}

const hook: InspectHook = {
  snapshot(options = {}) {
    const coroutines: Record<number, object> = {};
    const loops: LoopSnapshot[] = [];
    for (const loop of liveLoops()) loops.push(snapshotLoop(loop, coroutines));
    const executors = [];
    for (const ref of livePools) {
      const pool = ref.deref();
      if (pool !== undefined) executors.push({ kind: pool.constructor.name, ...pool.statistics() });
    }
    lastCoroutines = coroutines;
    const closeAfterMs = options.closeAfterMs ?? 0;
    if (closeAfterMs > 0) {
      if (closeTimer !== null) clearTimeout(closeTimer);
      closeTimer = setTimeout(closeInspector, closeAfterMs);
      closeTimer.unref();
    }
    return { version: SNAPSHOT_VERSION, pid: process.pid, loops, executors };
  },
  coroutines() {
    return lastCoroutines;
  },
  release() {
    lastCoroutines = {};
    if (closeTimer !== null) clearTimeout(closeTimer);
    closeTimer = null;
  },
};

// A second copy of the library in one process keeps the first hook: one answer per process.
const holder = globalThis as { [INSPECT_HOOK]?: InspectHook };
holder[INSPECT_HOOK] ??= hook;
