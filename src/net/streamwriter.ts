/**
 * StreamWriter (asyncio/streams.py): the writing end of a connection. `write` queues bytes
 * and never blocks; `drain` is where a writer waits when the peer reads slower than it
 * writes, so memory stays bounded. It is also a context manager: leaving it closes the
 * connection and waits until it is closed.
 */

import type { Awaitable, Coro } from "../core/coroutines.ts";
import { RuntimeError, rethrowIfCancelled } from "../core/exceptions.ts";
import { inspectSymbol } from "../core/format.ts";
import type { EventLoop } from "../core/loop.ts";
import { COMPLETED } from "../core/lowlevel.ts";
import { checkOptions } from "../core/validate.ts";
import type { FlowControlProtocol } from "./flowcontrol.ts";
import type { StreamReaderProtocol } from "./streamprotocol.ts";
import type { StreamReader } from "./streamreader.ts";
import { type SSLContext, startTls } from "./tls.ts";
import type { Transport } from "./transports.ts";

const WRITER_START_TLS_OPTIONS = ["serverHostname", "sslHandshakeTimeout"] as const;

/**
 * The writing end of a connection.
 *
 * @example
 * ```ts
 * const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", 8888);
 * writer.write("hello\n");
 * yield* writer.drain();
 * writer.close();
 * yield* writer.waitClosed();
 * ```
 */
export class StreamWriter {
  #transport: Transport;
  readonly #protocol: FlowControlProtocol;
  readonly #reader: StreamReader | null;
  /** @internal */ readonly _loop: EventLoop;

  constructor(transport: Transport, protocol: FlowControlProtocol, reader: StreamReader | null) {
    this.#transport = transport;
    this.#protocol = protocol;
    this.#reader = reader;
    this._loop = protocol._loop;
  }

  /** The transport underneath. */
  get transport(): Transport {
    return this.#transport;
  }

  /** Queues `data` (a string is sent as UTF-8). Follow a burst of writes with `drain()`. */
  write(data: Uint8Array | string): void {
    this.#transport.write(data);
  }

  /** Queues each item of `data`. */
  writelines(data: Iterable<Uint8Array | string>): void {
    this.#transport.writelines(data);
  }

  /** Closes the write side once the buffer is flushed; the peer reads EOF (TCP and Unix only). */
  writeEof(): void {
    this.#transport.writeEof();
  }

  canWriteEof(): boolean {
    return this.#transport.canWriteEof();
  }

  /** Closes the connection once the buffer is flushed; `waitClosed()` waits for that. */
  close(): void {
    this.#transport.close();
  }

  isClosing(): boolean {
    return this.#transport.isClosing();
  }

  /**
   * Waits until the connection is closed; throws the error it was lost with, if any.
   *
   * Cancel safety: only the wait ends; closing goes on.
   */
  *waitClosed(): Awaitable<void> {
    yield* this.#protocol._closedFuture();
  }

  /** See {@link BaseTransport.getExtraInfo}: `"peername"`, `"sockname"`, `"socket"`, `"sslObject"` … */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return this.#transport.getExtraInfo(name, defaultValue);
  }

  /**
   * Waits while the write buffer is above its high-water mark (64 KiB by default), until it
   * drains to the low-water mark. Throws the connection's error once it is lost
   * (ConnectionResetError when it was closed); after `close()` it waits until the connection is
   * gone and throws ConnectionResetError.
   *
   * Cancel safety: safe; the data stays queued and is still sent.
   *
   * @example
   * ```ts
   * for (const chunk of chunks) {
   *   writer.write(chunk);
   *   yield* writer.drain();   // a slow peer holds us here, not in memory
   * }
   * ```
   */
  drain(): Awaitable<void> {
    return this.#drain;
  }

  /**
   * What `yield*` on `drain()` runs, decided when it starts (as a coroutine's first step would
   * be): nothing to wait for or report, the common case after a write, completes at once with
   * no allocation; otherwise a generator waits (or throws).
   */
  readonly #drain: Awaitable<void> = {
    [Symbol.iterator]: () => (this.#mustWait() ? this.#drainSlow() : COMPLETED),
  };

  #mustWait(): boolean {
    return (
      (this.#reader !== null && this.#reader.exception() !== null) ||
      this.#transport.isClosing() ||
      this.#protocol._drainBlocked()
    );
  }

  *#drainSlow(): Coro<void> {
    if (this.#reader !== null) {
      const error = this.#reader.exception();
      if (error !== null) throw error;
    }
    if (this.#transport.isClosing()) {
      // After close() nothing more is sent: wait until the connection is gone (the buffer is
      // flushed or dropped), so that drain() reports it with ConnectionResetError as asyncio's
      // does, instead of returning while later writes are dropped.
      try {
        yield* this.#protocol._closedFuture();
      } catch (error) {
        rethrowIfCancelled(error);
      }
    }
    yield* this.#protocol._drainHelper();
  }

  /**
   * Upgrades the connection to TLS in place (STARTTLS); reads and writes go through TLS from
   * then on. A server's streams take the server side of the handshake.
   *
   * Cancel safety: cancelling during the handshake closes the connection.
   *
   * @example
   * ```ts
   * writer.write("STARTTLS\r\n");
   * yield* writer.startTls({ ca }, { serverHostname: "mail.test" });
   * ```
   */
  *startTls(
    sslcontext: SSLContext | true,
    options: { serverHostname?: string; sslHandshakeTimeout?: number } = {},
  ): Awaitable<void> {
    checkOptions(options, "startTls()", WRITER_START_TLS_OPTIONS);
    const protocol = this.#protocol;
    if (!isStreamReaderProtocol(protocol)) {
      throw new RuntimeError("startTls() works on connection streams, not on subprocess pipes");
    }
    yield* this.drain();
    const upgraded = yield* startTls.call(this._loop, this.#transport, protocol, sslcontext, {
      ...options,
      serverSide: protocol._isServerSide(),
    });
    this.#transport = upgraded;
    protocol._replaceTransport(upgraded);
  }

  /** Context manager entry: the writer itself. */
  *aenter(): Awaitable<StreamWriter> {
    return this;
  }

  /** Context manager exit: closes and waits until closed (errors of the close are not raised). */
  *aexit(_error?: unknown): Awaitable<boolean> {
    this.close();
    try {
      yield* this.waitClosed();
    } catch (error) {
      rethrowIfCancelled(error);
    }
    return false;
  }

  toString(): string {
    const reader = this.#reader === null ? "" : ` reader=${this.#reader}`;
    return `<StreamWriter transport=${this.#transport}${reader}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** A StreamReaderProtocol, told by its method (importing the class would make an import cycle). */
function isStreamReaderProtocol(protocol: unknown): protocol is StreamReaderProtocol {
  return typeof (protocol as Partial<StreamReaderProtocol>)._replaceTransport === "function";
}
