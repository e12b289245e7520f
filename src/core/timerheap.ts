/**
 * The loop's scheduled timers: a 4-ary min-heap ordered by deadline, then by the order the
 * timers were scheduled (so timers with equal deadlines run first-scheduled-first). Cancelled
 * timers stay in the heap until they reach the top or until most of the heap is cancelled,
 * when it is rebuilt without them (asyncio's lazy deletion).
 */

/** What the heap holds: a TimerHandle or a timer future (`sleep`). */
export interface Timer {
  /** Deadline, in loop time. */
  _when: number;
  /** Scheduling order, the tie-break for equal deadlines. */
  _seq: number;
  /** True once cancelled: the heap drops it lazily. */
  _cancelled: boolean;
  /** True while in the heap (a timer cancelled after leaving it is not counted as cancelled). */
  _scheduled: boolean;
  _run(): void;
}

/** Children per node: a 4-ary heap is half as deep as a binary one, and its siblings share cache lines. */
const ARITY = 4;

function before(a: Timer, b: Timer): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

export class TimerHeap {
  #heap: Timer[] = [];
  /** How many timers in the heap are cancelled. */
  cancelledCount = 0;

  get length(): number {
    return this.#heap.length;
  }

  /** The earliest deadline (Infinity when empty). */
  peekWhen(): number {
    const top = this.#heap[0];
    return top === undefined ? Number.POSITIVE_INFINITY : top._when;
  }

  /** The earliest timer, cancelled or not. */
  peek(): Timer | undefined {
    return this.#heap[0];
  }

  push(timer: Timer): void {
    const heap = this.#heap;
    let index = heap.length;
    heap.push(timer);
    while (index > 0) {
      const parent = (index - 1) >> 2;
      const above = heap[parent]!;
      if (!before(timer, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = timer;
  }

  pop(): Timer {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) this.#siftDown(last, 0);
    if (top._cancelled) this.cancelledCount--;
    return top;
  }

  /** Drops cancelled timers from the top so `peek()` is the next live one. */
  dropCancelledHead(): void {
    const heap = this.#heap;
    while (heap.length > 0 && heap[0]!._cancelled) this.pop();
  }

  /** Rebuilds the heap without its cancelled timers. */
  compact(): void {
    const live = this.#heap.filter((timer) => !timer._cancelled);
    this.#heap = live;
    this.cancelledCount = 0;
    for (let index = (live.length - 2) >> 2; index >= 0; index--) {
      this.#siftDown(live[index]!, index);
    }
  }

  clear(): void {
    this.#heap = [];
    this.cancelledCount = 0;
  }

  #siftDown(timer: Timer, index: number): void {
    const heap = this.#heap;
    const length = heap.length;
    for (;;) {
      const first = ARITY * index + 1;
      if (first >= length) break;
      let child = first;
      let earliest = heap[first]!;
      const end = Math.min(first + ARITY, length);
      for (let sibling = first + 1; sibling < end; sibling++) {
        const candidate = heap[sibling]!;
        if (before(candidate, earliest)) {
          child = sibling;
          earliest = candidate;
        }
      }
      if (!before(earliest, timer)) break;
      heap[index] = earliest;
      index = child;
    }
    heap[index] = timer;
  }
}
