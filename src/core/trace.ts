/**
 * The trace timeline: a loop with a Tracer records what it runs as Chrome Trace Event JSON,
 * which Perfetto UI and chrome://tracing open. The loop and tasks call a few hooks, each behind
 * one `loop._trace !== null` check, so a loop without a tracer pays nothing more.
 *
 * Tracks (one per thread id): the event loop's (its iterations, the callbacks it runs, slow
 * callbacks, wake-ups from Node), one per task (a slice per step, a span for each wait
 * between steps), and one per executor worker (a slice per item). Flow arrows go from the
 * slice that created a task to its first step, from a submitter to its executor item, and
 * from the slice that completed a future (or the item that produced it) to the step of the
 * task it woke. Slices are `B`/`E`
 * pairs, flows are `s`/`f` pairs bound to their enclosing slice; timestamps are microseconds.
 *
 * Events stream to the file as they come (memory stays flat), or, with `lastEvents`, only the
 * last N are kept in a ring and written when the loop closes.
 */

import { closeSync, openSync, writeSync } from "node:fs";
import type { Deque } from "./deque.ts";
import { formatValue } from "./format.ts";
import type { Future } from "./futures.ts";
import { logger } from "./log.ts";
import type { Runnable } from "./readyqueue.ts";

/**
 * Options of a trace timeline (`run()`'s `trace` option; a plain string is just the path).
 *
 * @example
 * ```ts
 * await asyncio.run(main(), { trace: { path: "trace.json", lastEvents: 100_000 } });
 * ```
 */
export interface TraceOptions {
  /** The file to write (replaced if it exists). */
  path: string;
  /** Keep only the last this many events, written when the loop closes (default: stream all). */
  lastEvents?: number;
}

/** One Chrome Trace Event. */
interface TraceEvent {
  name?: string;
  cat?: string;
  ph: string;
  ts?: number;
  pid: number;
  tid: number;
  id?: number;
  bp?: string;
  s?: string;
  args?: Record<string, unknown>;
}

/** What the tracer reads of a task (it cannot import tasks.ts, which sits above it). */
interface TracedTask extends Runnable {
  getName(): string;
  _futWaiter: object | null;
  done(): boolean;
}

const LOOP_TID = 1;
const FLUSH_AT = 64 * 1024;

/** Paths already used in this process: a second trace to one path gets a numbered name. */
const usedPaths = new Map<string, number>();

function isTask(item: unknown): item is TracedTask {
  return (
    typeof (item as { _isTask?: unknown })._isTask === "function" &&
    (item as { _isTask(): boolean })._isTask()
  );
}

function now(): number {
  return Math.round(performance.now() * 1000);
}

/**
 * Records one loop's timeline. Made by `run()` / `Runner` for the `trace` option or
 * `ASYNCIO_TS_TRACE`; the loop calls its hooks and closes it when the loop closes.
 */
export class Tracer {
  readonly path: string;
  readonly #pid = process.pid;
  readonly #ring: TraceEvent[] | null;
  readonly #ringSize: number;
  #ringNext = 0;
  #fd: number;
  #pending = "";
  #first = true;
  #closed = false;
  readonly #tids = new WeakMap<object, number>();
  #nextTid = LOOP_TID + 1;
  #nextFlow = 1;
  /** Flows to bind to a runnable's (or executor item's) next slice: the arrows pointing at it. */
  readonly #incoming = new Map<object, number[]>();
  /** The loop's slices open now (the iteration, the step or callback in it), innermost last. */
  readonly #open: { tid: number; name: string }[] = [];
  /** A program that calls process.exit() still gets a whole file. */
  readonly #onExit = (): void => this.close(this.pendingTasks());
  /** The loop's pending tasks, whose waits end when the trace ends at process exit. */
  pendingTasks: () => Iterable<TracedTask> = () => [];
  /** Executor workers running an item now: their slice is open. */
  readonly #busyWorkers = new Set<object>();
  /** The track of the slice running now (a task's, or the loop's for a callback). */
  #currentTid = 0;
  /** Tasks waiting between two steps: their wait span is open. */
  readonly #waiting = new WeakSet<TracedTask>();

  constructor(options: TraceOptions) {
    checkTraceOption(options, "trace");
    const { path, lastEvents } = options;
    const uses = (usedPaths.get(path) ?? 0) + 1;
    usedPaths.set(path, uses);
    this.path = uses === 1 ? path : `${path}.${uses}`;
    this.#fd = openSync(this.path, "w");
    process.on("exit", this.#onExit);
    this.#ringSize = lastEvents ?? 0;
    this.#ring = lastEvents === undefined ? null : [];
    this.#emit({
      name: "process_name",
      ph: "M",
      pid: this.#pid,
      tid: LOOP_TID,
      args: { name: `node ${this.#pid}` },
    });
    this.#emit({
      name: "thread_name",
      ph: "M",
      pid: this.#pid,
      tid: LOOP_TID,
      args: { name: "event loop" },
    });
  }

  /** A task was created, by the slice running now (if any): name its track, draw the arrow. */
  taskCreated(task: TracedTask): void {
    const tid = this.#nextTid++;
    this.#tids.set(task, tid);
    this.#emit({
      name: "thread_name",
      ph: "M",
      pid: this.#pid,
      tid,
      args: { name: task.getName() },
    });
    this.#flowTo(task, "created");
  }

  /** A future completed and puts `waiter` on the ready queue: an arrow to its next slice. */
  woke(waiter: Runnable): void {
    this.#flowTo(waiter, "wakes");
  }

  /** An executor item was submitted: an arrow from the slice running now to its run. */
  submitted(item: object): void {
    this.#flowTo(item, "submits");
  }

  /**
   * An executor `worker` (its track named `track`) starts `item`: a slice named `work` on the
   * worker's track, where the arrow from its submitter ends.
   */
  workBegin(worker: object, track: string, work: string, item: object): void {
    let tid = this.#tids.get(worker);
    if (tid === undefined) {
      tid = this.#nextTid++;
      this.#tids.set(worker, tid);
      this.#emit({ name: "thread_name", ph: "M", pid: this.#pid, tid, args: { name: track } });
    }
    const ts = now();
    this.#busyWorkers.add(worker);
    this.#emit({ name: "work", cat: "executor", ph: "B", ts, pid: this.#pid, tid, args: { work } });
    this.#bindIncoming(item, ts, tid);
  }

  /**
   * The worker is done with `item` (a result, a failure, its death): arrows to the item's
   * waiters, which its result is about to wake, then the slice ends.
   */
  workEnd(worker: object, item: Future<unknown>): void {
    const tid = this.#tids.get(worker);
    if (tid === undefined || !this.#busyWorkers.delete(worker)) return;
    const outer = this.#currentTid;
    this.#currentTid = tid;
    const waiter = item._waiter;
    if (Array.isArray(waiter)) for (const one of waiter) this.#flowTo(one, "wakes");
    else if (waiter !== null) this.#flowTo(waiter, "wakes");
    this.#currentTid = outer;
    this.#emit({ name: "work", ph: "E", ts: now(), pid: this.#pid, tid });
  }

  /** Node gave the loop a turn (an I/O event, a timer, or more ready work). */
  wakeup(): void {
    this.#emit({
      name: "wake-up",
      cat: "loop",
      ph: "i",
      s: "t",
      ts: now(),
      pid: this.#pid,
      tid: LOOP_TID,
    });
  }

  /**
   * Runs one iteration: the first `count` runnables of `ready`, each as a slice. Those slower
   * than `slowSeconds` are marked, and logged too when `logSlow` (debug mode) is on.
   */
  runIteration(ready: Deque<Runnable>, count: number, slowSeconds: number, logSlow: boolean): void {
    this.#emit({
      name: "iteration",
      cat: "loop",
      ph: "B",
      ts: now(),
      pid: this.#pid,
      tid: LOOP_TID,
      args: { ready: count },
    });
    this.#open.push({ tid: LOOP_TID, name: "iteration" });
    try {
      for (let i = 0; i < count; i++) this.#run(ready.shift(), slowSeconds, logSlow);
    } finally {
      this.#open.pop();
      this.#emit({ name: "iteration", ph: "E", ts: now(), pid: this.#pid, tid: LOOP_TID });
    }
  }

  /**
   * Writes what is left (or the ring) and closes the file. The waits of `pendingTasks` end
   * now; an arrow to something that never ran ends in a "never ran" slice on its track.
   */
  close(pendingTasks: Iterable<TracedTask>): void {
    if (this.#closed) return;
    process.off("exit", this.#onExit);
    const ts = now();
    for (let i = this.#open.length - 1; i >= 0; i--) {
      const { tid, name } = this.#open[i]!;
      this.#emit({ name, ph: "E", ts, pid: this.#pid, tid });
    }
    this.#open.length = 0;
    for (const task of pendingTasks) {
      if (this.#waiting.delete(task)) {
        this.#emit({ name: "wait", ph: "E", ts, pid: this.#pid, tid: this.#tids.get(task)! });
      }
    }
    for (const worker of this.#busyWorkers) {
      this.#emit({ name: "work", ph: "E", ts, pid: this.#pid, tid: this.#tids.get(worker)! });
    }
    this.#busyWorkers.clear();
    for (const [target, flows] of this.#incoming) {
      const tid = (isTask(target) ? this.#tids.get(target) : undefined) ?? LOOP_TID;
      this.#emit({ name: "never ran", cat: "loop", ph: "B", ts, pid: this.#pid, tid });
      for (const id of flows) {
        this.#emit({ name: "flow", cat: "flow", ph: "f", bp: "e", id, ts, pid: this.#pid, tid });
      }
      this.#emit({ name: "never ran", ph: "E", ts, pid: this.#pid, tid });
    }
    this.#incoming.clear();
    this.#closed = true;
    if (this.#ring !== null) {
      const ordered = this.#ring.slice(this.#ringNext).concat(this.#ring.slice(0, this.#ringNext));
      for (const event of repairRing(ordered)) this.#write(event);
    }
    this.#pending += "\n]\n";
    writeSync(this.#fd, this.#pending);
    this.#pending = "";
    closeSync(this.#fd);
  }

  #run(item: Runnable, slowSeconds: number, logSlow: boolean): void {
    const task = isTask(item) ? item : null;
    const tid = task === null ? LOOP_TID : (this.#tids.get(task) ?? LOOP_TID);
    const begin = now();
    if (task !== null && this.#waiting.delete(task)) {
      this.#emit({ name: "wait", ph: "E", ts: begin, pid: this.#pid, tid });
    }
    const name = task === null ? describeRunnable(item) : "step";
    this.#emit({
      name,
      cat: task === null ? "callback" : "task",
      ph: "B",
      ts: begin,
      pid: this.#pid,
      tid,
    });
    this.#bindIncoming(item, begin, tid);
    const outer = this.#currentTid;
    this.#currentTid = tid;
    this.#open.push({ tid, name });
    try {
      item._run();
    } finally {
      this.#open.pop();
      this.#currentTid = outer;
      const end = now();
      this.#emit({ ph: "E", ts: end, pid: this.#pid, tid, name });
      const seconds = (end - begin) / 1e6;
      if (seconds >= slowSeconds) {
        if (logSlow) logger.warning(`Executing ${item} took ${seconds.toFixed(3)} seconds`);
        this.#emit({
          name: "slow callback",
          cat: "loop",
          ph: "i",
          s: "t",
          ts: end,
          pid: this.#pid,
          tid: LOOP_TID,
          args: { what: task === null ? name : `step of ${task.getName()}`, seconds },
        });
      }
      if (task !== null && !task.done() && task._futWaiter !== null) {
        this.#waiting.add(task);
        this.#emit({
          name: "wait",
          cat: "wait",
          ph: "B",
          ts: end,
          pid: this.#pid,
          tid,
          args: { on: describeAwaited(task._futWaiter) },
        });
      }
    }
  }

  /** Ends the arrows pointing at `target` in the slice that just began at `ts` on `tid`. */
  #bindIncoming(target: object, ts: number, tid: number): void {
    const flows = this.#incoming.get(target);
    if (flows === undefined) return;
    this.#incoming.delete(target);
    for (const id of flows) {
      this.#emit({ name: "flow", cat: "flow", ph: "f", bp: "e", id, ts, pid: this.#pid, tid });
    }
  }

  /** An arrow from the slice running now to `target`'s next slice. */
  #flowTo(target: object, name: string): void {
    if (this.#currentTid === 0) return;
    const id = this.#nextFlow++;
    this.#emit({
      name,
      cat: "flow",
      ph: "s",
      id,
      ts: now(),
      pid: this.#pid,
      tid: this.#currentTid,
    });
    const flows = this.#incoming.get(target);
    if (flows === undefined) this.#incoming.set(target, [id]);
    else flows.push(id);
  }

  #emit(event: TraceEvent): void {
    if (this.#closed) return;
    if (this.#ring !== null) {
      if (this.#ring.length < this.#ringSize) this.#ring.push(event);
      else {
        this.#ring[this.#ringNext] = event;
        this.#ringNext = (this.#ringNext + 1) % this.#ringSize;
      }
      return;
    }
    this.#write(event);
  }

  #write(event: TraceEvent): void {
    this.#pending += (this.#first ? "[\n" : ",\n") + JSON.stringify(event);
    this.#first = false;
    if (this.#pending.length >= FLUSH_AT) {
      writeSync(this.#fd, this.#pending);
      this.#pending = "";
    }
  }
}

/**
 * The ring lost its oldest events: drop ends whose begins were lost, flow ends whose starts
 * were lost, and flow starts whose ends never came, so what is written still pairs up.
 * Track names (metadata) are kept whatever their age.
 */
function repairRing(events: TraceEvent[]): TraceEvent[] {
  const depth = new Map<number, number>();
  const started = new Set<number>();
  const finished = new Set<number>();
  for (const event of events) {
    if (event.ph === "s") started.add(event.id!);
    else if (event.ph === "f" && started.has(event.id!)) finished.add(event.id!);
  }
  const kept: TraceEvent[] = [];
  for (const event of events) {
    if (event.ph === "B") depth.set(event.tid, (depth.get(event.tid) ?? 0) + 1);
    else if (event.ph === "E") {
      const open = depth.get(event.tid) ?? 0;
      if (open === 0) continue;
      depth.set(event.tid, open - 1);
    } else if ((event.ph === "s" || event.ph === "f") && !finished.has(event.id!)) continue;
    kept.push(event);
  }
  return kept;
}

function describeRunnable(item: Runnable): string {
  const callback = (item as { _callback?: unknown })._callback;
  if (typeof callback === "function") return callback.name || "callback";
  return item.constructor.name;
}

function describeAwaited(future: object): string {
  if (isTask(future)) return `Task '${future.getName()}'`;
  return future.constructor.name;
}

/**
 * @internal Checks a `trace` option (a path, or `{ path, lastEvents? }`) without opening
 * anything, so a refused call changes nothing.
 */
export function checkTraceOption(option: unknown, where: string): void {
  if (typeof option === "string") option = { path: option };
  if (option === null || typeof option !== "object" || Array.isArray(option)) {
    throw new TypeError(
      `${where}: trace expects a file path or { path, lastEvents? }, got ${formatValue(option)}`,
    );
  }
  const { path, lastEvents } = option as TraceOptions;
  if (typeof path !== "string" || path === "") {
    throw new TypeError(
      `${where}: trace expects a file path (a non-empty string), got ${formatValue(path)}`,
    );
  }
  if (lastEvents !== undefined && !(Number.isInteger(lastEvents) && lastEvents > 0)) {
    throw new TypeError(
      `${where}: trace.lastEvents must be a positive whole number of events, got ${formatValue(lastEvents)}`,
    );
  }
}

/** @internal Makes the tracer for `run()`'s option, or for `ASYNCIO_TS_TRACE` when unset. */
export function tracerFor(option: string | TraceOptions | undefined): Tracer | null {
  if (option === undefined) {
    const fromEnv = process.env.ASYNCIO_TS_TRACE;
    if (fromEnv === undefined || fromEnv === "") return null;
    const ring = process.env.ASYNCIO_TS_TRACE_LAST;
    return new Tracer({ path: fromEnv, ...(ring ? { lastEvents: Number(ring) } : {}) });
  }
  return new Tracer(typeof option === "string" ? { path: option } : option);
}
