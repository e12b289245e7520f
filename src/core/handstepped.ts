/**
 * Hand-stepped awaitables and the shared results they return. A waiting method on a hot path
 * (`lock.acquire()`, `queue.get()`, `reader.readexactly(n)` …) returns a small object instead
 * of a generator: `yield*` asks it for its iterator, and when the operation can complete at
 * once the object is its own iterator and completes on the first `next()`, allocating
 * nothing; otherwise it hands back a coroutine that waits. Nothing happens until `yield*` (or a
 * Task) starts it, as with a Python coroutine.
 *
 * The one rule for awaiting twice: awaiting such an object is making the call once more. The
 * argument-free ones (`lock.acquire()`, `event.wait()`, `queue.get()`, `writer.drain()`) are
 * one object per primitive, returned by every call (so a call allocates nothing): awaiting one
 * again is calling the method again. One that carries its call's arguments
 * (`queue.put(item)`, `reader.readexactly(n)`, a {@link HandSteppedCall}) is that one call, as
 * a coroutine is: awaiting it again throws a RuntimeError naming the call to make instead (a
 * second `yield*` of a `put()` must not put the item twice).
 */

import type { Yielded } from "./coroutines.ts";
import { RuntimeError } from "./exceptions.ts";

/**
 * `{ done: true, value: undefined }`, shared: what a hand-made awaitable returns when it
 * completes with nothing (the consumer, `yield*`, reads it at once and keeps nothing).
 */
export const DONE_VOID: IteratorResult<Yielded, undefined> = Object.freeze({
  done: true,
  value: undefined,
});

/** `{ done: true, value: true }`, shared: an acquire or wait that succeeded at once. */
export const DONE_TRUE: IteratorResult<Yielded, true> = Object.freeze({ done: true, value: true });

/** `{ done: false, value: undefined }`, shared: a bare `yield` ("run me on the next iteration"). */
export const YIELD: IteratorResult<Yielded, undefined> = Object.freeze({
  done: false,
  value: undefined,
});

/** An iterator that completes at once with nothing: a wait with nothing to wait for. */
export const COMPLETED: Iterator<Yielded, void, unknown> = Object.freeze({
  next: () => DONE_VOID,
  throw: (error: unknown): never => {
    throw error;
  },
  return: () => DONE_VOID,
});

/**
 * Base of the hand-stepped awaitables (see the file header): a subclass supplies `_begin()`
 * (itself when it can complete at once, else a coroutine that waits), `next()` (completing the
 * fast path) and `_call()` (the call that made it, for messages); `_abandon()` when a wait in
 * progress must be undone if the consumer stops. `_owner` is the object the operation is on
 * (a lock, a queue). Each `yield*` begins the operation anew.
 *
 * @example
 * ```ts
 * class FlagWait extends lowlevel.HandStepped<true, Flag> {
 *   _call() { return "flag.wait()"; }
 *   _begin() { return this._owner.isSet ? this : this._owner.waitSlow(); }
 *   next() {
 *     if (!this._owner.isSet) throw this._drivenByHand();
 *     return lowlevel.DONE_TRUE;
 *   }
 * }
 * ```
 */
export abstract class HandStepped<T, O = unknown> implements Iterator<Yielded, T, unknown> {
  // A base class declares no fields (neither `x = …` nor `#x`, nor a constructor parameter
  // property): V8 builds a subclass whose bases declare fields several times slower, and these
  // objects are made once per call on hot paths. Properties are assigned in the constructor.
  declare protected readonly _owner: O;

  constructor(owner: O) {
    this._owner = owner;
  }

  /** `yield*` starts the operation here. */
  [Symbol.iterator](): Iterator<Yielded, T, unknown> {
    return this._begin();
  }

  /** Itself when the operation can complete at once (then `next()` completes it), else a wait. */
  abstract _begin(): Iterator<Yielded, T, unknown>;

  /** Completes the fast path (or, after a wait, reads its outcome). */
  abstract next(sent?: unknown): IteratorResult<Yielded, T>;

  /** The call that made this awaitable, as a user writes it: `"queue.put(item)"`. */
  abstract _call(): string;

  /** Undoes a wait in progress when the consumer throws into it or stops it. */
  protected _abandon(): void {}

  throw(error: unknown): IteratorResult<Yielded, T> {
    this._abandon();
    throw error;
  }

  return(value?: T): IteratorResult<Yielded, T> {
    this._abandon();
    return { done: true, value: value as T };
  }

  /** The error for `next()` called where only `yield*` may step the awaitable. */
  protected _drivenByHand(): RuntimeError {
    return new RuntimeError(
      `${this._call()} was resumed by hand: wait for it with yield* (or wrap it in asyncio.createTask)`,
    );
  }
}

/**
 * A hand-stepped awaitable that carries one call's arguments: it runs once, and a second
 * `yield*` throws a RuntimeError naming the call to make instead.
 *
 * @example
 * ```ts
 * const put = queue.put(item);
 * yield* put;
 * yield* put;   // RuntimeError: this put() was awaited already: call queue.put(item) again
 * ```
 */
export abstract class HandSteppedCall<T, O = unknown> extends HandStepped<T, O> {
  /** Whether a `yield*` began this call (assigned, not declared: see HandStepped). */
  declare _awaited: boolean;

  constructor(owner: O) {
    super(owner);
    this._awaited = false;
  }

  override [Symbol.iterator](): Iterator<Yielded, T, unknown> {
    if (this._awaited) {
      const call = this._call();
      const method = call.slice(call.indexOf(".") + 1).replace(/\(.*\)$/, "()");
      throw new RuntimeError(`this ${method} was awaited already: call ${call} again`);
    }
    this._awaited = true;
    return this._begin();
  }
}
