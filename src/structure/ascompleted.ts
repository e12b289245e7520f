/**
 * `asCompleted()` (asyncio.as_completed, 3.13): take awaitables in the order they finish.
 *
 * Two ways to iterate, as in Python. The plain iterator gives one awaitable per input, each
 * evaluating to the result of the next one to finish (`for (const next of asCompleted(aws)) {
 * const result = yield* next; }`). The asynchronous form gives the finished Futures and Tasks
 * themselves (the ones given, or the Tasks made for coroutines): `yield* it.next()` in a
 * coroutine, `for await` in an async function.
 */

import type { Awaitable, Coro } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { TimeoutError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";
import { Future } from "../core/futures.ts";
import type { Handle } from "../core/handles.ts";
import type { EventLoop } from "../core/loop.ts";
import { removeWaiter, wakeWhenDone } from "../core/lowlevel.ts";
import { ensureFuture } from "../core/tasks.ts";
import { checkOptions } from "../core/validate.ts";
import { type AwaitableLike, checkAwaitables, type ResultOf } from "./awaitables.ts";
import { checkTimeout } from "./wait.ts";

const AS_COMPLETED_OPTIONS = ["timeout"] as const;

/** Options of `asCompleted()`. */
export interface AsCompletedOptions {
  /** After this many seconds, the awaitables not yet taken throw TimeoutError (null: none). */
  timeout?: number | null;
}

/** Marks "the timeout passed" in the queue of finished futures. */
const TIMED_OUT = null;

/** The waiter put on each input: queues the future when it finishes. */
class Arrival {
  constructor(
    readonly owner: AsCompleted<unknown>,
    readonly future: Future<unknown>,
  ) {}

  _run(): void {
    this.owner._arrived(this);
  }
}

/**
 * What `asCompleted()` returns: iterate it with `for … of` for awaitables of the results, or
 * step it with `yield* it.next()` for the finished futures.
 *
 * Cancel safety: a cancelled wait for the next one takes nothing: the future it would have
 * got stays queued for the next call. The inputs are never cancelled.
 *
 * @example
 * ```ts
 * const finished: asyncio.AsCompleted<string> = asyncio.asCompleted([fetchA(), fetchB()]);
 * console.log(finished.remaining);                  // 2
 * const first = yield* finished.next();             // { done: false, value: <Task finished> }
 * ```
 */
export class AsCompleted<T> implements Iterable<Awaitable<T>> {
  readonly #loop: EventLoop;
  /** Inputs not finished yet (each with its waiter), until the timeout clears them. */
  readonly #todo = new Set<Arrival>();
  /** Finished futures (or TIMED_OUT marks) not taken yet. */
  readonly #done: (Future<T> | typeof TIMED_OUT)[] = [];
  /** Tasks waiting for the next one to finish. */
  readonly #getters: Future<void>[] = [];
  #left: number;
  #timer: Handle | null = null;

  /** @internal Made by `asCompleted()`. */
  constructor(loop: EventLoop, futures: Future<T>[], timeout: number | null) {
    this.#loop = loop;
    this.#left = futures.length;
    for (const future of futures) {
      const arrival = new Arrival(this as AsCompleted<unknown>, future as Future<unknown>);
      this.#todo.add(arrival);
      wakeWhenDone(future as Future<unknown>, arrival);
    }
    if (futures.length > 0 && timeout !== null) {
      this.#timer = loop.callLater(timeout, expireAsCompleted, this);
    }
  }

  /** How many results are still to be taken. */
  get remaining(): number {
    return this.#left;
  }

  /**
   * One awaitable per input: each evaluates to the result of the next input to finish (or
   * throws its error, or TimeoutError after the timeout).
   */
  *[Symbol.iterator](): Iterator<Awaitable<T>> {
    while (this.#left > 0) {
      this.#left--;
      yield this.#nextResult();
    }
  }

  /**
   * The next finished future (`{ done: false, value }`), or `{ done: true }` once all were
   * taken; throws TimeoutError after the timeout (Python's `async for`).
   */
  next(): Awaitable<IteratorResult<Future<T>, undefined>> {
    return this.#nextFuture();
  }

  /** `for await (const task of asyncio.asCompleted(tasks))` from an async function. */
  [Symbol.asyncIterator](): AsyncIterator<Future<T>, undefined> {
    return { next: async () => await this.#loop.createTask(this.next()) };
  }

  toString(): string {
    return `<AsCompleted remaining=${this.#left} finished=${this.#done.length}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** @internal An input finished. */
  _arrived(arrival: Arrival): void {
    // Gone from the todo set: the timeout came first.
    if (!this.#todo.delete(arrival)) return;
    this.#queue(arrival.future as Future<T>);
    if (this.#todo.size === 0) this.#timer?.cancel();
  }

  /** @internal The timeout passed: every input not finished yet becomes a TimeoutError. */
  _expire(): void {
    for (const arrival of this.#todo) {
      removeWaiter(arrival.future, arrival);
      this.#queue(TIMED_OUT);
    }
    this.#todo.clear();
  }

  #queue(item: Future<T> | typeof TIMED_OUT): void {
    this.#done.push(item);
    const getter = this.#getters.shift();
    getter?.setResult(undefined);
  }

  *#nextResult(): Coro<T> {
    const future = yield* this.#take();
    return future.result();
  }

  *#nextFuture(): Coro<IteratorResult<Future<T>, undefined>> {
    if (this.#left === 0) return { done: true, value: undefined };
    this.#left--;
    try {
      return { done: false, value: yield* this.#take() };
    } catch (error) {
      if (!(error instanceof TimeoutError)) this.#left++;
      throw error;
    }
  }

  /** Waits for the next finished future; TimeoutError for a timeout mark. */
  *#take(): Coro<Future<T>> {
    while (this.#done.length === 0) {
      const getter = this.#loop.createFuture<void>();
      this.#getters.push(getter);
      try {
        yield* getter;
      } catch (error) {
        // Cancelled: give up the place in line; if this getter had been woken, wake the next
        // so the finished future it was meant for is not stranded.
        const index = this.#getters.indexOf(getter);
        if (index >= 0) this.#getters.splice(index, 1);
        else if (this.#done.length > 0) this.#getters.shift()?.setResult(undefined);
        throw error;
      }
    }
    const item = this.#done.shift()!;
    if (item === TIMED_OUT) {
      throw new TimeoutError("asCompleted() timed out before every awaitable finished");
    }
    return item;
  }
}

function expireAsCompleted(owner: AsCompleted<unknown>): void {
  owner._expire();
}

/**
 * Runs the awaitables concurrently (coroutines become Tasks) and gives them back in the order
 * they finish; see {@link AsCompleted} for the two ways to iterate. An awaitable given twice
 * counts once. After `timeout` seconds the ones not finished throw TimeoutError when taken;
 * they are not cancelled.
 *
 * Cancel safety: see {@link AsCompleted}.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   for (const next of asyncio.asCompleted(urls.map(download), { timeout: 10 })) {
 *     const page = yield* next;            // the earliest download not yet taken
 *     console.log(page.length);
 *   }
 *   const tasks = urls.map((url) => asyncio.createTask(download(url)));
 *   const finished = asyncio.asCompleted(tasks);
 *   for (let step = yield* finished.next(); !step.done; step = yield* finished.next()) {
 *     console.log(step.value.getName(), "finished first");   // one of `tasks` itself
 *   }
 * }
 * ```
 */
export function asCompleted<A extends AwaitableLike>(
  awaitables: Iterable<A>,
  options: AsCompletedOptions = {},
): AsCompleted<ResultOf<A>> {
  if (awaitables instanceof Future || !isIterableObject(awaitables)) {
    throw new TypeError(
      `asCompleted() expects an array (or Set) of awaitables, got ${awaitables instanceof Future ? "a single Future: write asCompleted([future])" : `${formatValue(awaitables)}; a coroutine or iterator is refused, pass [...items]`}`,
    );
  }
  checkOptions(options, "asCompleted()", AS_COMPLETED_OPTIONS);
  const unique = [...new Set(awaitables)];
  const loop = checkAwaitables(unique, "asCompleted()") ?? getRunningLoop();
  const timeout = checkTimeout(options.timeout, "asCompleted()");
  const futures = unique.map((awaitable) => ensureFuture(awaitable, loop)) as Future<ResultOf<A>>[];
  return new AsCompleted(loop, futures, timeout);
}

function isIterableObject(value: unknown): value is Iterable<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === "function" &&
    typeof (value as Iterator<unknown>).next !== "function"
  );
}
