/**
 * The scheduler at the bottom of the event loop (asyncio's base_events.py without futures and
 * tasks): the ready queue, the timer heap, the clock, the exception handler, debug mode, and
 * how iterations are driven on top of Node's own event loop. `EventLoop` (loop.ts) adds
 * futures, tasks and `runUntilComplete` on top of it.
 *
 * One iteration (`_runOnce`) is asyncio's `_run_once`: move the timers that are due onto the
 * ready queue, then run exactly the runnables that were ready when the iteration began; what
 * they schedule waits for the next iteration. Iterations run back to back inside one Node
 * macrotask until nothing is ready or `ioPollInterval` has passed, then the loop yields to
 * Node (setImmediate, or setTimeout until the next timer) so socket, file and process events
 * and Promise reactions get in. docs/event-loop.md describes the tick order in full.
 */

import { currentContextData } from "./contextvars.ts";
import { Deque } from "./deque.ts";
import { DeadlockError, RuntimeError, ValueError } from "./exceptions.ts";
import { formatValue } from "./format.ts";
import type { Future } from "./futures.ts";
import { type Callback, Handle, TimerHandle } from "./handles.ts";
import { logger } from "./log.ts";
import type { EventLoop } from "./loop.ts";
import type { Runnable } from "./readyqueue.ts";
import type { Task } from "./tasks.ts";
import { type Timer, TimerHeap } from "./timerheap.ts";
import type { Tracer } from "./trace.ts";
import { checkBoolean, checkOptions } from "./validate.ts";
import { LET_NODE_RUN, VirtualClock, WAIT_FOR_FOREIGN_WORK } from "./virtualclock.ts";

/** What the exception handler receives: asyncio's context dict. */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  /**
   * The future concerned; its printed form when it was reported after being garbage collected
   * (an exception never retrieved).
   */
  future?: Future<unknown> | string;
  /** The task concerned; its printed form when it was reported after being garbage collected. */
  task?: Task<unknown> | string;
  handle?: unknown;
  sourceTraceback?: string;
  [key: string]: unknown;
}

/** A loop's exception handler (`loop.setExceptionHandler`). */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

/**
 * `"real"`: `time()` is the monotonic clock. `"virtual"`: time stands still while anything is
 * ready and jumps to the next timer when everything waits, so waits take no real time.
 */
export type ClockKind = "real" | "virtual";

export interface EventLoopOptions {
  /** `"virtual"` makes every wait instant (see {@link ClockKind}); default `"real"`. */
  clock?: ClockKind;
  /** Debug mode from the start (same as `setDebug(true)`). */
  debug?: boolean;
}

/** Node's setTimeout takes at most a 32-bit millisecond count; longer waits re-arm. */
const MAX_NODE_DELAY_MS = 2 ** 31 - 1;

/** How many runnables run between two looks at the clock for the I/O-poll budget. */
const BUDGET_CHECK_EVERY = 64;

const LOOP_OPTIONS = ["clock", "debug"] as const;

let runningLoop: BaseEventLoop | null = null;

/**
 * @internal Every loop made and not closed, for `asyncio-ts ps` (which lists them all). Weak,
 * so a loop dropped without close() is not kept alive; cleared entries go when the set grows.
 */
export const liveLoops = new Set<WeakRef<BaseEventLoop>>();
let liveLoopsPruneAt = 64;

function addLiveLoop(loop: BaseEventLoop): WeakRef<BaseEventLoop> {
  if (liveLoops.size >= liveLoopsPruneAt) {
    for (const ref of liveLoops) if (ref.deref() === undefined) liveLoops.delete(ref);
    liveLoopsPruneAt = Math.max(64, liveLoops.size * 2);
  }
  const ref = new WeakRef(loop);
  liveLoops.add(ref);
  return ref;
}

/**
 * The loop that is running, or a RuntimeError when none is.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const loop = asyncio.getRunningLoop();
 *   loop.callLater(1, () => console.log("a second later"));
 * }
 * ```
 */
export function getRunningLoop(): EventLoop {
  if (runningLoop === null) {
    throw new RuntimeError(
      "no running event loop: call this from a coroutine or callback that runs under asyncio.run(), or use loop methods directly",
    );
  }
  return runningLoop as EventLoop;
}

/** The running loop or null, without an error (public through `lowlevel`). */
export function runningLoopOrNull(): EventLoop | null {
  return runningLoop as EventLoop | null;
}

export class BaseEventLoop {
  /** @internal */ readonly _ready = new Deque<Runnable>();
  /** @internal */ readonly _timers = new TimerHeap();
  /** @internal */ _timerSeq = 0;
  /** @internal */ _debug = false;
  /** @internal Foreign operations (promises) the loop waits on; virtual time waits for them. */
  _externalWaits = 0;
  /** @internal The trace timeline this loop records, or null (trace.ts; the hooks check it). */
  _trace: Tracer | null = null;
  /** @internal Debug mode: when (performance.now() ms) the runnable running now started. */
  _runStarted = 0;

  /** Callbacks and task steps slower than this (seconds) are logged in debug mode. */
  slowCallbackDuration = 0.1;
  /**
   * The longest stretch (seconds) the loop runs iterations without letting Node poll for I/O.
   * Longer batches switch tasks faster; shorter ones get socket and timer events in sooner.
   */
  ioPollInterval = 0.00025;
  /**
   * Virtual clock only: how long (real seconds) time stands still while the loop waits on a
   * foreign operation (a promise, a worker, I/O) before it jumps to the next timer anyway.
   */
  autojumpThreshold = 0.02;

  /** The virtual clock, or null on the real one. */
  readonly #virtualClock: VirtualClock | null;
  #running = false;
  #stopping = false;
  #closed = false;
  readonly #liveRef: WeakRef<BaseEventLoop>;
  #inTick = false;
  /** Depth of handlers in progress (`_ioBegin`): wakeups wait for the outermost to end. */
  #ioDepth = 0;
  #wakeDeferred = false;
  /** The Node timer that runs the next tick: for the earliest timer, or the autojump. */
  #nodeTimer: ReturnType<typeof setTimeout> | null = null;
  /** The loop time #nodeTimer was armed for, or -1 for the autojump. */
  #nodeTimerDue = -1;
  #immediate: ReturnType<typeof setImmediate> | null = null;
  #runSettle: { resolve: () => void; reject: (error: unknown) => void } | null = null;
  #exceptionHandler: ExceptionHandler | null = null;

  constructor(options: EventLoopOptions = {}) {
    checkOptions(options, "EventLoop()", LOOP_OPTIONS);
    if (options.debug !== undefined) checkBoolean(options.debug, "EventLoop()", "debug");
    const clock = options.clock ?? "real";
    if (clock !== "real" && clock !== "virtual") {
      throw new ValueError(`clock must be "real" or "virtual", got ${formatValue(clock)}`);
    }
    this.#virtualClock = clock === "virtual" ? new VirtualClock() : null;
    if (options.debug) this._debug = true;
    this.#liveRef = addLiveLoop(this);
  }

  /** @internal True while the loop runs an iteration (between Node's turns). */
  get _inTick(): boolean {
    return this.#inTick;
  }

  /** The loop's clock in seconds: monotonic, or virtual (see {@link ClockKind}). */
  time(): number {
    const virtualClock = this.#virtualClock;
    return virtualClock === null ? performance.now() / 1000 : virtualClock.now;
  }

  /** Which clock this loop runs on. */
  get clock(): ClockKind {
    return this.#virtualClock === null ? "real" : "virtual";
  }

  /**
   * Schedules `callback(...args)` to run on the next iteration, after the callbacks scheduled
   * before it (FIFO), in the current context.
   *
   * @example
   * ```ts
   * loop.callSoon((name: string) => console.log(`hello ${name}`), "world");
   * ```
   */
  callSoon<A extends unknown[]>(callback: Callback<A>, ...args: A): Handle {
    this.#checkCallback(callback, "callSoon");
    const handle = new Handle(callback as Callback, args, this, currentContextData());
    this._ready.push(handle);
    if (!this.#inTick) this.#wakeup();
    return handle;
  }

  /**
   * Schedules `callback(...args)` to run `delay` seconds from now.
   *
   * @example
   * ```ts
   * const timer = loop.callLater(0.5, () => console.log("half a second later"));
   * ```
   */
  callLater<A extends unknown[]>(delay: number, callback: Callback<A>, ...args: A): TimerHandle {
    if (typeof delay !== "number" || Number.isNaN(delay)) {
      throw new TypeError(
        `callLater() delay must be a number of seconds, got ${formatValue(delay)}`,
      );
    }
    return this.callAt(this.time() + delay, callback, ...args);
  }

  /**
   * Schedules `callback(...args)` to run at loop time `when` (see {@link time}). Timers with
   * equal deadlines run in the order they were scheduled.
   *
   * @example
   * ```ts
   * loop.callAt(loop.time() + 2, () => console.log("two seconds later"));
   * ```
   */
  callAt<A extends unknown[]>(when: number, callback: Callback<A>, ...args: A): TimerHandle {
    if (typeof when !== "number" || Number.isNaN(when)) {
      throw new TypeError(`callAt() when must be a loop time in seconds, got ${formatValue(when)}`);
    }
    this.#checkCallback(callback, "callAt");
    const timer = new TimerHandle(
      when,
      this._timerSeq++,
      callback as Callback,
      args,
      this,
      currentContextData(),
    );
    this._timers.push(timer);
    if (!this.#inTick) this.#wakeup();
    return timer;
  }

  /**
   * Runs the loop until `stop()` is called. The Promise settles when the loop stops; it
   * rejects with a DeadlockError when every task waits and nothing can ever wake one.
   */
  runForever(): Promise<void> {
    try {
      this.#checkRunnable();
    } catch (error) {
      return Promise.reject(error);
    }
    runningLoop = this;
    this.#running = true;
    process.on("beforeExit", this.#onBeforeExit);
    return new Promise<void>((resolve, reject) => {
      this.#runSettle = { resolve, reject };
      this.#wakeup();
    });
  }

  /**
   * Stops the loop after the iteration that is running (or the next one, when called between
   * iterations), as asyncio's `loop.stop()`.
   */
  stop(): void {
    this.#stopping = true;
    if (this.#running && !this.#inTick) this.#wakeup();
  }

  isRunning(): boolean {
    return this.#running;
  }

  isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Closes the loop: pending callbacks and timers are dropped. A running loop cannot be
   * closed; closing twice does nothing.
   */
  close(): void {
    if (this.#running) throw new RuntimeError("Cannot close a running event loop: stop() it first");
    if (this.#closed) return;
    this.#closed = true;
    liveLoops.delete(this.#liveRef);
    this._ready.clear();
    this._timers.clear();
    this.#clearNodeTimer();
  }

  getDebug(): boolean {
    return this._debug;
  }

  /**
   * Debug mode: logs callbacks and task steps slower than `slowCallbackDuration`, records where
   * tasks, futures and handles were created, and warns when a cancelled task swallowed its
   * CancelledError.
   */
  setDebug(enabled: boolean): void {
    this._debug = Boolean(enabled);
  }

  /**
   * Sets the handler that receives errors no one else can (a callback that threw, a task
   * exception never retrieved); null restores the default, which logs them.
   *
   * @example
   * ```ts
   * loop.setExceptionHandler((loop, context) => {
   *   console.error("loop error:", context.message, context.exception);
   * });
   * ```
   */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== "function") {
      throw new TypeError(
        `setExceptionHandler() expects a function (loop, context) => void or null, got ${formatValue(handler)}`,
      );
    }
    this.#exceptionHandler = handler;
  }

  getExceptionHandler(): ExceptionHandler | null {
    return this.#exceptionHandler;
  }

  /** Logs `context` the way the default exception handler does. */
  defaultExceptionHandler(context: ExceptionContext): void {
    const lines = [context.message || "Unhandled exception in event loop"];
    for (const key of Object.keys(context).sort()) {
      if (key === "message" || key === "exception") continue;
      const value = context[key];
      lines.push(
        key === "sourceTraceback"
          ? `Object created at (most recent call last):\n${value}`
          : `${key}: ${typeof value === "string" ? value : formatValue(value, 200)}`,
      );
    }
    logger.error(lines.join("\n"), context.exception);
  }

  /** Passes `context` to the exception handler (or the default one). */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this.#exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (error) {
        logger.error("Exception in default exception handler", error);
      }
      return;
    }
    try {
      handler(this as unknown as EventLoop, context);
    } catch (error) {
      try {
        this.defaultExceptionHandler({
          message: "Unhandled error in exception handler",
          exception: error,
          context,
        });
      } catch (inner) {
        logger.error(
          "Exception in default exception handler while handling an unexpected error in a custom exception handler",
          inner,
        );
      }
    }
  }

  /** @internal Throws if the loop is closed (scheduling on a closed loop is a bug). */
  _checkClosed(): void {
    if (this.#closed) {
      throw new RuntimeError(
        "Event loop is closed: create a new loop (or use asyncio.run()) to schedule work",
      );
    }
  }

  /** @internal Puts a runnable (a woken Task, a fired timer) on the ready queue. */
  _readyPush(item: Runnable): void {
    this._ready.push(item);
    if (!this.#inTick) this.#wakeup();
  }

  /**
   * @internal A Node event handler whose result should be acted on at once (a worker's result)
   * begins. Until the matching `_ioEnd`, work it makes ready does not schedule a `setImmediate`.
   */
  _ioBegin(): void {
    this.#ioDepth++;
  }

  /**
   * @internal The handler ends. A tick runs at once when the loop runs, is between ticks and
   * has work ready, so the woken task runs without waiting a `setImmediate` hop; otherwise (or
   * when the tick cannot run) the deferred wakeup is made. The order of what runs is the same
   * either way; only the wait before it is shorter.
   */
  _ioEnd(): void {
    if (--this.#ioDepth > 0) return;
    const deferred = this.#wakeDeferred;
    this.#wakeDeferred = false;
    if (this.#running && !this.#inTick && this._ready.length > 0) {
      this.#cancelImmediate();
      this.#clearAutojump();
      this.#tick();
    } else if (deferred) {
      this.#wakeup();
    }
  }

  /** @internal Adds a timer (a `sleep` future) to the heap. */
  _pushTimer(timer: Timer): void {
    this._timers.push(timer);
    if (!this.#inTick) this.#wakeup();
  }

  /** @internal Something outside the loop (a Promise) will call back: keep virtual time still. */
  _externalBegin(): void {
    this._externalWaits++;
  }

  /** @internal The foreign operation settled. */
  _externalEnd(): void {
    this._externalWaits--;
  }

  /** @internal What the deadlock report says; EventLoop lists its waiting tasks. */
  _describeDeadlock(): string {
    return "the loop is waiting and nothing can wake it: no callback is ready, no timer is scheduled, and Node's event loop has nothing left (no socket, timer or pending promise it knows of)";
  }

  /**
   * One iteration: due timers join the ready queue, then the runnables that were ready when
   * the iteration began run. Returns how many ran.
   */
  #runOnce(): number {
    const timers = this._timers;
    const ready = this._ready;
    if (timers.length > 0) {
      if (timers.cancelledCount > 100 && timers.cancelledCount * 2 > timers.length) {
        timers.compact();
      } else {
        timers.dropCancelledHead();
      }
      if (timers.length > 0) {
        const now = this.time();
        while (timers.peekWhen() <= now) {
          const timer = timers.pop();
          if (!timer._cancelled) {
            timer._scheduled = false;
            ready.push(timer);
          }
        }
      }
    }
    const count = ready.length;
    if (this._trace !== null) {
      this._trace.runIteration(ready, count, this.slowCallbackDuration, this._debug);
    } else if (this._debug) {
      for (let i = 0; i < count; i++) this.#runTimed(ready.shift());
    } else {
      for (let i = 0; i < count; i++) ready.shift()._run();
    }
    return count;
  }

  #runTimed(item: Runnable): void {
    const started = performance.now();
    this._runStarted = started;
    item._run();
    const seconds = (performance.now() - started) / 1000;
    if (seconds >= this.slowCallbackDuration) {
      logger.warning(`Executing ${item} took ${seconds.toFixed(3)} seconds`);
    }
  }

  #onImmediate = (): void => {
    this.#immediate = null;
    this.#tick();
  };

  #onNodeTimer = (): void => {
    this.#nodeTimer = null;
    this.#cancelImmediate();
    this.#tick();
  };

  /** One Node macrotask: iterations back to back until idle, stopped, or over budget. */
  #tick(): void {
    if (!this.#running) return;
    this.#inTick = true;
    if (this._trace !== null) this._trace.wakeup();
    const budgetMs = this.ioPollInterval * 1000;
    // The budget is counted from the end of the first iteration (which runs whole anyway), so
    // a tick that runs once, the common case under I/O, never reads the clock.
    let started = -1;
    let sinceCheck = 0;
    try {
      for (;;) {
        const ran = this.#runOnce();
        sinceCheck += ran;
        if (this.#stopping) {
          this.#finishRun(null);
          return;
        }
        if (sinceCheck >= BUDGET_CHECK_EVERY) {
          sinceCheck = 0;
          const now = performance.now();
          if (started < 0) started = now;
          else if (now - started >= budgetMs) {
            this.#wakeAfterTick();
            return;
          }
        }
        if (this._ready.length > 0) {
          if (started < 0) started = performance.now();
          continue;
        }
        const timers = this._timers;
        timers.dropCancelledHead();
        const next = timers.peek();
        // A timer at infinity (sleep(Infinity)) never fires: the loop is as idle as with none.
        if (next === undefined || next._when === Infinity) {
          this.#clearNodeTimer();
          return;
        }
        const virtualClock = this.#virtualClock;
        if (virtualClock !== null) {
          const step = virtualClock.idle(ran, this._externalWaits, next._when);
          if (step === WAIT_FOR_FOREIGN_WORK) {
            this.#armAutojump();
            return;
          }
          if (step === LET_NODE_RUN) {
            // Before time jumps, let Node run what this iteration started: Promise reactions
            // (async code awaiting a task or a queue) and I/O. Jump on the next tick if still idle.
            this.#wakeAfterTick();
            return;
          }
          sinceCheck++;
          continue;
        }
        const delay = next._when - this.time();
        if (delay > 0) {
          this.#armTimer(next._when, delay);
          return;
        }
      }
    } catch (error) {
      this.#finishRun(error);
    } finally {
      this.#inTick = false;
    }
  }

  /** Called at the end of a tick that still has ready work: continue after Node polls I/O. */
  #wakeAfterTick(): void {
    if (this.#immediate === null) this.#immediate = setImmediate(this.#onImmediate);
  }

  /** Makes sure a tick will run soon (work arrived from outside an iteration). */
  #wakeup(): void {
    if (!this.#running || this.#immediate !== null) return;
    if (this.#ioDepth > 0) {
      this.#wakeDeferred = true;
      return;
    }
    this.#clearAutojump();
    this.#immediate = setImmediate(this.#onImmediate);
  }

  #cancelImmediate(): void {
    if (this.#immediate !== null) {
      clearImmediate(this.#immediate);
      this.#immediate = null;
    }
  }

  /**
   * Arms the Node timer for the earliest timer, due at loop time `when`, `delaySeconds` away.
   * One already armed for a timer due no later is kept: re-arming after every tick would cost
   * a Node timer (an allocation and a timer-list update) per batch of I/O while any timer is
   * pending. If the kept one fires early (its timer was cancelled), that tick finds nothing due
   * and arms the right one.
   */
  #armTimer(when: number, delaySeconds: number): void {
    if (this.#nodeTimer !== null && this.#nodeTimerDue >= 0 && this.#nodeTimerDue <= when) return;
    this.#clearNodeTimer();
    const ms = Math.ceil(delaySeconds * 1000);
    if (ms <= MAX_NODE_DELAY_MS) {
      this.#nodeTimerDue = when;
      this.#nodeTimer = setTimeout(this.#onNodeTimer, ms);
    } else {
      this.#nodeTimerDue = when - delaySeconds + MAX_NODE_DELAY_MS / 1000;
      this.#nodeTimer = setTimeout(this.#onNodeTimer, MAX_NODE_DELAY_MS);
    }
  }

  /** Virtual clock, foreign work pending: jump anyway if nothing arrives in time. */
  #armAutojump(): void {
    this.#clearNodeTimer();
    this.#nodeTimerDue = -1;
    this.#nodeTimer = setTimeout(this.#autojump, Math.ceil(this.autojumpThreshold * 1000));
  }

  #autojump = (): void => {
    this.#virtualClock?.foreignStalled();
    this.#onNodeTimer();
  };

  /** Work arrived, so foreign work has not stalled: the autojump waits for the next idle. */
  #clearAutojump(): void {
    if (this.#nodeTimerDue < 0) this.#clearNodeTimer();
  }

  #clearNodeTimer(): void {
    if (this.#nodeTimer !== null) {
      clearTimeout(this.#nodeTimer);
      this.#nodeTimer = null;
    }
  }

  #finishRun(error: unknown): void {
    const settle = this.#runSettle;
    this.#runSettle = null;
    this.#running = false;
    this.#stopping = false;
    this.#clearNodeTimer();
    process.off("beforeExit", this.#onBeforeExit);
    if (runningLoop === this) runningLoop = null;
    if (settle !== null) {
      if (error === null) settle.resolve();
      else settle.reject(error);
    }
  }

  /** Node has nothing left to do: unless a timer can still fire, the loop is deadlocked. */
  #onBeforeExit = (): void => {
    if (!this.#running || this.#immediate !== null || this.#nodeTimer !== null) return;
    if (this._ready.length > 0) {
      this.#wakeup();
      return;
    }
    this._timers.dropCancelledHead();
    const next = this._timers.peek();
    if (next !== undefined && next._when !== Infinity) {
      // Only a virtual loop waiting on foreign promises gets here: they can never settle now.
      this.#virtualClock?.foreignStalled();
      this.#wakeup();
      return;
    }
    this.#finishRun(new DeadlockError(this._describeDeadlock()));
  };

  #checkCallback(callback: unknown, method: string): void {
    if (typeof callback !== "function") {
      throw new TypeError(
        `${method}() expects a function as its callback, got ${formatValue(callback)}; to run a coroutine use loop.createTask(coro)`,
      );
    }
    this._checkClosed();
  }

  #checkRunnable(): void {
    this._checkClosed();
    if (this.#running) throw new RuntimeError("This event loop is already running");
    if (runningLoop !== null) {
      throw new RuntimeError(
        "Cannot run the event loop while another loop is running: one loop runs at a time; await the running one or schedule onto it",
      );
    }
  }
}
