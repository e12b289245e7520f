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
import { FlowControlProtocol } from "./flowcontrol.ts";
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
export class StreamReaderProtocol extends FlowControlProtocol {
  #reader: StreamReader | null;
  #clientConnected: ClientConnectedCallback | null;
  #overSsl = false;
  readonly #closed: Future<void>;

  constructor(reader: StreamReader, clientConnected: ClientConnectedCallback | null = null) {
    super(reader._loop);
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
    super.connectionLost(error);
    this.#reader = null;
  }

  dataReceived(data: Buffer): void {
    this.#reader?.feedData(data);
  }

  eofReceived(): boolean {
    this.#reader?.feedEof();
    // TLS has no half-close: let the transport close.
    return !this.#overSsl;
  }

  /** What `waitClosed()` waits on (FlowControlProtocol's abstract member). */
  override _closedFuture(): Future<void> {
    return this.#closed;
  }
}
