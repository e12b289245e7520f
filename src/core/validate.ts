/**
 * Argument checks shared by every public entry point, so that a plain JavaScript caller who
 * passes the wrong thing gets CPython's error class (TypeError for a wrong type, ValueError for
 * a wrong value) and one style of message: where, what was wrong, what to pass, what came.
 *
 *   readexactly(n): n must be a non-negative integer, got 2.5
 *
 * Each check runs before the call changes any state, so a refused call leaves everything as it
 * was. They allocate nothing unless they throw: they sit on hot paths (reads, notify, sleep).
 */

import { ValueError } from "./exceptions.ts";
import { formatValue } from "./format.ts";

/** What an integer bound reads as in a message. */
function integerKind(min: number): string {
  if (min === 0) return "a non-negative integer";
  if (min === 1) return "a positive integer";
  return `an integer >= ${min}`;
}

/**
 * An integer of at least `min`: TypeError for anything that is not an integer (a string, NaN,
 * ±Infinity, 2.5), ValueError for an integer below `min`.
 */
export function checkInteger(value: unknown, where: string, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${where}: ${name} must be ${integerKind(min)}, got ${formatValue(value)}`);
  }
  if (value < min) {
    throw new ValueError(
      `${where}: ${name} must be ${integerKind(min)}, got ${formatValue(value)}`,
    );
  }
  return value;
}

/** A function: TypeError for anything else, `what` saying what it should be. */
export function checkFunction(value: unknown, where: string, name: string, what: string): void {
  if (typeof value !== "function") {
    throw new TypeError(`${where}: ${name} must be ${what}, got ${formatValue(value)}`);
  }
}

/** A boolean: TypeError for anything else (a truthy string is a mistake, not a yes). */
export function checkBoolean(value: unknown, where: string, name: string): void {
  if (typeof value !== "boolean") {
    throw new TypeError(`${where}: ${name} must be true or false, got ${formatValue(value)}`);
  }
}

/**
 * An options object whose keys are all in `known` (undefined passes): TypeError for a
 * non-object or an unknown name, as Python's "unexpected keyword argument".
 */
export function checkOptions(options: unknown, where: string, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(
      `${where}: options must be an object such as { ${known[0]}: … }, got ${formatValue(options)}`,
    );
  }
  for (const key in options) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${where}: unknown option ${JSON.stringify(key)}; the options are ${known.join(", ")}`,
      );
    }
  }
}
