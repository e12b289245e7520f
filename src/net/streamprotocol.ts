/**
 * StreamReaderProtocol (asyncio/streams.py, with its FlowControlMixin): the Protocol that
 * connects a transport to a StreamReader and a StreamWriter. It feeds received bytes to the
 * reader, wakes `drain()` when the transport's write buffer falls below its low-water mark,
 * and, on a server, runs the client-connected callback (as a task when it is a coroutine
 * function).
 */

import type { Coro } from "../core/coroutines.ts";
import { isCoroutine } from "../core/coroutines.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import { ConnectionResetError } from "./errors.ts";
import { Protocol } from "./protocols.ts";
import type { StreamReader } from "./streamreader.ts";
import { StreamWriter } from "./streamwriter.ts";
import type { Transport } from "./transports.ts";

/** What a server calls for each connection: a coroutine function (run as a task) or a plain one. */
export type ClientConnectedCallback = (
  reader: StreamReader,
  writer: StreamWriter,
) => Coro<unknown> | unknown;

/**
 * The protocol behind the stream functions. Use it with `loop.createConnection` to get
 * streams over a transport you create yourself.
 *
 * @example
 * ```ts
 * const reader = new asyncio.StreamReader();
 * const [transport, protocol] = yield* loop.createConnection(
 *   () => new asyncio.StreamReaderProtocol(reader), "127.0.0.1", 8888);
 * const writer = new asyncio.StreamWriter(transport, protocol, reader);
 * ```
 */
export class StreamReaderProtocol extends Protocol {
  /** @internal */ readonly _loop: EventLoop;
  #reader: StreamReader | null;
  #clientConnected: ClientConnectedCallback | null;
  #overSsl = false;
  #paused = false;
  #drainWaiters: Future<void>[] = [];
  #connectionLost = false;
  readonly #closed: Future<void>;

  constructor(reader: StreamReader, clientConnected: ClientConnectedCallback | null = null) {
    super();
    this._loop = reader._loop;
    this.#reader = reader;
    this.#clientConnected = clientConnected;
    this.#closed = this._loop.createFuture<void>();
  }

  /** @internal A server's streams run the client-connected callback; clients do not. */
  _isServerSide(): boolean {
    return this.#clientConnected !== null;
  }

  /** @internal start_tls swapped the transport. */
  _replaceTransport(transport: Transport): void {
    this.#overSsl = transport.getExtraInfo("sslcontext") !== null;
  }

  override connectionMade(transport: Transport): void {
    const reader = this.#reader;
    if (reader !== null) reader.setTransport(transport);
    this.#overSsl = transport.getExtraInfo("sslcontext") !== null;
    const callback = this.#clientConnected;
    if (callback === null) return;
    const writer = new StreamWriter(transport, this, reader);
    const result = callback(reader!, writer);
    if (!isCoroutine(result)) return;
    const loop = this._loop;
    const task = loop.createTask(result);
    task.addDoneCallback(() => {
      if (task.cancelled()) {
        transport.close();
        return;
      }
      const exception = task.exception();
      if (exception !== null) {
        loop.callExceptionHandler({
          message: "Unhandled exception in client_connected_cb",
          exception,
          transport,
        });
        transport.close();
      }
    });
  }

  override connectionLost(error: unknown): void {
    const reader = this.#reader;
    if (reader !== null) {
      if (error === null || error === undefined) reader.feedEof();
      else reader.setException(error);
    }
    if (!this.#closed.done()) {
      if (error === null || error === undefined) this.#closed.setResult(undefined);
      else {
        this.#closed.setException(error);
        // The error reaches readers and drain(); waitClosed() need not be awaited to see it.
        this.#closed.exception();
      }
    }
    this.#connectionLost = true;
    if (this.#paused) {
      for (const waiter of this.#drainWaiters) {
        if (waiter.done()) continue;
        if (error === null || error === undefined) waiter.setResult(undefined);
        else waiter.setException(error);
      }
    }
    this.#reader = null;
  }

  override dataReceived(data: Buffer): void {
    this.#reader?.feedData(data);
  }

  override eofReceived(): boolean {
    this.#reader?.feedEof();
    // TLS has no half-close: let the transport close.
    return !this.#overSsl;
  }

  override pauseWriting(): void {
    this.#paused = true;
  }

  override resumeWriting(): void {
    this.#paused = false;
    for (const waiter of this.#drainWaiters) if (!waiter.done()) waiter.setResult(undefined);
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

  /** @internal What `waitClosed()` waits on. */
  _closedFuture(): Future<void> {
    return this.#closed;
  }
}
