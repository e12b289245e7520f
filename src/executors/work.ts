/**
 * Naming work for a worker. A function cannot be sent to another thread or process, so work is
 * named by its module's URL and export name, and typed from the module itself:
 *
 * ```ts
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 * const fib = tasks.fn("fib");          // WorkFn<[n: number], number>
 * ```
 *
 * A misspelt export or wrong argument types are compile errors; an export missing at run time
 * fails the work with a ReferenceError naming the module's real exports when a worker loads it.
 */

import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";

declare const signature: unique symbol;

/**
 * A function in a module that a worker can run: `(...args: A) => R` (a Promise result is
 * awaited in the worker, so `R` is the resolved type). Made by {@link WorkModule.fn}.
 *
 * @example
 * ```ts
 * const fib: asyncio.WorkFn<[n: number], number> = tasks.fn("fib");
 * ```
 */
export interface WorkFn<A extends unknown[], R> {
  /** The module's URL (`file:///…/work.ts`). */
  readonly module: string;
  /** The export's name. */
  readonly name: string;
  /** Type-level only: the function's signature (no value at run time). */
  readonly [signature]: (...args: A) => R;
}

/**
 * Any work function, whatever its signature.
 *
 * @example
 * ```ts
 * const scheduled: asyncio.AnyWorkFn[] = [tasks.fn("fib"), tasks.fn("resize")];
 * ```
 */
export type AnyWorkFn = WorkFn<never, unknown>;

/**
 * The names of the exports of module type `M` that are functions.
 *
 * @example
 * ```ts
 * type Names = asyncio.WorkFunctionName<typeof work>;   // "fib" | "resize" | …
 * ```
 */
export type WorkFunctionName<M> = Extract<
  { [K in keyof M]-?: M[K] extends (...args: never[]) => unknown ? K : never }[keyof M],
  string
>;

/**
 * The {@link WorkFn} for export `K` of module type `M`.
 *
 * @example
 * ```ts
 * type Fib = asyncio.WorkFnOf<typeof work, "fib">;      // WorkFn<[n: number], number>
 * ```
 */
export type WorkFnOf<M, K extends keyof M> = M[K] extends (...args: infer A) => infer R
  ? WorkFn<A, Awaited<R>>
  : never;

class WorkFunction {
  readonly module: string;
  readonly name: string;
  /** Where the program called `workModule()`, for messages about a module that cannot load. */
  readonly createdAt: string | null;

  constructor(module: string, name: string, createdAt: string | null) {
    this.module = module;
    this.name = name;
    this.createdAt = createdAt;
    Object.freeze(this);
  }

  toString(): string {
    return `<WorkFn ${this.name} in ${shortModuleName(this.module)}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A module whose exported functions workers run, typed as `M` (`typeof` the module, from
 * `import type * as work from "./work.ts"`). Made by {@link workModule}.
 *
 * @example
 * ```ts
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 * const total = yield* asyncio.toThread(tasks.fn("sum"), [1, 2, 3]);
 * ```
 */
export class WorkModule<M> {
  /** The module's URL. */
  readonly url: string;
  readonly #functions = new Map<string, WorkFunction>();
  readonly #createdAt = callerSite(new Error().stack);

  constructor(url: URL | string) {
    this.url = moduleURL(url);
  }

  /**
   * The work function exported as `name`: only names of exported functions compile, and
   * submitting it type-checks the arguments against the function's parameters.
   *
   * @example
   * ```ts
   * const fib = tasks.fn("fib");
   * const value: number = yield* pool.submit(fib, 30);
   * ```
   */
  fn<K extends WorkFunctionName<M>>(name: K): WorkFnOf<M, K> {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(
        `fn() expects an export name (a non-empty string), got ${formatValue(name)}`,
      );
    }
    let work = this.#functions.get(name);
    if (work === undefined) {
      work = new WorkFunction(this.url, name, this.#createdAt);
      this.#functions.set(name, work);
    }
    return work as unknown as WorkFnOf<M, K>;
  }

  toString(): string {
    return `<WorkModule ${this.url}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * The module at `url` (a `URL`, a URL string, or an absolute path), typed as `M`, whose
 * exported functions executors run.
 *
 * @example
 * ```ts
 * import type * as work from "./work.ts";
 * const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", import.meta.url));
 * ```
 */
export function workModule<M>(url: URL | string): WorkModule<M> {
  return new WorkModule<M>(url);
}

/** True for a value made by `WorkModule.fn`. */
export function isWorkFn(value: unknown): value is AnyWorkFn {
  return value instanceof WorkFunction;
}

/** `fib in work.ts`: how messages name a work function. */
export function describeWork(work: AnyWorkFn): string {
  return `${work.name} (${shortModuleName(work.module)})`;
}

/**
 * Adds to the error of a work module that could not be loaded (marked `workModule` by the
 * worker) where the program made it with `workModule()`: the line to fix.
 */
export function explainUnloadableModule(error: unknown, work: AnyWorkFn): void {
  if (
    !(error instanceof Error) ||
    typeof (error as { workModule?: unknown }).workModule !== "string"
  )
    return;
  const createdAt = (work as unknown as WorkFunction).createdAt;
  if (createdAt !== null) error.message += ` (workModule() was called at ${createdAt})`;
}

/** The library's own source folder, as a path and as a URL: frames there are not the caller. */
const LIBRARY_ROOT = new URL("../", import.meta.url);
const LIBRARY_LOCATIONS = [LIBRARY_ROOT.href, decodeURIComponent(LIBRARY_ROOT.pathname)];

/** The first frame of `stack` outside the library: where the program called it. */
function callerSite(stack: string | undefined): string | null {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const frame = line.trim().replace(/^at /, "");
    if (LIBRARY_LOCATIONS.some((location) => frame.includes(location))) continue;
    // "fn (file:line:column)" gives its location; an anonymous frame is the location alone.
    return frame.match(/\((.*)\)$/)?.[1] ?? frame;
  }
  return null;
}

function shortModuleName(url: string): string {
  const slash = url.lastIndexOf("/");
  return slash < 0 ? url : url.slice(slash + 1);
}

function moduleURL(url: URL | string): string {
  if (url instanceof URL) return url.href;
  if (typeof url !== "string") {
    throw new TypeError(
      `workModule() expects a URL or an absolute path, got ${formatValue(url)}: use new URL("./work.ts", import.meta.url)`,
    );
  }
  if (isAbsolute(url)) return pathToFileURL(url).href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return new URL(url).href;
  throw new ValueError(
    `workModule() needs an absolute location, got the relative path ${formatValue(url)}: workers resolve it from elsewhere, so use new URL(${formatValue(url)}, import.meta.url)`,
  );
}
