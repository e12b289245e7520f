/**
 * The coroutine protocol. A coroutine is a generator whose `yield*` is asyncio's `await`: it
 * yields to the Task driving it either a pending Future (through `yield* future`, never by
 * hand) or `undefined` (a bare `yield`: "run me again on the next iteration"). The Task resumes
 * it with `next(RESUME)` or throws into it.
 */

/**
 * What a coroutine yields to its Task. At run time it is a pending Future, but only `yield*`
 * produces one: the type keeps `yield future` (a missing star) from compiling. The brand is a
 * string-named property because tsc prints its name in the error ("Property '"write yield*
 * here, ..."' is missing in type 'Future<number>'"), so the compiler's own message tells the fix.
 */
export interface Suspend {
  readonly "write yield* here, not yield (a Promise: yield* asyncio.fromPromise(promise))": never;
}

/** What a coroutine may yield: a suspension made by `yield*`, or `undefined` (bare `yield`). */
export type Yielded = Suspend | undefined;

/**
 * A coroutine object returning `T`: what calling a generator function gives.
 *
 * @example
 * ```ts
 * function* add(a: number, b: number): asyncio.Coro<number> {
 *   yield* asyncio.sleep(0.1);
 *   return a + b;
 * }
 * ```
 */
export type Coro<T> = Generator<Yielded, T, unknown>;

/**
 * Anything `yield*` can wait on for a `T`: a coroutine, a Future or Task, what `sleep()`
 * returns. Every public waiting method declares it as its return type (`lock.acquire()`,
 * `queue.get()`, `reader.read()`, `openConnection()` …), whether a generator or a hand-stepped
 * object stands behind it, so that a faster implementation never changes a public type. Wait
 * for one with `yield*`, or pass it to `createTask`, `waitFor`, `gather`; it has no `next()`.
 *
 * @example
 * ```ts
 * function* firstLine(reader: asyncio.StreamReader): asyncio.Coro<string> {
 *   const read: asyncio.Awaitable<Buffer> = reader.readline();
 *   return (yield* read).toString();
 * }
 * ```
 */
export type Awaitable<T> = Iterable<Yielded, T, unknown>;

/** The result type of an awaitable: `AwaitedOf<Task<number>>` is `number`. */
export type AwaitedOf<A> = A extends Iterable<Yielded, infer T, unknown> ? T : never;

/** A coroutine function: `(...args) => Coro<T>`. */
export type CoroFunction<A extends unknown[], T> = (...args: A) => Coro<T>;

/** @internal What a Task sends into a coroutine when it resumes it. */
export const RESUME: unique symbol = Symbol("asyncio.resume");

/** Every generator object shares this `next` (%GeneratorPrototype%.next). */
const generatorNext = Object.getPrototypeOf(function* () {}).prototype.next;

/**
 * True for a coroutine (generator) object: something a Task can drive.
 *
 * @example
 * ```ts
 * function* job(): asyncio.Coro<void> {}
 * asyncio.isCoroutine(job());   // true
 * asyncio.isCoroutine(job);     // false: call it first
 * ```
 */
export function isCoroutine(value: unknown): value is Coro<unknown> {
  return (
    value !== null && typeof value === "object" && (value as Coro<unknown>).next === generatorNext
  );
}

/**
 * True for anything `yield*` can wait on (the {@link Awaitable} type): an object with a
 * `[Symbol.iterator]` method, as a coroutine, a Future, a primitive's waiting object or
 * `StreamWriter.drain()`'s awaitable has. Arrays, Maps, Sets and typed arrays are iterable but
 * are collections, not awaitables (`gather([a, b])` is a mistake for `gather(a, b)`).
 */
export function isAwaitable(value: unknown): value is Awaitable<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === "function" &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Map) &&
    !(value instanceof Set)
  );
}

/** True for a Promise or any other thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

/** True for a generator function (`function*`), which must be called to give a coroutine. */
export function isGeneratorFunction(value: unknown): value is (...args: unknown[]) => unknown {
  return (
    typeof value === "function" &&
    Object.prototype.toString.call(value) === "[object GeneratorFunction]"
  );
}

/**
 * True for a coroutine function: a generator function (`function*`), whose call gives a
 * coroutine (asyncio's `iscoroutinefunction`). A `function*` written as a plain iterator looks
 * the same (JavaScript cannot tell them apart); an `async function` is not one.
 *
 * @example
 * ```ts
 * function* job(): asyncio.Coro<void> {}
 * asyncio.isCoroutineFunction(job);     // true
 * asyncio.isCoroutineFunction(job());   // false: that is a coroutine
 * asyncio.isCoroutineFunction(async () => {});   // false
 * ```
 */
export function isCoroutineFunction(value: unknown): value is CoroFunction<unknown[], unknown> {
  return isGeneratorFunction(value);
}

/**
 * A clear message for a value that is not a coroutine where one was expected, naming the fix.
 */
export function notACoroutineMessage(where: string, value: unknown): string {
  if (isGeneratorFunction(value)) {
    return `${where} expects a coroutine object, got the generator function '${value.name || "anonymous"}': call it, as in ${where.replace("()", "")}(${value.name || "fn"}())`;
  }
  if (isThenable(value)) {
    return `${where} expects a coroutine object, got a Promise: wrap it with asyncio.fromPromise(promise), or await it in an async function`;
  }
  if (typeof value === "function") {
    return `${where} expects a coroutine object, got the plain function '${value.name || "anonymous"}': coroutine functions are generator functions (function*), and must be called`;
  }
  return `${where} expects a coroutine object (what calling a function* gives), got ${describeType(value)}`;
}

/**
 * @internal Adds the fix to V8's "x is not iterable" TypeError, which is what `yield*` on a
 * Promise (or any other non-awaitable) throws inside a coroutine. The error is changed in place
 * so that its stack still points at the `yield*`.
 */
export function explainNotIterable(error: unknown): void {
  if (!(error instanceof TypeError) || notIterableExplained.has(error)) return;
  if (!/ is not iterable\b/.test(error.message)) return;
  notIterableExplained.add(error);
  const original = error.message;
  error.message = `${original}: yield* takes asyncio awaitables (coroutines, Futures, Tasks, sleep()); for a Promise write yield* asyncio.fromPromise(promise)`;
  if (typeof error.stack === "string" && !error.stack.includes(error.message)) {
    error.stack = error.stack.replace(original, error.message);
  }
}

const notIterableExplained = new WeakSet<TypeError>();

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object")
    return typeof value === "undefined" ? "undefined" : `${typeof value} ${String(value)}`;
  return `an object of type ${value.constructor?.name ?? "Object"}`;
}
