/**
 * The messages between a pool and its workers (threads and processes alike), and how errors
 * cross: an Error is sent as its class name, message, stack, own data properties and cause,
 * and rebuilt on the other side as the same built-in class or as a {@link WorkerError}.
 *
 * A worker runs one item at a time: `start` (with the initializer, if any) → `ready` or
 * `startFailed`; then `run` → `done` or `failed`, with `abort` in between when the waiting
 * task was cancelled; `exit` asks it to end.
 */

import { UnsendableError, WorkerError } from "./errors.ts";

/**
 * What a worker thread starts with: its entry module and tsx's register API when the parent
 * runs under tsx, registered before the entry (`tsxFirst`, a TypeScript entry) or by the
 * entry on its first TypeScript work module. A child process gets the API as its argument.
 */
export interface ThreadWorkerData {
  entry: string;
  tsxApi: string | null;
  tsxFirst: boolean;
}

/** A function to call: module URL, export name, arguments. */
export interface WorkCall {
  module: string;
  name: string;
  args: unknown[];
}

/** Parent → worker. */
export type ToWorker =
  | { kind: "start"; initializer: WorkCall | null }
  | { kind: "run"; id: number; module: string; name: string; args: unknown[]; chunk: boolean }
  | { kind: "abort"; id: number }
  | { kind: "exit" };

/** Worker → parent. */
export type FromWorker =
  | { kind: "ready" }
  | { kind: "startFailed"; error: SentError }
  | { kind: "done"; id: number; value: unknown }
  | { kind: "failed"; id: number; error: SentError };

/** A thrown value on the wire: an Error taken apart, or any other value as is. */
export type SentError =
  | {
      error: true;
      name: string;
      message: string;
      stack: string | undefined;
      props: Record<string, unknown> | null;
      cause: SentError | null;
    }
  | { error: false; value: unknown };

const BUILT_IN: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  UnsendableError,
};

const BUILT_IN_PROTOTYPES = new Set<object>(
  Object.values(BUILT_IN).map((Class) => Class.prototype),
);

/**
 * The name an error crosses with: its `name`, unless that was never set and only inherited
 * from a built-in (`class ValidationError extends Error {}` reads "Error"), in which case
 * the class's own name.
 */
function errorName(thrown: Error, inherited: string): string {
  if (Object.hasOwn(thrown, "name")) return inherited;
  let owner: object | null = Object.getPrototypeOf(thrown);
  while (owner !== null && !Object.hasOwn(owner, "name")) owner = Object.getPrototypeOf(owner);
  if (owner === null || !BUILT_IN_PROTOTYPES.has(owner)) return inherited;
  const className: unknown = thrown.constructor?.name;
  return typeof className === "string" && className !== "" ? className : inherited;
}

/** Takes `thrown` apart for sending; anything that cannot be cloned is left out. */
export function serializeError(thrown: unknown, depth = 0): SentError {
  if (!(thrown instanceof Error)) {
    return cloneable(thrown)
      ? { error: false, value: thrown }
      : { error: false, value: `${typeof thrown} ${String(thrown)}` };
  }
  let props: Record<string, unknown> | null = null;
  for (const key of Object.keys(thrown)) {
    if (key === "name" || key === "message" || key === "stack" || key === "cause") continue;
    const value = (thrown as unknown as Record<string, unknown>)[key];
    if (!cloneable(value)) continue;
    props ??= {};
    props[key] = value;
  }
  const hasCause = "cause" in thrown && thrown.cause !== undefined && depth < 8;
  const inherited = String(thrown.name);
  const name = errorName(thrown, inherited);
  const stack = typeof thrown.stack === "string" ? thrown.stack : undefined;
  return {
    error: true,
    name,
    message: String(thrown.message),
    // The stack's first line was written with the inherited name ("Error: …"): say the class.
    stack:
      stack !== undefined && name !== inherited && stack.startsWith(inherited)
        ? name + stack.slice(inherited.length)
        : stack,
    props,
    cause: hasCause ? serializeError(thrown.cause, depth + 1) : null,
  };
}

/** Rebuilds a thrown value sent by {@link serializeError}. */
export function deserializeError(sent: SentError): unknown {
  if (!sent.error) return sent.value;
  const Class = Object.hasOwn(BUILT_IN, sent.name) ? BUILT_IN[sent.name]! : WorkerError;
  const error = new Class(sent.message);
  if (error.name !== sent.name) {
    Object.defineProperty(error, "name", {
      value: sent.name,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  if (sent.stack !== undefined) {
    Object.defineProperty(error, "stack", {
      value: sent.stack,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  if (sent.props !== null) Object.assign(error, sent.props);
  if (sent.cause !== null) {
    Object.defineProperty(error, "cause", {
      value: deserializeError(sent.cause),
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  return error;
}

function cloneable(value: unknown): boolean {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) {
    return typeof value !== "symbol";
  }
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which of `args` cannot be sent, as a message naming it (`argument 2 (a function)`), or null
 * when each can be cloned on its own.
 */
export function findUnsendable(args: readonly unknown[]): string | null {
  for (let index = 0; index < args.length; index++) {
    const value = args[index];
    try {
      structuredClone(value);
    } catch (error) {
      return `argument ${index + 1} (${describeKind(value)}) cannot be sent: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return null;
}

/** "a function", "an object of class Socket", "a symbol". */
export function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return `the function ${value.name || "(anonymous)"}`;
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name && name !== "Object" ? `an object of class ${name}` : "an object";
  }
  return `a ${typeof value}`;
}
