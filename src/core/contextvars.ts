/**
 * Context variables (Python's `contextvars`): values that follow the flow of a program through
 * tasks and callbacks. Each task runs in a copy of the context it was created in; each callback
 * runs in the context that was current when it was scheduled.
 *
 * A Context's data is an immutable Map that `ContextVar.set` replaces, so taking a snapshot
 * (`copyContext()`, scheduling a callback) is O(1) and never copies the map.
 */

import { LookupError, RuntimeError, ValueError } from "./exceptions.ts";
import { checkFunction, checkOptions } from "./validate.ts";

export type ContextData = ReadonlyMap<ContextVar<unknown>, unknown>;

const EMPTY: ContextData = new Map();

/**
 * What can be the current context: a Context, or a Task that has not been asked for its
 * Context object yet (it holds its data itself, saving an allocation per task). Not exported
 * from the package, but in its types: Context implements it.
 */
export interface ContextHolder {
  _data: ContextData;
}
const MISSING: unique symbol = Symbol("Token.MISSING");

/**
 * A mapping of ContextVars to values, entered with {@link Context.run}.
 *
 * @example
 * ```ts
 * const requestId = new asyncio.ContextVar<string>("requestId", { default: "-" });
 * const ctx = asyncio.copyContext();
 * ctx.run(() => requestId.set("r-42"));
 * ctx.get(requestId);      // "r-42"
 * requestId.get();         // "-": the change stayed in ctx
 * ```
 */
export class Context implements ContextHolder {
  /** @internal */
  _data: ContextData;
  /** @internal */
  _entered = false;

  constructor(data: ContextData = EMPTY) {
    this._data = data;
  }

  /** Runs `fn(...args)` with this context current; changes made by `fn` stay in this context. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    checkFunction(fn, "Context.run(fn)", "fn", "a function to run in the context");
    if (this._entered) {
      throw new RuntimeError(`cannot enter context: ${this} is already entered`);
    }
    const previous = currentContext;
    this._entered = true;
    currentContext = this;
    try {
      return fn(...args);
    } finally {
      currentContext = previous;
      this._entered = false;
    }
  }

  /** A new Context with the same values. */
  copy(): Context {
    return new Context(this._data);
  }

  /** The value of `variable` in this context, or `fallback` when it has none. */
  get<T, D = undefined>(variable: ContextVar<T>, fallback?: D): T | D {
    return this._data.has(variable) ? (this._data.get(variable) as T) : (fallback as D);
  }

  has(variable: ContextVar<unknown>): boolean {
    return this._data.has(variable);
  }

  get size(): number {
    return this._data.size;
  }

  keys(): IterableIterator<ContextVar<unknown>> {
    return this._data.keys();
  }

  values(): IterableIterator<unknown> {
    return this._data.values();
  }

  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this._data.entries();
  }

  toString(): string {
    return `<Context vars=${this._data.size}>`;
  }
}

let currentContext: ContextHolder = new Context();

/**
 * A snapshot of the current context (Python's `contextvars.copy_context()`).
 *
 * @example
 * ```ts
 * const ctx = asyncio.copyContext();
 * ctx.run(() => console.log(requestId.get()));
 * ```
 */
export function copyContext(): Context {
  return new Context(currentContext._data);
}

/**
 * @internal `holder` hands its role to `context` (a Task made its Context object): if it is
 * current, `context` becomes current in its place.
 */
export function handOverContext(holder: ContextHolder, context: Context): void {
  if (currentContext === holder) currentContext = context;
}

/** @internal The current context's data, captured by callbacks when they are scheduled. */
export function currentContextData(): ContextData {
  return currentContext._data;
}

/** @internal Makes `context` current and returns the one it replaces (task steps use this). */
export function swapContext(context: ContextHolder): ContextHolder {
  const previous = currentContext;
  currentContext = context;
  return previous;
}

/**
 * Returned by {@link ContextVar.set}; pass it to {@link ContextVar.reset} to undo that change.
 *
 * @example
 * ```ts
 * const token = level.set("debug");
 * try { yield* work(); } finally { level.reset(token); }
 * ```
 */
export class Token<T> {
  /** Marks "the variable had no value before this set()". */
  static readonly MISSING: typeof MISSING = MISSING;
  /** @internal */
  _used = false;

  constructor(
    readonly variable: ContextVar<T>,
    readonly oldValue: T | typeof MISSING,
    /** @internal */ readonly _context: ContextHolder,
  ) {}

  toString(): string {
    return `<Token${this._used ? " used" : ""} var=${this.variable}>`;
  }
}

const CONTEXT_VAR_OPTIONS = ["default"] as const;

/**
 * A context variable: `get()` reads the value in the current context, `set()` changes it there
 * and returns a Token to undo the change.
 *
 * @example
 * ```ts
 * const user = new asyncio.ContextVar<string>("user", { default: "anonymous" });
 * function* handle(name: string): asyncio.Coro<string> {
 *   user.set(name);              // only this task sees it
 *   yield* asyncio.sleep(0.1);
 *   return user.get();
 * }
 * ```
 */
export class ContextVar<T> {
  readonly name: string;
  readonly #hasDefault: boolean;
  readonly #default: T | undefined;

  constructor(name: string, options?: { default: T }) {
    if (typeof name !== "string") {
      throw new TypeError(`ContextVar name must be a string, got ${typeof name}`);
    }
    checkOptions(options, "ContextVar()", CONTEXT_VAR_OPTIONS);
    this.name = name;
    this.#hasDefault = options !== undefined && "default" in options;
    this.#default = options?.default;
  }

  /**
   * The value in the current context; else `fallback` when given; else the variable's default;
   * else a LookupError.
   */
  get(): T;
  get<D>(fallback: D): T | D;
  get<D>(...fallback: [D?]): T | D {
    const data = currentContext._data;
    if (data.has(this as ContextVar<unknown>)) return data.get(this as ContextVar<unknown>) as T;
    if (fallback.length > 0) return fallback[0] as D;
    if (this.#hasDefault) return this.#default as T;
    throw new LookupError(
      `ContextVar '${this.name}' has no value in this context and no default; set() it first or pass a fallback to get()`,
    );
  }

  /** Sets the value in the current context. */
  set(value: T): Token<T> {
    const context = currentContext;
    const key = this as ContextVar<unknown>;
    const oldValue = context._data.has(key) ? (context._data.get(key) as T) : MISSING;
    const data = new Map(context._data);
    data.set(key, value);
    context._data = data;
    return new Token(this, oldValue, context);
  }

  /** Restores the value the variable had before the `set()` that returned `token`. */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) throw new TypeError(`reset() expects a Token, got ${token}`);
    if (token._used) throw new RuntimeError(`${token} has already been used once`);
    if (token.variable !== this) {
      throw new ValueError(`${token} was created by a different ContextVar than ${this}`);
    }
    if (token._context !== currentContext) {
      throw new ValueError(`${token} was created in a different Context: reset it where set() ran`);
    }
    const data = new Map(currentContext._data);
    if (token.oldValue === MISSING) data.delete(this as ContextVar<unknown>);
    else data.set(this as ContextVar<unknown>, token.oldValue);
    currentContext._data = data;
    token._used = true;
  }

  toString(): string {
    return `<ContextVar name='${this.name}'>`;
  }
}
