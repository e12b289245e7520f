/**
 * `transfer(value)`: marks an ArrayBuffer (or the buffer under a typed array) to be moved to a
 * worker thread instead of copied. Works in both directions: arguments marked in the parent
 * move to the worker, a result marked in the worker moves back. The marks live in a registry
 * shared by every copy of this module in a thread (a global symbol), so work modules may
 * import the library by any path.
 *
 * Moving is what threads can do; between processes a value is always copied.
 */

import { MessagePort, type TransferListItem } from "node:worker_threads";
import { formatValue } from "../core/format.ts";

type Movable = ArrayBuffer | ArrayBufferView | MessagePort;

const REGISTRY_KEY = Symbol.for("asyncio-ts.executors.transfer");

/** The marks of this thread; `null` until something is marked (then sending skips the scan). */
function registry(create: boolean): WeakSet<object> | null {
  const holder = globalThis as { [REGISTRY_KEY]?: WeakSet<object> };
  let marks = holder[REGISTRY_KEY];
  if (marks === undefined && create) {
    marks = new WeakSet();
    holder[REGISTRY_KEY] = marks;
  }
  return marks ?? null;
}

/**
 * Marks `value` to be moved, not copied, when it is sent to or from a worker thread; returns
 * it unchanged, so argument and result types stay as they are. After sending, the sender's
 * buffer is detached (its `byteLength` is 0). Marks count for the arguments themselves and for
 * the direct items of an argument that is an array or a plain object.
 *
 * @example
 * ```ts
 * const pixels = new Uint8Array(64 * 1024 * 1024);
 * const histogram = yield* pool.submit(work.fn("histogram"), asyncio.transfer(pixels));
 * // pixels.byteLength === 0 now: the memory moved to the worker
 * ```
 */
export function transfer<T extends Movable>(value: T): T {
  if (
    !(value instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof MessagePort)
  ) {
    throw new TypeError(
      `transfer() moves an ArrayBuffer, a typed array or DataView, or a MessagePort; got ${formatValue(value)}`,
    );
  }
  registry(true)!.add(value);
  return value;
}

/** @internal What to move when sending `values`: marked ones, and marked direct items. */
export function collectTransfers(values: readonly unknown[]): TransferListItem[] {
  const marks = registry(false);
  if (marks === null) return NONE;
  let found: TransferListItem[] | null = null;
  const consider = (value: unknown) => {
    if (value === null || typeof value !== "object" || !marks.has(value)) return;
    const movable = ArrayBuffer.isView(value) ? value.buffer : value;
    found ??= [];
    if (!found.includes(movable as TransferListItem)) found.push(movable as TransferListItem);
  };
  for (const value of values) {
    if (value === null || typeof value !== "object") continue;
    consider(value);
    if (Array.isArray(value)) {
      for (const item of value) consider(item);
    } else if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const item of Object.values(value)) consider(item);
    }
  }
  return found ?? NONE;
}

const NONE: TransferListItem[] = [];
