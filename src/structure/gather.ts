/**
 * `gather()` (asyncio.gather): run awaitables concurrently and collect their results, in
 * argument order, as a typed tuple. The returned GatheringFuture can be cancelled, which
 * cancels the children.
 *
 * Each distinct child gets one small waiter object (no done callback, closure or Handle); it
 * is also what links the child to the gather in the call graph.
 */

import { getRunningLoop } from "../core/events.ts";
import { CancelledError } from "../core/exceptions.ts";
import { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import {
  addWaiter,
  CANCELLED,
  cancelledErrorOf,
  FAILED,
  outcomeOf,
  stateOf,
} from "../core/lowlevel.ts";
import { ensureFuture } from "../core/tasks.ts";
import { checkOptions } from "../core/validate.ts";
import { type AwaitableLike, checkAwaitables, type ResultOf } from "./awaitables.ts";

const GATHER_OPTIONS = ["returnExceptions"] as const;

/** The results of a list of awaitables, element by element: `[Task<A>, Coro<B>]` → `[A, B]`. */
export type GatherResults<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: ResultOf<A[K]>;
};

/** With `returnExceptions`, an element is the awaitable's result or the error it threw. */
export type GatherSettled<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: ResultOf<A[K]> | Error;
};

/** Options of `gather([…], options)`. */
export interface GatherOptions {
  /**
   * Errors (cancellation included) become results instead of failing the gather at once;
   * the gather ends when every child has.
   */
  returnExceptions?: boolean;
}

/** The waiter a gather puts on each distinct child. */
class GatherChild {
  constructor(
    readonly outer: GatheringFuture<unknown>,
    readonly child: Future<unknown>,
  ) {}

  /** The call graph reads this: the gather awaits the child. */
  get _awaiter(): Future<unknown> {
    return this.outer;
  }

  _run(): void {
    this.outer._childDone(this.child);
  }
}

/**
 * The future `gather()` returns. Cancelling it cancels every child not done yet; it then ends
 * with a CancelledError (even with `returnExceptions`) once they have ended.
 *
 * @example
 * ```ts
 * const all = asyncio.gather(fetchA(), fetchB());
 * all.cancel();   // cancels both fetches
 * ```
 */
export class GatheringFuture<T> extends Future<T> {
  /** @internal One entry per argument (an argument given twice appears twice). */
  readonly _children: Future<unknown>[];
  /** @internal */ _cancelRequested = false;
  readonly #returnExceptions: boolean;
  readonly #distinct: number;
  #finished = 0;

  /** @internal Made by `gather()`. */
  constructor(
    loop: EventLoop,
    children: Future<unknown>[],
    distinct: number,
    returnExceptions: boolean,
  ) {
    super(loop);
    this._children = children;
    this.#distinct = distinct;
    this.#returnExceptions = returnExceptions;
  }

  /**
   * Cancels every child that is not done. Returns true if any was: the gather then ends with
   * a CancelledError once the children have ended (it is not cancelled at once, as a Task
   * is not).
   */
  override cancel(message?: string): boolean {
    if (this.done()) return false;
    let cancelledAny = false;
    for (const child of this._children) {
      if (child.cancel(message)) cancelledAny = true;
    }
    // A child that was cancelled means the whole gather was asked to stop, whatever
    // returnExceptions says (asyncio bpo-32684).
    if (cancelledAny) this._cancelRequested = true;
    return cancelledAny;
  }

  /** @internal A distinct child is done. */
  _childDone(child: Future<unknown>): void {
    this.#finished++;
    if (this.done()) {
      // Too late to matter; mark its error as seen so it is not reported as lost.
      if (stateOf(child) === FAILED) child.exception();
      return;
    }
    if (!this.#returnExceptions) {
      if (stateOf(child) === CANCELLED) {
        this.setException(cancelledErrorOf(child));
        return;
      }
      if (stateOf(child) === FAILED) {
        this.setException(child.exception());
        return;
      }
    }
    if (this.#finished < this.#distinct) return;
    const children = this._children;
    const results: unknown[] = new Array(children.length);
    for (let index = 0; index < children.length; index++) {
      const done = children[index]!;
      if (stateOf(done) === CANCELLED) {
        results[index] = new CancelledError(cancelMessageOf(done));
      } else if (stateOf(done) === FAILED) {
        results[index] = done.exception();
      } else {
        results[index] = outcomeOf(done);
      }
    }
    if (this._cancelRequested) this.setException(cancelledErrorOf(child));
    else this.setResult(results as T);
  }
}

/**
 * Runs the awaitables concurrently (coroutines become Tasks) and evaluates to their results in
 * argument order, typed as a tuple. The first error (or cancellation) of a child fails the
 * gather at once, and the other children go on running; with `returnExceptions` errors are
 * results. `gather()` with nothing is an empty list. An awaitable given twice runs once.
 *
 * Cancel safety: cancelling the task waiting on a gather cancels the gather, which cancels
 * the children that are not done; the waiting task then gets CancelledError. Results of
 * children that had finished are lost with the gather.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const [user, orders] = yield* asyncio.gather(fetchUser(7), fetchOrders(7));
 *   const outcomes = yield* asyncio.gather(urls.map(download), { returnExceptions: true });
 *   for (const outcome of outcomes) if (outcome instanceof Error) console.log("failed:", outcome);
 * }
 * ```
 */
export function gather<const A extends readonly AwaitableLike[]>(
  awaitables: A,
  options: GatherOptions & { returnExceptions: true },
): GatheringFuture<GatherSettled<A>>;
export function gather<const A extends readonly AwaitableLike[]>(
  awaitables: A,
  options?: GatherOptions & { returnExceptions?: false },
): GatheringFuture<GatherResults<A>>;
export function gather<const A extends readonly AwaitableLike[]>(
  awaitables: A,
  options: GatherOptions,
): GatheringFuture<GatherSettled<A> | GatherResults<A>>;
export function gather<const A extends readonly AwaitableLike[]>(
  ...awaitables: A
): GatheringFuture<GatherResults<A>>;
export function gather(...args: unknown[]): GatheringFuture<unknown[]> {
  let awaitables: readonly unknown[] = args;
  let returnExceptions = false;
  if (args.length > 0 && Array.isArray(args[0])) {
    if (args.length > 2) {
      throw new TypeError(
        "gather() takes either awaitables, gather(a, b, c), or one array and options, gather([a, b, c], { returnExceptions: true })",
      );
    }
    awaitables = args[0];
    const options = args[1] as GatherOptions | undefined;
    checkOptions(options, "gather()", GATHER_OPTIONS);
    returnExceptions = Boolean(options?.returnExceptions);
  }
  const loop = checkAwaitables(awaitables, "gather()") ?? getRunningLoop();
  const count = awaitables.length;
  if (count === 0) {
    const empty = new GatheringFuture<unknown[]>(loop, [], 0, returnExceptions);
    empty.setResult([]);
    return empty;
  }
  const children: Future<unknown>[] = new Array(count);
  const distinctChildren: Future<unknown>[] = [];
  const seen = count > 8 ? new Map<unknown, Future<unknown>>() : null;
  for (let index = 0; index < count; index++) {
    const awaitable = awaitables[index];
    let child = seen === null ? findEarlier(awaitables, children, index) : seen.get(awaitable);
    if (child === undefined) {
      child = ensureFuture(awaitable as AwaitableLike, loop);
      seen?.set(awaitable, child);
      distinctChildren.push(child);
    }
    children[index] = child;
  }
  const outer = new GatheringFuture<unknown[]>(
    loop,
    children,
    distinctChildren.length,
    returnExceptions,
  );
  // Children done already are counted now, in order, so a gather of finished futures is done
  // at once; the others report through their waiter.
  const alreadyDone: Future<unknown>[] = [];
  for (const child of distinctChildren) {
    if (child.done()) alreadyDone.push(child);
    else addWaiter(child, new GatherChild(outer as GatheringFuture<unknown>, child));
  }
  for (const child of alreadyDone) outer._childDone(child);
  return outer;
}

/** The child made for an earlier, identical argument (a linear scan: few arguments). */
function findEarlier(
  awaitables: readonly unknown[],
  children: Future<unknown>[],
  index: number,
): Future<unknown> | undefined {
  const awaitable = awaitables[index];
  for (let earlier = 0; earlier < index; earlier++) {
    if (awaitables[earlier] === awaitable) return children[earlier];
  }
  return undefined;
}

/** The message a cancelled future was cancelled with ("" for none). */
function cancelMessageOf(future: Future<unknown>): string {
  const reason = outcomeOf(future);
  if (reason instanceof CancelledError) return reason.message;
  return typeof reason === "string" ? reason : "";
}
