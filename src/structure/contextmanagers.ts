/**
 * The async context manager protocol and `using()`: Python's `async with` for coroutines.
 * TaskGroup, `timeout()`, locks, semaphores and stream writers implement the protocol;
 * `asyncContextManager()` makes a manager from a generator, as contextlib's
 * `asynccontextmanager` does.
 *
 * How `aexit` learns the outcome of the body: it receives `undefined` when the body finished
 * normally, and the error otherwise, `CancelledError` included. JavaScript can `throw undefined`,
 * which would read as success, so `using` turns a thrown `undefined` into a TypeError before
 * `aexit` sees it (and that TypeError is what propagates). When the body is closed with
 * `return()` (an async generator's `aclose()`), `aexit` receives a {@link GeneratorExit}.
 */

import { AsyncGen, type AsyncGenBody, type Emit } from "../core/asyncgen.ts";
import type { Awaitable, Coro, Yielded } from "../core/coroutines.ts";
import { RuntimeError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";

/**
 * An async context manager: `aenter()` sets up and gives the value the body works with;
 * `aexit(error)` tears down, seeing `undefined` after a normal exit or the body's error, and
 * returns true to suppress that error. `Suppress` is `false` for managers that never suppress
 * (then `using` returns the body's type unchanged), `boolean` for those that may.
 *
 * @example
 * ```ts
 * class Connection implements asyncio.AsyncContextManager<Connection, false> {
 *   *aenter(): asyncio.Coro<Connection> {
 *     yield* this.open();
 *     return this;
 *   }
 *   *aexit(error: unknown): asyncio.Coro<false> {
 *     yield* this.close();
 *     return false;   // never swallow the body's error
 *   }
 * }
 * ```
 */
export interface AsyncContextManager<T, Suppress extends boolean = boolean> {
  aenter(): Awaitable<T>;
  aexit(error: unknown): Awaitable<Suppress>;
}

/** The value an async context manager's `aenter` gives. */
export type EnteredOf<M> = M extends AsyncContextManager<infer T, boolean> ? T : never;

/** `R`, or `R | undefined` when the manager may suppress the body's error. */
export type UsingResult<M, R> =
  M extends AsyncContextManager<unknown, infer S> ? ([S] extends [false] ? R : R | undefined) : R;

type AnyManager = AsyncContextManager<unknown, boolean>;
type ResultOf<Ms extends readonly AnyManager[], R> = Ms extends readonly [
  infer First,
  ...infer Rest extends readonly AnyManager[],
]
  ? UsingResult<First, ResultOf<Rest, R>>
  : R;

/**
 * What `aexit` receives when the body was closed with `return()` rather than finishing or
 * throwing: an async generator's `aclose()` does that (Python's `GeneratorExit`). A manager
 * cleans up as for any error; re-throwing it, or returning false, lets the close go on.
 *
 * @example
 * ```ts
 * const manager: asyncio.AsyncContextManager<void, false> = {
 *   *aenter() {},
 *   *aexit(error) {
 *     if (error instanceof asyncio.GeneratorExit) console.log("closed early");
 *     return false;
 *   },
 * };
 * ```
 */
export class GeneratorExit extends Error {
  constructor(message = "the body was closed (return() of its generator)") {
    super(message);
    this.name = "GeneratorExit";
  }
}

/**
 * Runs `body(value)` between `manager.aenter()` (which gives `value`) and `manager.aexit(error)`,
 * exactly as Python's `async with`: `aexit` runs however the body ends and sees its error,
 * `CancelledError` included; when it returns true the error is suppressed and `using` returns
 * `undefined`. With several managers, they are entered left to right and exited right to left,
 * as nested `async with` blocks; the body gets one value per manager. Inside an async
 * generator the body may `yield* asyncio.emit(value)`, as an `async with` block may `yield`.
 *
 * Cancel safety: `using` itself adds no waiting; cancelling the task inside the body or inside
 * `aenter`/`aexit` is what the manager and body make of it. `aexit` always runs once `aenter`
 * has finished.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const total = yield* asyncio.using(asyncio.timeout(2), function* () {
 *     return (yield* fetchA()) + (yield* fetchB());
 *   });                                                  // total: number
 *   yield* asyncio.using(lock, asyncio.timeout(1), function* (_held, deadline) {
 *     console.log("holding the lock until", deadline.when());
 *   });
 * }
 * ```
 */
export function using<M extends AnyManager, R, Y = Yielded>(
  manager: M,
  body: (value: EnteredOf<M>) => Iterable<Y, R, unknown>,
): Iterable<Y | Yielded, UsingResult<M, R>, unknown>;
export function using<M1 extends AnyManager, M2 extends AnyManager, R, Y = Yielded>(
  manager1: M1,
  manager2: M2,
  body: (value1: EnteredOf<M1>, value2: EnteredOf<M2>) => Iterable<Y, R, unknown>,
): Iterable<Y | Yielded, ResultOf<[M1, M2], R>, unknown>;
export function using<
  M1 extends AnyManager,
  M2 extends AnyManager,
  M3 extends AnyManager,
  R,
  Y = Yielded,
>(
  manager1: M1,
  manager2: M2,
  manager3: M3,
  body: (
    value1: EnteredOf<M1>,
    value2: EnteredOf<M2>,
    value3: EnteredOf<M3>,
  ) => Iterable<Y, R, unknown>,
): Iterable<Y | Yielded, ResultOf<[M1, M2, M3], R>, unknown>;
export function using(...args: unknown[]): Coro<unknown> {
  if (args.length < 2) {
    throw new TypeError(
      "using() expects one or more context managers and then a body: using(manager, function* (value) { … })",
    );
  }
  const body = args[args.length - 1];
  if (typeof body !== "function") {
    throw new TypeError(
      `using() expects its last argument to be the body, a function* (value) { … }, got ${formatValue(body)}`,
    );
  }
  const managers = args.slice(0, -1);
  for (let index = 0; index < managers.length; index++) {
    checkManager(managers[index], managers.length === 1 ? "" : ` (argument ${index + 1})`);
  }
  if (managers.length === 1) {
    return usingOne(managers[0] as AnyManager, body as (value: unknown) => Awaitable<unknown>);
  }
  return usingMany(
    managers as AnyManager[],
    0,
    [],
    body as (...values: unknown[]) => Awaitable<unknown>,
  );
}

function checkManager(manager: unknown, where: string): void {
  const candidate = manager as Partial<AnyManager> | null;
  if (
    candidate === null ||
    (typeof candidate !== "object" && typeof candidate !== "function") ||
    typeof candidate.aenter !== "function" ||
    typeof candidate.aexit !== "function"
  ) {
    throw new TypeError(
      `using() expects an async context manager${where} (an object with aenter() and aexit(error) methods), got ${formatValue(manager)}`,
    );
  }
}

function* usingMany(
  managers: AnyManager[],
  index: number,
  values: unknown[],
  body: (...values: unknown[]) => Awaitable<unknown>,
): Coro<unknown> {
  if (index === managers.length) return yield* body(...values);
  return yield* usingOne(managers[index]!, (value) =>
    usingMany(managers, index + 1, [...values, value], body),
  );
}

/** A thrown `undefined` cannot reach `aexit` as itself: it would read as "no error". */
function asError(error: unknown): unknown {
  if (error !== undefined) return error;
  return new TypeError(
    "a context manager's body threw undefined: throw an Error (aexit receives undefined only when the body succeeded)",
  );
}

function* usingOne(
  manager: AnyManager,
  body: (value: unknown) => Awaitable<unknown>,
): Coro<unknown> {
  const value = yield* manager.aenter();
  let settled = false;
  let result: unknown;
  try {
    result = yield* body(value);
    settled = true;
  } catch (thrown) {
    settled = true;
    const error = asError(thrown);
    if (yield* manager.aexit(error)) return undefined;
    throw error;
  } finally {
    // Neither returned nor threw: the body was closed with return(), as an async generator's
    // aclose() does. The manager still exits, seeing a GeneratorExit; re-throwing that exact
    // error lets the close go on.
    if (!settled) {
      const exit = new GeneratorExit();
      try {
        yield* manager.aexit(exit);
      } catch (error) {
        // biome-ignore lint/correctness/noUnsafeFinally: on the return() path a new error from aexit replaces the close, as in Python
        if (error !== exit) throw error;
      }
    }
  }
  yield* manager.aexit(undefined);
  return result;
}

type ManagerBody<T> = Generator<Yielded | Emit<T>, void, unknown>;

/**
 * Makes an async context manager factory from a generator function that sets up, emits the
 * value once with `yield* asyncio.emit(value)`, and tears down after it (contextlib's
 * `asynccontextmanager`). The body's error is thrown in at the `emit`: a `try`/`finally` around
 * it cleans up on errors, and catching the error suppresses it.
 *
 * Cancel safety: the generator's teardown runs on cancellation too (the CancelledError is
 * thrown in at the `emit`), so a `finally` after the `emit` always runs.
 *
 * @example
 * ```ts
 * const connected = asyncio.asyncContextManager(function* (host: string) {
 *   const connection = yield* connect(host);
 *   try {
 *     yield* asyncio.emit(connection);
 *   } finally {
 *     yield* connection.close();
 *   }
 * });
 *
 * yield* asyncio.using(connected("db.local"), function* (connection) {
 *   yield* connection.query("select 1");
 * });
 * ```
 */
export function asyncContextManager<A extends unknown[], Y>(
  fn: (...args: A) => Generator<Y, void, unknown>,
): (...args: A) => GeneratorContextManager<EmittedBy<Y>> {
  if (Object.prototype.toString.call(fn) !== "[object GeneratorFunction]") {
    throw new TypeError(
      `asyncContextManager() expects a generator function (function*), got ${formatValue(fn)}`,
    );
  }
  const name = fn.name || "asyncContextManager";
  return (...args: A) =>
    new GeneratorContextManager(fn(...args) as unknown as ManagerBody<EmittedBy<Y>>, name);
}

type EmittedBy<Y> = Y extends Emit<infer T> ? T : never;

/**
 * The context manager `asyncContextManager()` makes: one use, entered by `using`.
 *
 * Cancel safety: see {@link asyncContextManager}.
 *
 * @example
 * ```ts
 * const opened = asyncio.asyncContextManager(function* () {
 *   yield* asyncio.emit("resource");
 * });
 * const manager: asyncio.GeneratorContextManager<string> = opened();
 * yield* asyncio.using(manager, function* (resource) { console.log(resource); });
 * ```
 */
export class GeneratorContextManager<T> implements AsyncContextManager<T, boolean> {
  readonly #gen: AsyncGen<T, void>;
  readonly #name: string;

  constructor(body: ManagerBody<T>, name: string) {
    this.#gen = new AsyncGen(body as AsyncGenBody<T, void>, name);
    this.#name = name;
  }

  *aenter(): Awaitable<T> {
    const step = yield* this.#gen.next();
    if (step.done) {
      throw new RuntimeError(
        `${this.#name} did not emit a value: an asyncContextManager body must yield* asyncio.emit(value) once`,
      );
    }
    return step.value;
  }

  *aexit(error: unknown): Awaitable<boolean> {
    if (error === undefined) {
      const step = yield* this.#gen.next();
      if (!step.done) {
        yield* this.#gen.aclose();
        throw new RuntimeError(
          `${this.#name} emitted a second value: an asyncContextManager body emits once`,
        );
      }
      return false;
    }
    let step: IteratorResult<T, void | undefined>;
    try {
      step = yield* this.#gen.athrow(error);
    } catch (thrown) {
      // The body re-raised the error (or let it through): not suppressed. A different error
      // replaces it.
      if (thrown === error) return false;
      throw thrown;
    }
    if (!step.done) {
      yield* this.#gen.aclose();
      throw new RuntimeError(
        `${this.#name} emitted a value after the error was thrown in: an asyncContextManager body emits once`,
      );
    }
    // The body caught the error and returned: suppressed.
    return true;
  }

  toString(): string {
    return `<GeneratorContextManager ${this.#name}>`;
  }
}
