/**
 * ExceptionGroup: several errors raised together (Python 3.11's `ExceptionGroup`). A TaskGroup
 * throws one when its children (or its body) fail, so no error is lost. It extends JavaScript's
 * `AggregateError`, and adds Python's `exceptions`, `split`, `subgroup` and `derive`.
 *
 * JavaScript has no `except*`: code that handles some errors of a group and re-throws the rest
 * uses `split` (docs/structured-concurrency.md shows the pattern).
 */

import { ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";

/** An error class (`ValueError`, `TypeError`, …): what `split` and `subgroup` match with `instanceof`. */
// biome-ignore lint/suspicious/noExplicitAny: any constructor signature may be an error class
export type ErrorClass = abstract new (...args: any[]) => unknown;

/**
 * What `split` and `subgroup` select: an error class, a list of classes (any of them), or a
 * predicate called on the group itself, on each nested group and on each leaf error.
 */
export type ErrorMatcher = ErrorClass | readonly ErrorClass[] | ((error: unknown) => boolean);

/**
 * Several errors raised together. `message` is the group's own message; `exceptions` holds the
 * errors (which may be groups themselves); `String(group)` adds the count, as Python's `str()`.
 *
 * @example
 * ```ts
 * try {
 *   yield* asyncio.using(new asyncio.TaskGroup(), function* (tg) {
 *     tg.createTask(fetchA());
 *     tg.createTask(fetchB());
 *   });
 * } catch (e) {
 *   if (!(e instanceof asyncio.ExceptionGroup)) throw e;
 *   const [timeouts, rest] = e.split(asyncio.TimeoutError);
 *   if (rest !== null) throw rest;               // re-throw what this handler does not handle
 *   console.log(`${timeouts!.exceptions.length} fetches timed out`);
 * }
 * ```
 */
export class ExceptionGroup extends AggregateError {
  constructor(message: string, exceptions: Iterable<unknown>) {
    if (typeof message !== "string") {
      throw new TypeError(
        `ExceptionGroup() message must be a string, got ${formatValue(message)}: new ExceptionGroup("what failed", errors)`,
      );
    }
    if (
      exceptions === null ||
      typeof exceptions !== "object" ||
      typeof (exceptions as Iterable<unknown>)[Symbol.iterator] !== "function"
    ) {
      throw new TypeError(
        `ExceptionGroup() exceptions must be an array (or other iterable) of errors, got ${formatValue(exceptions)}`,
      );
    }
    const list = [...exceptions];
    if (list.length === 0) {
      throw new ValueError(
        "ExceptionGroup() exceptions must not be empty: a group holds at least one error",
      );
    }
    super(list, message);
    Object.freeze(this.errors);
  }

  /** The errors of the group, in the order they were given (Python's `exceptions` tuple). */
  get exceptions(): readonly unknown[] {
    return this.errors;
  }

  /**
   * A group with the same message holding `exceptions`: what `split` and `subgroup` build their
   * results with. A subclass overrides it so those results keep the subclass.
   */
  derive(exceptions: Iterable<unknown>): ExceptionGroup {
    return new ExceptionGroup(this.message, exceptions);
  }

  /**
   * Splits the group into `[matching, rest]`, each a group with this one's nesting (built with
   * `derive`, carrying this group's `cause` and `stack`) or null when empty. When the group
   * itself matches, it is `[this, null]`.
   *
   * @example
   * ```ts
   * const group = new asyncio.ExceptionGroup("failed", [new TypeError("a"), new RangeError("b")]);
   * const [typeErrors, others] = group.split(TypeError);
   * String(typeErrors);   // "failed (1 sub-exception)"
   * others!.exceptions;   // [RangeError: b]
   * ```
   */
  split(matcher: ErrorMatcher): [ExceptionGroup | null, ExceptionGroup | null] {
    return splitGroup(this, toPredicate(matcher, "split"), true) as [
      ExceptionGroup | null,
      ExceptionGroup | null,
    ];
  }

  /**
   * The matching part of the group, or null: `split(matcher)[0]`.
   *
   * @example
   * ```ts
   * const timeouts = group.subgroup(asyncio.TimeoutError);
   * if (timeouts !== null) console.log("timeouts:", timeouts.exceptions.length);
   * ```
   */
  subgroup(matcher: ErrorMatcher): ExceptionGroup | null {
    return splitGroup(this, toPredicate(matcher, "subgroup"), false)[0];
  }

  /** `message (N sub-exceptions)`, as Python's `str()` of a group. */
  override toString(): string {
    const count = this.errors.length;
    return `${this.name}: ${this.message} (${count} sub-exception${count === 1 ? "" : "s"})`;
  }

  [inspectSymbol](): string {
    const shown = this.errors.map((error) => formatValue(error, 80)).join(", ");
    return `${this.name}(${JSON.stringify(this.message)}, [${shown}])`;
  }
}

Object.defineProperty(ExceptionGroup.prototype, "name", {
  value: "ExceptionGroup",
  writable: true,
  configurable: true,
});

/** True for a function that is an error class rather than a predicate. */
function isErrorClass(value: unknown): value is ErrorClass {
  if (typeof value !== "function") return false;
  const prototype = (value as { prototype?: unknown }).prototype;
  if (prototype === Error.prototype || prototype instanceof Error) return true;
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

function toPredicate(matcher: ErrorMatcher, method: string): (error: unknown) => boolean {
  if (Array.isArray(matcher)) {
    const classes = matcher as readonly unknown[];
    for (const cls of classes) {
      if (typeof cls !== "function") {
        throw new TypeError(
          `${method}() expects error classes in its list, got ${formatValue(cls)}`,
        );
      }
    }
    return (error) => classes.some((cls) => error instanceof (cls as ErrorClass));
  }
  if (isErrorClass(matcher)) return (error) => error instanceof matcher;
  if (typeof matcher === "function") return matcher as (error: unknown) => boolean;
  throw new TypeError(
    `${method}() expects an error class, a list of classes or a predicate (error) => boolean, got ${formatValue(matcher)}`,
  );
}

/**
 * Splits `group` by `predicate`, keeping the nesting. The predicate sees the group first, then
 * each member in order (nested groups before their members), as Python's does.
 */
function splitGroup(
  group: ExceptionGroup,
  predicate: (error: unknown) => boolean,
  wantRest: boolean,
): [ExceptionGroup | null, ExceptionGroup | null] {
  if (predicate(group)) return [group, null];
  const matched: unknown[] = [];
  const rest: unknown[] = [];
  for (const error of group.errors) {
    if (error instanceof ExceptionGroup) {
      const [inner, innerRest] = splitGroup(error, predicate, wantRest);
      if (inner !== null) matched.push(inner);
      if (innerRest !== null) rest.push(innerRest);
    } else if (predicate(error)) {
      matched.push(error);
    } else if (wantRest) {
      rest.push(error);
    }
  }
  return [derived(group, matched), wantRest ? derived(group, rest) : null];
}

function derived(group: ExceptionGroup, exceptions: unknown[]): ExceptionGroup | null {
  if (exceptions.length === 0) return null;
  const result = group.derive(exceptions);
  if (!(result instanceof ExceptionGroup)) {
    throw new TypeError(
      `derive() of ${group.name} must return an ExceptionGroup, got ${formatValue(result)}`,
    );
  }
  if (group.cause !== undefined) result.cause = group.cause;
  if (group.stack !== undefined) result.stack = group.stack;
  return result;
}
