/**
 * Deque: a double-ended ring buffer. The loop's ready queue is one; in src/sync, locks, events
 * and semaphores keep their waiter futures in one, queues keep their items (and their getters
 * and putters) in one. The capacity is a power of two, so pushing and shifting is an index mask:
 * no array copies, no allocation once the buffer has grown. A buffer that drained after a burst
 * gives its memory back.
 */

/** Capacity of the first buffer a deque allocates (it allocates nothing until first used). */
const FIRST_CAPACITY = 4;

/** Buffers at most this large never shrink: shrinking them would cost more than it saves. */
const KEEP_CAPACITY = 1024;

/** A FIFO/LIFO ring buffer (public through `lowlevel`). */
export class Deque<T> {
  #items: (T | undefined)[] = [];
  #mask = 0;
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Appends at the tail. */
  push(item: T): void {
    if (this.#length === this.#items.length)
      this.#resize(Math.max(FIRST_CAPACITY, this.#length * 2));
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Removes and returns the head; the caller checks `length` first. */
  shift(): T {
    const items = this.#items;
    const head = this.#head;
    const item = items[head] as T;
    items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    if (--this.#length < items.length >>> 3 && items.length > KEEP_CAPACITY) this.#shrink();
    return item;
  }

  /** Removes and returns the tail; the caller checks `length` first. */
  pop(): T {
    const items = this.#items;
    const index = (this.#head + --this.#length) & this.#mask;
    const item = items[index] as T;
    items[index] = undefined;
    if (this.#length < items.length >>> 3 && items.length > KEEP_CAPACITY) this.#shrink();
    return item;
  }

  /** The item at `index` from the head (0 is the head); the caller checks the bound. */
  at(index: number): T {
    return this.#items[(this.#head + index) & this.#mask] as T;
  }

  /** Removes the first occurrence of `item`; true if it was there. */
  remove(item: T): boolean {
    const length = this.#length;
    const items = this.#items;
    const mask = this.#mask;
    const head = this.#head;
    for (let index = 0; index < length; index++) {
      if (items[(head + index) & mask] !== item) continue;
      if (index === 0) {
        this.shift();
        return true;
      }
      for (let later = index + 1; later < length; later++) {
        items[(head + later - 1) & mask] = items[(head + later) & mask];
      }
      items[(head + length - 1) & mask] = undefined;
      this.#length = length - 1;
      return true;
    }
    return false;
  }

  /** Drops every item (the buffer is kept). */
  clear(): void {
    const items = this.#items;
    for (let index = 0; index < this.#length; index++) {
      items[(this.#head + index) & this.#mask] = undefined;
    }
    this.#head = 0;
    this.#length = 0;
  }

  /** The items from head to tail, for reports. */
  toArray(): T[] {
    const out: T[] = [];
    for (let index = 0; index < this.#length; index++) out.push(this.at(index));
    return out;
  }

  #shrink(): void {
    this.#resize(this.#items.length >>> 1);
  }

  #resize(capacity: number): void {
    const old = this.#items;
    const items: (T | undefined)[] = new Array(capacity);
    for (let index = 0; index < this.#length; index++) {
      items[index] = old[(this.#head + index) & this.#mask];
    }
    this.#items = items;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
