/**
 * Queues between producer and consumer tasks (asyncio/queues.py, 3.13): Queue (FIFO),
 * PriorityQueue (smallest first) and LifoQueue (last in, first out), with `taskDone()` /
 * `join()` accounting and `shutdown()`.
 *
 * No item is ever lost to cancellation: a getter cancelled just as an item was handed to it
 * leaves the item in the queue and wakes the next getter; a cancelled putter has put nothing.
 * Items live in a ring buffer (core/deque.ts) and waiters are bare Futures, so `putNowait` and
 * `getNowait` allocate nothing, and `yield* queue.get()` allocates nothing when an item is
 * there (see primitive.ts).
 *
 * Plain async code can consume a queue with `for await`, and plain callbacks can feed it with
 * `putNowait`: the queue needs its loop to be running, not the caller to be a coroutine.
 */

import type { Awaitable, Coro, Yielded } from "../core/coroutines.ts";

import { ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";
import { Future } from "../core/futures.ts";
import { Deque, DONE_VOID, HandStepped, HandSteppedCall } from "../core/lowlevel.ts";
import { checkOptions } from "../core/validate.ts";
import { Event } from "./event.ts";
import { type Comparator, Heap, pythonCompare } from "./heap.ts";
import { countPending, LoopBound } from "./primitive.ts";

/**
 * Thrown by `getNowait()` when the queue is empty.
 *
 * @example
 * ```ts
 * try { queue.getNowait(); } catch (e) { if (e instanceof asyncio.QueueEmpty) console.log("nothing yet"); }
 * ```
 */
export class QueueEmpty extends Error {
  override name = "QueueEmpty";
}

/**
 * Thrown by `putNowait()` when the queue holds `maxsize` items.
 *
 * @example
 * ```ts
 * try { queue.putNowait(item); } catch (e) { if (e instanceof asyncio.QueueFull) dropped++; else throw e; }
 * ```
 */
export class QueueFull extends Error {
  override name = "QueueFull";
}

/**
 * Thrown by puts on a queue that was shut down, and by gets once it is also empty (or at once
 * after `shutdown(true)`).
 *
 * @example
 * ```ts
 * for (;;) {
 *   let job: Job;
 *   try { job = yield* queue.get(); } catch (e) { if (e instanceof asyncio.QueueShutDown) break; throw e; }
 *   yield* handle(job);
 * }
 * ```
 */
export class QueueShutDown extends Error {
  override name = "QueueShutDown";
}

/** What `Queue.statistics()` reports. */
export interface QueueStatistics {
  /** Items in the queue. */
  qsize: number;
  /** The bound given to the constructor (0: unbounded). */
  maxsize: number;
  /** Tasks waiting in `get()`. */
  getters: number;
  /** Tasks waiting in `put()`. */
  putters: number;
  /** Items put and not yet marked done with `taskDone()` (what `join()` waits for). */
  unfinishedTasks: number;
  /** Whether `shutdown()` was called. */
  shutdown: boolean;
}

/**
 * A FIFO queue for passing items between tasks. With `maxsize > 0`, `put()` waits while the
 * queue is full; `get()` waits while it is empty.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const queue = new asyncio.Queue<number>(10);
 *   const consumer = asyncio.createTask((function* () {
 *     for (;;) {
 *       const n = yield* queue.get();
 *       console.log("got", n);
 *       queue.taskDone();
 *     }
 *   })());
 *   for (let n = 0; n < 3; n++) yield* queue.put(n);
 *   yield* queue.join();          // every item got and marked done
 *   consumer.cancel();
 * }
 * ```
 */
export class Queue<T> extends LoopBound {
  /** @internal The items (PriorityQueue and LifoQueue keep theirs elsewhere). */
  readonly _items = new Deque<T>();
  /** @internal Futures of the tasks waiting in get(), oldest first. */
  readonly _getters = new Deque<Future<void>>();
  /** @internal Futures of the tasks waiting in put(), oldest first. */
  readonly _putters = new Deque<Future<void>>();
  /** @internal */ _unfinishedTasks = 0;
  /** @internal Set while no task is unfinished: join() waits for it. */
  readonly _finished = new Event();
  /** @internal */ _isShutdown = false;
  /** @internal maxsize, or Infinity when unbounded: full() is one comparison. */
  readonly _limit: number;
  readonly #maxsize: number;
  readonly #get = new QueueGet<T>(this);

  /**
   * A queue holding at most `maxsize` items; 0 (the default) or less means unbounded.
   */
  constructor(maxsize = 0) {
    super();
    if (typeof maxsize !== "number") {
      throw new TypeError(
        `Queue(maxsize): maxsize must be a number of items (0 or less for unbounded), got ${formatValue(maxsize)}`,
      );
    }
    if (Number.isNaN(maxsize)) {
      throw new ValueError(
        `Queue(maxsize): maxsize must be a number of items (0 or less for unbounded), got NaN`,
      );
    }
    this.#maxsize = maxsize;
    this._limit = maxsize > 0 ? maxsize : Infinity;
    this._finished._value = true;
  }

  /** Number of items in the queue. */
  qsize(): number {
    return this._qsize();
  }

  /** The bound given to the constructor (0 or less: unbounded). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Whether the queue holds no items. */
  empty(): boolean {
    return this._qsize() === 0;
  }

  /** Whether the queue holds `maxsize` items (never, when unbounded). */
  full(): boolean {
    return this._qsize() >= this._limit;
  }

  /**
   * Puts `item` in the queue, waiting while it is full. Throws QueueShutDown once the queue
   * is shut down (also to a put that was waiting).
   *
   * Cancel safety: a cancelled put has not put its item, and never half-inserts it. If a
   * slot had just been freed for it, the next waiting putter is woken instead.
   *
   * @example
   * ```ts
   * for (const line of lines) yield* queue.put(line);   // waits while the queue is full
   * ```
   */
  put(item: T): Awaitable<void> {
    return new QueuePut(this, item);
  }

  /**
   * Puts `item` without waiting: throws QueueFull when the queue is full, QueueShutDown when
   * it is shut down. Callable from anywhere, plain callbacks included (while the queue's loop
   * runs, a waiting getter is woken).
   *
   * @example
   * ```ts
   * socket.on("data", (chunk) => queue.putNowait(chunk));
   * ```
   */
  putNowait(item: T): void {
    if (this._isShutdown) throw new QueueShutDown("putNowait() on a queue that was shut down");
    if (this._qsize() >= this._limit) {
      throw new QueueFull(
        `putNowait() on a full queue (maxsize ${this.#maxsize}): wait with yield* queue.put(item), or drop the item`,
      );
    }
    this._put(item);
    this._unfinishedTasks++;
    this._finished._value = false;
    if (this._getters.length > 0) wakeUpNext(this._getters);
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty. Once the queue is
   * shut down, the remaining items are still returned, then QueueShutDown is thrown (at once
   * after `shutdown(true)`).
   *
   * Cancel safety: a cancelled get has taken nothing. An item that arrived for it just before
   * stays in the queue, and the next waiting getter is woken for it.
   *
   * @example
   * ```ts
   * const job = yield* queue.get();
   * try { yield* run(job); } finally { queue.taskDone(); }
   * ```
   */
  get(): Awaitable<T> {
    return this.#get;
  }

  /**
   * Removes and returns the next item without waiting: throws QueueEmpty when the queue is
   * empty, QueueShutDown when it is empty and shut down.
   *
   * @example
   * ```ts
   * const batch = [];
   * while (!queue.empty()) batch.push(queue.getNowait());
   * ```
   */
  getNowait(): T {
    if (this._qsize() === 0) {
      if (this._isShutdown) throw new QueueShutDown("getNowait() on a queue that was shut down");
      throw new QueueEmpty("getNowait() on an empty queue: wait with yield* queue.get()");
    }
    const item = this._get();
    if (this._putters.length > 0) wakeUpNext(this._putters);
    return item;
  }

  /**
   * Marks one item got from the queue as processed, for `join()`. Call it once per item;
   * one call more than there were items is a ValueError.
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) {
      throw new ValueError(
        "taskDone() called too many times: call it once for each item taken from the queue",
      );
    }
    if (--this._unfinishedTasks === 0) this._finished.set();
  }

  /**
   * Waits until every item put in the queue was got and marked done with `taskDone()`.
   *
   * Cancel safety: cancelling the wait changes nothing in the queue.
   *
   * @example
   * ```ts
   * for (const url of urls) queue.putNowait(url);
   * yield* queue.join();   // the workers processed every url
   * ```
   */
  *join(): Awaitable<void> {
    if (this._unfinishedTasks > 0) yield* this._finished.wait();
  }

  /**
   * Shuts the queue down: every put from now on, and every put waiting now, throws
   * QueueShutDown; gets return the remaining items, then throw QueueShutDown. With
   * `immediate`, the remaining items are dropped (and counted as done for `join()`), so gets
   * throw at once.
   *
   * @example
   * ```ts
   * queue.shutdown();          // producers are finished; consumers drain what is left
   * ```
   */
  shutdown(immediate = false): void {
    this._isShutdown = true;
    if (immediate) {
      const dropped = this._qsize();
      this._clear();
      this._unfinishedTasks = Math.max(0, this._unfinishedTasks - dropped);
      if (this._unfinishedTasks === 0) this._finished.set();
    }
    // Every waiter re-checks the queue, and gives up with QueueShutDown where it must.
    wakeAll(this._getters);
    wakeAll(this._putters);
  }

  /**
   * Consumes the queue from plain async code: yields items as they arrive, and ends once the
   * queue is shut down and empty. It gets items as `get()` does; call `taskDone()` for each
   * if anything `join()`s the queue.
   *
   * @example
   * ```ts
   * async function logLines(queue: asyncio.Queue<string>): Promise<void> {
   *   for await (const line of queue) console.log(line);   // until queue.shutdown()
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return {
      next: () => this._nextAsync(),
      return: (value?: unknown) => Promise.resolve({ done: true, value: value as T }),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Items, bound, waiting tasks, unfinished tasks and shutdown state. */
  statistics(): QueueStatistics {
    return {
      qsize: this._qsize(),
      maxsize: this.#maxsize,
      getters: countPending(this._getters),
      putters: countPending(this._putters),
      unfinishedTasks: this._unfinishedTasks,
      shutdown: this._isShutdown,
    };
  }

  override toString(): string {
    return `<${this.constructor.name} ${this._describe()}>`;
  }

  override [inspectSymbol](): string {
    return this.toString();
  }

  /** @internal */
  _describe(): string {
    const parts = [`maxsize=${this.#maxsize}`];
    const items = this._snapshot();
    if (items.length > 0) {
      const shown = items.slice(0, 10).map((item) => formatValue(item, 20));
      if (items.length > 10) shown.push(`…${items.length - 10} more`);
      parts.push(`items=[${shown.join(", ")}]`);
    }
    const getters = countPending(this._getters);
    const putters = countPending(this._putters);
    if (getters > 0) parts.push(`getters=${getters}`);
    if (putters > 0) parts.push(`putters=${putters}`);
    if (this._unfinishedTasks > 0) parts.push(`unfinished=${this._unfinishedTasks}`);
    if (this._isShutdown) parts.push("shutdown");
    return parts.join(" ");
  }

  // How a queue stores its items: PriorityQueue and LifoQueue override these, as subclasses
  // of asyncio's Queue override _put and _get.

  /** @internal Number of items stored. */
  _qsize(): number {
    return this._items.length;
  }

  /** @internal Stores an item; throwing leaves the storage as it was. */
  _put(item: T): void {
    this._items.push(item);
  }

  /** @internal Takes the next item out; the caller checks there is one. */
  _get(): T {
    return this._items.shift();
  }

  /** @internal Drops every item. */
  _clear(): void {
    this._items.clear();
  }

  /** @internal The items in storage order, for printing. */
  _snapshot(): T[] {
    return this._items.toArray();
  }

  /** @internal get() on an empty queue: wait for an item. */
  *_getSlow(): Coro<T> {
    while (this._qsize() === 0) {
      if (this._isShutdown) throw new QueueShutDown("get() on a queue that was shut down");
      const getter = new Future<void>(this._getLoop());
      this._getters.push(getter);
      try {
        yield* getter;
      } catch (error) {
        getter.cancel();
        this._getters.remove(getter);
        // put woke this getter for an item it will not take now: the next getter gets it.
        if (this._qsize() > 0 && !getter.cancelled()) wakeUpNext(this._getters);
        throw error;
      }
    }
    return this._getAfterWait();
  }

  /** @internal put() on a full queue: wait for a free slot. */
  *_putSlow(item: T): Coro<void> {
    while (this._qsize() >= this._limit) {
      if (this._isShutdown) throw new QueueShutDown("put() on a queue that was shut down");
      const putter = new Future<void>(this._getLoop());
      this._putters.push(putter);
      try {
        yield* putter;
      } catch (error) {
        putter.cancel();
        this._putters.remove(putter);
        // get freed a slot for this putter, which will not use it: the next putter gets it.
        if (this._qsize() < this._limit && !putter.cancelled()) wakeUpNext(this._putters);
        throw error;
      }
    }
    try {
      this.putNowait(item);
    } catch (error) {
      // The item was refused (shut down, or a comparator threw): the slot this putter was
      // woken for goes to the next one.
      if (this._qsize() < this._limit) wakeUpNext(this._putters);
      throw error;
    }
  }

  /** @internal The get that follows a wait: an item it cannot take goes to the next getter. */
  _getAfterWait(): T {
    try {
      return this.getNowait();
    } catch (error) {
      if (this._qsize() > 0) wakeUpNext(this._getters);
      throw error;
    }
  }

  /** @internal One step of `for await`: the next item, or done once shut down and empty. */
  async _nextAsync(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      if (this._qsize() > 0) return { done: false, value: this._getAfterWait() };
      if (this._isShutdown) return { done: true, value: undefined };
      const getter = new Future<void>(this._getLoop());
      this._getters.push(getter);
      await getter;
    }
  }
}

const PRIORITY_OPTIONS = ["maxsize", "compare"] as const;

/**
 * A queue that returns its smallest item first. Without a compare function, items are ordered
 * as Python orders them: numbers, strings, and arrays compared like tuples, so
 * `[priority, sequence, payload]` entries work as they do in asyncio.
 *
 * @example
 * ```ts
 * const jobs = new asyncio.PriorityQueue<[number, string]>();
 * jobs.putNowait([2, "write report"]);
 * jobs.putNowait([1, "fix outage"]);
 * jobs.getNowait();   // [1, "fix outage"]
 *
 * const byDeadline = new asyncio.PriorityQueue<Job>({ compare: (a, b) => a.deadline - b.deadline });
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  readonly #heap: Heap<T>;

  /**
   * A priority queue holding at most `maxsize` items (0: unbounded). Pass `{ maxsize, compare }`
   * to order items with `compare(a, b)` (negative: `a` first) instead of Python's ordering.
   */
  constructor(options: number | { maxsize?: number; compare?: Comparator<T> } = 0) {
    if (typeof options !== "number") checkOptions(options, "PriorityQueue()", PRIORITY_OPTIONS);
    const { maxsize = 0, compare = pythonCompare } =
      typeof options === "number" ? { maxsize: options } : options;
    super(maxsize);
    if (typeof compare !== "function") {
      throw new TypeError(
        `PriorityQueue compare must be a function (a, b) => number, got ${formatValue(compare)}`,
      );
    }
    this.#heap = new Heap<T>(compare);
  }

  /** @internal */
  override _qsize(): number {
    return this.#heap.length;
  }

  /** @internal */
  override _put(item: T): void {
    this.#heap.push(item);
  }

  /** @internal */
  override _get(): T {
    return this.#heap.pop();
  }

  /** @internal */
  override _clear(): void {
    this.#heap.clear();
  }

  /** @internal */
  override _snapshot(): T[] {
    return [...this.#heap.items];
  }
}

/**
 * A queue that returns the most recently added item first (a stack).
 *
 * @example
 * ```ts
 * const stack = new asyncio.LifoQueue<string>();
 * stack.putNowait("a");
 * stack.putNowait("b");
 * stack.getNowait();   // "b"
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  /** @internal */
  override _get(): T {
    return this._items.pop();
  }
}

/** Wakes the first waiter that is still pending, dropping the others on the way. */
function wakeUpNext(waiters: Deque<Future<void>>): void {
  while (waiters.length > 0) {
    const waiter = waiters.shift();
    if (!waiter.done()) {
      waiter.setResult(undefined);
      return;
    }
  }
}

function wakeAll(waiters: Deque<Future<void>>): void {
  while (waiters.length > 0) {
    const waiter = waiters.shift();
    if (!waiter.done()) waiter.setResult(undefined);
  }
}

/** What `queue.get()` returns: takes an item at once when there is one (see primitive.ts). */
class QueueGet<T> extends HandStepped<T, Queue<T>> {
  _call(): string {
    return "queue.get()";
  }

  _begin(): Iterator<Yielded, T, unknown> {
    return this._owner._qsize() > 0 ? this : this._owner._getSlow();
  }

  next(): IteratorResult<Yielded, T> {
    return { done: true, value: this._owner.getNowait() };
  }
}

/** What `queue.put(item)` returns: puts at once when there is room (see primitive.ts). */
class QueuePut<T> extends HandSteppedCall<void, Queue<T>> {
  readonly #item: T;
  /** The fast path was chosen and has not put the item yet. */
  #putting = false;

  constructor(queue: Queue<T>, item: T) {
    super(queue);
    this.#item = item;
  }

  _call(): string {
    return "queue.put(item)";
  }

  _begin(): Iterator<Yielded, void, unknown> {
    const queue = this._owner;
    if (queue._qsize() < queue._limit) {
      this.#putting = true;
      return this;
    }
    return queue._putSlow(this.#item);
  }

  next(): IteratorResult<Yielded, void> {
    if (!this.#putting) throw this._drivenByHand();
    this.#putting = false;
    this._owner.putNowait(this.#item);
    return DONE_VOID;
  }
}
