/**
 * Async generators: a coroutine that produces values over time (Python's `async def` with
 * `yield`). The body is a generator function that waits with `yield*` as any coroutine does
 * and produces a value with `yield* asyncio.emit(value)`. Coroutines pull values with
 * `yield* gen.next()`; plain async code with `for await`.
 *
 * The loop tracks every async generator that started and has not finished; `run()` closes the
 * ones still open at shutdown (`loop.shutdownAsyncgens()`), running their `finally` blocks.
 */

import type { Awaitable, Suspend, Yielded } from "./coroutines.ts";
import { getRunningLoop } from "./events.ts";
import { RuntimeError } from "./exceptions.ts";
import { formatValue, inspectSymbol } from "./format.ts";
import { logger } from "./log.ts";
import type { EventLoop } from "./loop.ts";

declare const emitBrand: unique symbol;

/** What an async generator body yields to produce a value of type `T` (made by `emit`). */
export interface Emit<T> {
  readonly [emitBrand]: T;
}

/** The generator an async generator body is. */
export type AsyncGenBody<T, R = void> = Generator<Yielded | Emit<T>, R, unknown>;

/** What `asend(value)` delivers into the body, as the result of its `yield* emit(…)`. */
const EMIT_RESUME: unique symbol = Symbol("asyncio.emitResume");

/** `emit(value)`: one stateless iterator serves every call (the driver reads `value` at once). */
const emitter = {
  value: undefined as unknown,
  sent: undefined as unknown,
  [Symbol.iterator]() {
    return this;
  },
  next(resume?: unknown): IteratorResult<unknown, unknown> {
    if (resume === EMIT_RESUME) {
      const sent = emitter.sent;
      emitter.sent = undefined;
      return { done: true, value: sent };
    }
    return EMITTING;
  },
  throw(error: unknown): never {
    throw error;
  },
  return(value?: unknown): IteratorResult<unknown, unknown> {
    return { done: true, value };
  },
};
const EMITTING: IteratorResult<unknown, unknown> = Object.freeze({ done: false, value: emitter });

/**
 * Produces `value` from an async generator body; evaluates to what the consumer passed to
 * `asend()` (undefined for `next()`).
 *
 * @example
 * ```ts
 * const ticks = asyncio.asyncGenerator(function* (count: number) {
 *   for (let i = 0; i < count; i++) {
 *     yield* asyncio.sleep(1);
 *     yield* asyncio.emit(i);
 *   }
 * });
 * ```
 */
export function emit<T>(value: T): Iterable<Emit<T>, unknown, unknown> {
  emitter.value = value;
  return emitter as unknown as Iterable<Emit<T>, unknown, unknown>;
}

type EmittedOf<Y> = Y extends Emit<infer T> ? T : never;

const NOT_STARTED = 0;
const SUSPENDED = 1;
const RUNNING = 2;
const FINISHED = 3;

const collected = new FinalizationRegistry<{
  loop: EventLoop;
  ref: WeakRef<AsyncGen<unknown, unknown>>;
  name: string;
}>(({ loop, ref, name }) => {
  if (!loop._asyncgens.delete(ref)) return;
  if (loop._debug) {
    logger.warning(
      `async generator ${name} was garbage collected while suspended: its finally blocks did not run; close it with aclose()`,
    );
  }
});

/**
 * A running async generator. `yield* gen.next()` gives the next `{ value, done }`;
 * `asend`, `athrow`, `aclose` are Python's; `for await` works from async functions.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const gen = ticks(3);
 *   for (let step = yield* gen.next(); !step.done; step = yield* gen.next()) {
 *     console.log("tick", step.value);
 *   }
 * }
 * ```
 */
export class AsyncGen<T, R = void> {
  /** @internal */ readonly _body: AsyncGenBody<T, R>;
  /** @internal */ _state = NOT_STARTED;
  readonly #name: string;
  #ref: WeakRef<AsyncGen<unknown, unknown>> | null = null;
  #loop: EventLoop | null = null;

  constructor(body: AsyncGenBody<T, R>, name = "asyncGenerator") {
    if (Object.prototype.toString.call(body) !== "[object Generator]") {
      throw new TypeError(`AsyncGen expects a generator object, got ${formatValue(body)}`);
    }
    this._body = body;
    this.#name = name;
  }

  /** The next value: `{ done: false, value }`, or `{ done: true, value: returnValue }` at the end. */
  next(): Awaitable<IteratorResult<T, R | undefined>> {
    return new AsyncGenStep(this, "next", undefined);
  }

  /** Resumes the body with `value` as the result of its pending `yield* emit(…)`. */
  asend(value: unknown): Awaitable<IteratorResult<T, R | undefined>> {
    return new AsyncGenStep(this, "send", value);
  }

  /** Throws `error` into the body at its pending `yield* emit(…)`. */
  athrow(error: unknown): Awaitable<IteratorResult<T, R | undefined>> {
    return new AsyncGenStep(this, "throw", error);
  }

  /**
   * Closes the generator: its `finally` blocks run (and may wait); emitting a value while
   * closing is a RuntimeError.
   */
  aclose(): Awaitable<void> {
    return new AsyncGenStep(this, "close", undefined) as unknown as Awaitable<void>;
  }

  /** `for await (const value of gen)` from async code while the loop runs. */
  [Symbol.asyncIterator](): AsyncIterator<T, R | undefined> {
    const loop = getRunningLoop();
    return {
      next: async () => await loop.createTask(this.next()),
      return: async (value?: R | PromiseLike<R>) => {
        await loop.createTask(this.aclose());
        return { done: true, value: (await value) as R | undefined };
      },
      throw: async (error?: unknown) => await loop.createTask(this.athrow(error)),
    };
  }

  toString(): string {
    const state = ["created", "suspended", "running", "closed"][this._state];
    return `<AsyncGen ${this.#name} ${state}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** @internal First step: the loop starts tracking the generator. */
  _started(): void {
    const loop = getRunningLoop();
    this.#loop = loop;
    if (loop._asyncgensShutdownCalled) {
      logger.warning(`${this} was started after loop.shutdownAsyncgens(): nothing will close it`);
      return;
    }
    const ref = new WeakRef(this as AsyncGen<unknown, unknown>);
    this.#ref = ref;
    loop._asyncgens.add(ref);
    collected.register(this, { loop, ref, name: this.#name }, ref);
  }

  /** @internal The body returned or threw: stop tracking it. */
  _finished(): void {
    this._state = FINISHED;
    if (this.#ref !== null && this.#loop !== null) {
      this.#loop._asyncgens.delete(this.#ref);
      collected.unregister(this.#ref);
      this.#ref = null;
    }
  }
}

type StepMode = "next" | "send" | "throw" | "close";

/**
 * One `next` / `asend` / `athrow` / `aclose` of an AsyncGen: an iterator that `yield*` drives.
 * The body's suspensions pass through to the Task; its first `emit` ends the step.
 */
class AsyncGenStep<T, R> implements Iterator<Yielded, IteratorResult<T, R | undefined>, unknown> {
  readonly #gen: AsyncGen<T, R>;
  readonly #mode: StepMode;
  readonly #argument: unknown;
  #begun = false;

  constructor(gen: AsyncGen<T, R>, mode: StepMode, argument: unknown) {
    this.#gen = gen;
    this.#mode = mode;
    this.#argument = argument;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(sent?: unknown): IteratorResult<Yielded, IteratorResult<T, R | undefined>> {
    if (this.#begun) return this.#forward(() => this.#gen._body.next(sent));
    this.#begun = true;
    const gen = this.#gen;
    if (gen._state === RUNNING) {
      throw new RuntimeError(
        `${gen} is already running: wait for its current step before asking for the next one`,
      );
    }
    if (gen._state === FINISHED) {
      if (this.#mode === "throw") throw this.#argument;
      return { done: true, value: { done: true, value: undefined } };
    }
    if (gen._state === NOT_STARTED) {
      if (this.#mode === "close") {
        gen._finished();
        gen._body.return(undefined as R);
        return { done: true, value: { done: true, value: undefined } };
      }
      if (this.#mode === "send" && this.#argument !== undefined) {
        throw new TypeError(
          "can't send a value other than undefined to a just-started async generator: call next() first",
        );
      }
      gen._started();
    }
    const body = gen._body;
    switch (this.#mode) {
      case "throw":
        return this.#forward(() => body.throw(this.#argument));
      case "close":
        return this.#forward(() => body.return(undefined as R));
      case "send":
        emitter.sent = this.#argument;
        return this.#forward(() => body.next(EMIT_RESUME));
      default:
        return this.#forward(() => body.next(EMIT_RESUME));
    }
  }

  throw(error: unknown): IteratorResult<Yielded, IteratorResult<T, R | undefined>> {
    return this.#forward(() => this.#gen._body.throw(error));
  }

  return(value?: unknown): IteratorResult<Yielded, IteratorResult<T, R | undefined>> {
    return this.#forward(() => this.#gen._body.return(value as R));
  }

  /** Runs the body until it suspends (passed through), emits, returns or throws. */
  #forward(
    resume: () => IteratorResult<Yielded | Emit<T>, R>,
  ): IteratorResult<Yielded, IteratorResult<T, R | undefined>> {
    const gen = this.#gen;
    gen._state = RUNNING;
    let step: IteratorResult<Yielded | Emit<T>, R>;
    try {
      step = resume();
    } catch (error) {
      gen._finished();
      throw error;
    }
    if (step.done) {
      gen._finished();
      return {
        done: true,
        value: { done: true, value: this.#mode === "close" ? undefined : step.value },
      };
    }
    if ((step.value as unknown) === emitter) {
      const value = emitter.value as T;
      emitter.value = undefined;
      if (this.#mode === "close") {
        gen._finished();
        gen._body.return(undefined as R);
        throw new RuntimeError(
          `${gen} emitted a value while being closed: a finally block must not emit`,
        );
      }
      gen._state = SUSPENDED;
      return { done: true, value: { done: false, value } };
    }
    return step as IteratorResult<Suspend | undefined, never>;
  }
}

/**
 * Makes an async generator function from a generator function whose body waits with
 * `yield*` and produces values with `yield* asyncio.emit(value)`.
 *
 * @example
 * ```ts
 * const lines = asyncio.asyncGenerator(function* (reader: LineSource) {
 *   try {
 *     for (;;) {
 *       const line = yield* reader.readline();
 *       if (line === null) return;
 *       yield* asyncio.emit(line);
 *     }
 *   } finally {
 *     reader.close();       // runs on aclose(), and at run() shutdown if never finished
 *   }
 * });
 * ```
 */
export function asyncGenerator<A extends unknown[], Y, R>(
  fn: (...args: A) => Generator<Y, R, unknown>,
): (...args: A) => AsyncGen<EmittedOf<Y>, R> {
  if (Object.prototype.toString.call(fn) !== "[object GeneratorFunction]") {
    throw new TypeError(
      `asyncGenerator() expects a generator function (function*), got ${formatValue(fn)}`,
    );
  }
  const name = fn.name || "asyncGenerator";
  return (...args: A) =>
    new AsyncGen(fn(...args) as unknown as AsyncGenBody<EmittedOf<Y>, R>, name);
}
