/**
 * `executor.map(fn, items, { timeout, chunksize })` (concurrent.futures' `Executor.map`): runs
 * `fn(item)` for every item and gives the results in order, as an async generator.
 *
 * Items are submitted when `map` is called, as far as the executor's queue has room; the rest
 * as results are taken. `chunksize` sends several items in one message. The first error ends
 * the generator with that error; an error, a timeout, closing the generator or cancelling the
 * task that reads it cancels every item not yet taken.
 */

import { AsyncGen, type AsyncGenBody, emit } from "../core/asyncgen.ts";
import type { Coro } from "../core/coroutines.ts";
import { TimeoutError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import { addWaiter, removeWaiter } from "../core/lowlevel.ts";
import { checkInteger, checkOptions } from "../core/validate.ts";
import type { MapOptions } from "./executor.ts";
import type { AnyWorkFn } from "./work.ts";

const MAP_OPTIONS = ["chunksize", "timeout"] as const;

/** @internal What `map` needs of an executor. */
export interface MapTarget {
  _submitOn(loop: EventLoop, fn: AnyWorkFn, args: unknown[], chunk: boolean): Future<unknown>;
  _hasRoom(): boolean;
  _waitForRoom(loop: EventLoop): Coro<void>;
}

/** @internal The body of `Executor.map`. */
export function mapWork<R>(
  target: MapTarget,
  loop: EventLoop,
  fn: AnyWorkFn,
  items: Iterable<unknown>,
  options: MapOptions,
): AsyncGen<R> {
  checkOptions(options, "map()", MAP_OPTIONS);
  const chunksize = checkInteger(options.chunksize ?? 1, "map()", "chunksize", 1);
  const timeout = options.timeout ?? null;
  if (timeout !== null && (typeof timeout !== "number" || Number.isNaN(timeout))) {
    throw new TypeError(
      `map() timeout must be a number of seconds or null, got ${formatValue(timeout)}`,
    );
  }
  if (items === null || typeof (items as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError(`map() expects an iterable of items, got ${formatValue(items)}`);
  }
  const deadline = timeout === null ? Infinity : loop.time() + timeout;
  const source = items[Symbol.iterator]();
  const pending: (Future<unknown> | null)[] = [];
  let exhausted = false;

  const submitWhileRoom = () => {
    while (!exhausted && target._hasRoom()) {
      if (chunksize === 1) {
        const step = source.next();
        if (step.done) exhausted = true;
        else pending.push(target._submitOn(loop, fn, [step.value], false));
        continue;
      }
      const chunk: unknown[][] = [];
      while (chunk.length < chunksize) {
        const step = source.next();
        if (step.done) {
          exhausted = true;
          break;
        }
        chunk.push([step.value]);
      }
      if (chunk.length > 0) pending.push(target._submitOn(loop, fn, chunk, true));
    }
  };

  function* results(): AsyncGenBody<R> {
    let taken = 0;
    try {
      for (;;) {
        submitWhileRoom();
        if (taken === pending.length) {
          if (exhausted) return;
          yield* target._waitForRoom(loop);
          continue;
        }
        const future = pending[taken]!;
        yield* waitUntil(future, deadline, loop, timeout);
        pending[taken++] = null;
        const value = future.result();
        if (chunksize === 1) yield* emit(value as R);
        else for (const item of value as R[]) yield* emit(item);
      }
    } finally {
      for (let index = taken; index < pending.length; index++) pending[index]?.cancel();
    }
  }

  submitWhileRoom();
  return new AsyncGen(results(), `map(${fn.name})`);
}

/** Waits until `future` is done, or throws TimeoutError at loop time `deadline`. */
function* waitUntil(
  future: Future<unknown>,
  deadline: number,
  loop: EventLoop,
  timeout: number | null,
): Coro<void> {
  if (future.done()) return;
  yield* waitDone(future, loop, deadline);
  if (!future.done()) {
    throw new TimeoutError(`map() got no result within its timeout of ${timeout} seconds`);
  }
}

/** Sleeps until `future` is done (or `deadline`), without taking its result. */
function* waitDone(future: Future<unknown>, loop: EventLoop, deadline = Infinity): Coro<void> {
  const gate = loop.createFuture<void>();
  const open = {
    _run() {
      if (!gate.done()) gate.setResult(undefined);
    },
  };
  addWaiter(future, open);
  const timer = deadline === Infinity ? null : loop.callAt(deadline, () => open._run());
  try {
    yield* gate;
  } finally {
    timer?.cancel();
    removeWaiter(future, open);
  }
}
