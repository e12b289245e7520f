/**
 * What the combinators accept: awaitables (coroutines, Tasks, Futures, `sleep()`) and
 * Promises, their result types, and the up-front checks that reject anything else before any
 * work starts.
 */

import {
  type Awaitable,
  describeType,
  isAwaitable,
  isGeneratorFunction,
  isThenable,
  type Yielded,
} from "../core/coroutines.ts";
import { ValueError } from "../core/exceptions.ts";
import { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";

/** Something `gather`, `asCompleted`, `shield` and `waitFor` accept: an awaitable or a Promise. */
export type AwaitableLike<T = unknown> = Awaitable<T> | PromiseLike<T>;

/** The result type of an awaitable or a Promise. */
export type ResultOf<A> =
  A extends Iterable<Yielded, infer T, unknown> ? T : A extends PromiseLike<infer T> ? T : never;

/**
 * Checks that every item can be awaited, before anything is started (so a bad item never
 * leaves tasks running for the good ones), and returns the loop of the Futures given (they
 * must agree), or null when there are none.
 */
export function checkAwaitables(awaitables: readonly unknown[], where: string): EventLoop | null {
  let loop: EventLoop | null = null;
  for (let index = 0; index < awaitables.length; index++) {
    const item = awaitables[index];
    checkAwaitable(item, where, index);
    if (item instanceof Future) {
      if (loop === null) loop = item.getLoop();
      else if (item.getLoop() !== loop) {
        throw new ValueError(
          `${where} item ${index + 1} (${item}) belongs to a different event loop than the others`,
        );
      }
    }
  }
  return loop;
}

/** Throws a TypeError naming the fix when `item` cannot be awaited. */
export function checkAwaitable(item: unknown, where: string, index = -1): void {
  if (isAwaitableOrThenable(item)) return;
  const what =
    index < 0
      ? `${where} expects something awaitable`
      : `${where} item ${index + 1} is not awaitable`;
  if (isGeneratorFunction(item)) {
    const name = item.name || "fn";
    throw new TypeError(
      `${what}: it got the generator function '${name}'; call it, as in ${name}()`,
    );
  }
  throw new TypeError(
    `${what}: expected a coroutine, Task, Future or Promise, got ${describeType(item)}`,
  );
}

/** Anything `yield*` can wait on, or a Promise. */
function isAwaitableOrThenable(value: unknown): boolean {
  return isAwaitable(value) || isThenable(value);
}
