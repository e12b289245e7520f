/**
 * FlowControlProtocol (asyncio's streams.FlowControlMixin): the write flow control behind
 * `StreamWriter.drain()`. The transport calls `pauseWriting` when its buffer passes the
 * high-water mark and `resumeWriting` when it falls to the low one; `drain()` waits in
 * between. StreamReaderProtocol and the subprocess stream protocol build on it.
 */

import type { Coro } from "../core/coroutines.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import { ConnectionResetError } from "./errors.ts";
import { BaseProtocol } from "./protocols.ts";

/**
 * A protocol with the write flow control a StreamWriter needs. Subclasses that override
 * `pauseWriting`, `resumeWriting` or `connectionLost` call the base method.
 *
 * @example
 * ```ts
 * class Mine extends asyncio.FlowControlProtocol {
 *   override _closedFuture() { return this.closed; }
 *   closed = asyncio.getRunningLoop().createFuture<void>();
 * }
 * ```
 */
export abstract class FlowControlProtocol extends BaseProtocol {
  /** @internal */ readonly _loop: EventLoop;
  #paused = false;
  #drainWaiters: Future<void>[] = [];
  #connectionLost = false;

  constructor(loop: EventLoop) {
    super();
    this._loop = loop;
  }

  override pauseWriting(): void {
    this.#paused = true;
  }

  override resumeWriting(): void {
    this.#paused = false;
    for (const waiter of this.#drainWaiters) if (!waiter.done()) waiter.setResult(undefined);
  }

  override connectionLost(error: unknown): void {
    this.#connectionLost = true;
    if (!this.#paused) return;
    for (const waiter of this.#drainWaiters) {
      if (waiter.done()) continue;
      if (error === null || error === undefined) waiter.setResult(undefined);
      else waiter.setException(error);
    }
  }

  /** @internal True when `drain()` must wait (writing is paused) or fail (the connection is lost). */
  _drainBlocked(): boolean {
    return this.#paused || this.#connectionLost;
  }

  /** @internal What `drain()` waits on: the write buffer back under its low-water mark. */
  *_drainHelper(): Coro<void> {
    if (this.#connectionLost) throw new ConnectionResetError("Connection lost");
    if (!this.#paused) return;
    const waiter = this._loop.createFuture<void>();
    this.#drainWaiters.push(waiter);
    try {
      yield* waiter;
    } finally {
      const index = this.#drainWaiters.indexOf(waiter);
      if (index >= 0) this.#drainWaiters.splice(index, 1);
    }
  }

  /** What `StreamWriter.waitClosed()` waits on; subclasses implement it, so it is published. */
  abstract _closedFuture(): Future<void>;
}
