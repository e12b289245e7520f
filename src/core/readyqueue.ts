/**
 * The loop's ready queue: a FIFO ring buffer whose capacity is a power of two, so a push or a
 * shift is an index mask, never an array copy. It holds anything with a `_run()` method
 * (callback Handles, timer futures and Tasks) so waking a task allocates nothing.
 */

/** What the ready queue runs: a callback Handle, a Task to step, a timer to fire. */
export interface Runnable {
  _run(): void;
}

export class ReadyQueue {
  #items: (Runnable | undefined)[] = new Array(1024);
  #mask = 1023;
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(item: Runnable): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Removes and returns the oldest item; the caller checks `length` first. */
  shift(): Runnable {
    const items = this.#items;
    const head = this.#head;
    const item = items[head]!;
    items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.#length--;
    return item;
  }

  clear(): void {
    this.#items = new Array(1024);
    this.#mask = 1023;
    this.#head = 0;
    this.#length = 0;
  }

  /** The items in queue order, for reports. */
  toArray(): Runnable[] {
    const out: Runnable[] = [];
    for (let i = 0; i < this.#length; i++) out.push(this.#items[(this.#head + i) & this.#mask]!);
    return out;
  }

  #grow(): void {
    const old = this.#items;
    const capacity = old.length * 2;
    const items: (Runnable | undefined)[] = new Array(capacity);
    for (let i = 0; i < this.#length; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
