/**
 * The ordering and the binary heap behind PriorityQueue. `pythonCompare` orders numbers,
 * strings and arrays the way Python orders numbers, strings and tuples. `Heap` is heapq's
 * algorithm (so items that compare equal come out in the order CPython's would give), with
 * one change: every comparison of a push or a pop is made before anything moves, so a
 * comparison that throws leaves the heap exactly as it was.
 */

import { formatValue } from "../core/format.ts";

/** Orders two items: negative when `a` comes first, positive when `b` does, 0 for a tie. */
export type Comparator<T> = (a: T, b: T) => number;

/**
 * Python's ordering: numbers (and bigints, and booleans, which Python counts as integers) by
 * value, strings by code point, arrays element by element like tuples (a shorter prefix
 * first). Anything else, or two kinds that Python cannot order (a number and a string), is a
 * TypeError, as in Python.
 *
 * @example
 * ```ts
 * asyncio.pythonCompare([1, "b"], [1, "a"]);   // 1: (1, 'b') > (1, 'a')
 * asyncio.pythonCompare("Z", "a");             // -1
 * ```
 */
export function pythonCompare(a: unknown, b: unknown): number {
  const kindA = typeof a;
  const kindB = typeof b;
  if (isNumeric(kindA) && isNumeric(kindB)) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  if (kindA === "string" && kindB === "string") return compareCodePoints(a as string, b as string);
  if (Array.isArray(a) && Array.isArray(b)) {
    const shorter = Math.min(a.length, b.length);
    for (let index = 0; index < shorter; index++) {
      const order = pythonCompare(a[index], b[index]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  throw new TypeError(
    `cannot order ${formatValue(a, 30)} and ${formatValue(b, 30)}: without a compare function, items must be numbers, strings, or arrays of them (compared like Python tuples)`,
  );
}

function isNumeric(kind: string): boolean {
  return kind === "number" || kind === "bigint" || kind === "boolean";
}

/**
 * Strings in code point order (Python's), where `<` on JavaScript strings uses UTF-16 code
 * units: the two differ only when one string has a surrogate pair where the other has a code
 * unit at or above U+E000.
 */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const shorter = Math.min(a.length, b.length);
  for (let index = 0; index < shorter; index++) {
    const unitA = a.charCodeAt(index);
    const unitB = b.charCodeAt(index);
    if (unitA !== unitB) return codePointRank(unitA) - codePointRank(unitB);
  }
  return a.length - b.length;
}

/** Moves surrogates above the rest of the BMP, which turns code unit order into code point order. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** @internal A min-heap in heapq's order; see the file header. */
export class Heap<T> {
  readonly items: T[] = [];
  readonly #compare: Comparator<T>;
  /** Positions along the path a pop walks, reused between pops. */
  readonly #path: number[] = [];

  constructor(compare: Comparator<T>) {
    this.#compare = compare;
  }

  get length(): number {
    return this.items.length;
  }

  /** Adds `item` (heapq.heappush). */
  push(item: T): void {
    const items = this.items;
    const compare = this.#compare;
    let position = items.length;
    // Find the place first: if a comparison throws, nothing has moved.
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if (!(compare(item, items[parent]!) < 0)) break;
      position = parent;
    }
    let hole = items.length;
    items.push(item);
    while (hole > position) {
      const parent = (hole - 1) >> 1;
      items[hole] = items[parent]!;
      hole = parent;
    }
    items[position] = item;
  }

  /** Removes and returns the smallest item (heapq.heappop); the caller checks `length`. */
  pop(): T {
    const items = this.items;
    const last = items.length - 1;
    if (last === 0) return items.pop()!;
    const compare = this.#compare;
    const moved = items[last]!;
    // heapq walks the hole at the top down to a leaf along the smaller children, then lets
    // the last item climb back up from there. Both walks are planned before anything moves.
    const path = this.#path;
    path.length = 0;
    let position = 0;
    path.push(0);
    for (let child = 1; child < last; child = 2 * position + 1) {
      const right = child + 1;
      position = right < last && !(compare(items[child]!, items[right]!) < 0) ? right : child;
      path.push(position);
    }
    let rest = path.length - 1;
    while (rest > 0 && compare(moved, items[path[rest]!]!) < 0) rest--;
    const smallest = items[0]!;
    for (let step = 0; step < rest; step++) items[path[step]!] = items[path[step + 1]!]!;
    items[path[rest]!] = moved;
    items.pop();
    return smallest;
  }

  clear(): void {
    this.items.length = 0;
  }
}
