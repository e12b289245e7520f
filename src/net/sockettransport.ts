/**
 * SocketTransport: asyncio's stream transport (selector_events' _SelectorSocketTransport and
 * sslproto's transport) on a Node `net.Socket` or `tls.TLSSocket`, for TCP, Unix sockets and
 * TLS alike.
 *
 * Node's socket events call the protocol directly: 'data' → `dataReceived` (the Buffer is
 * handed on, never copied; a BufferedProtocol gets it copied into its own buffer), 'end' →
 * `eofReceived`, 'close' → `connectionLost`. Reading pauses with `socket.pause()`, which stops
 * reading from the kernel once Node's small readable buffer is full, so the peer is held back
 * by TCP flow control. Writes go straight to `socket.write`; Node's `writableLength` is the
 * write buffer, and the protocol's `pauseWriting`/`resumeWriting` follow the high and low
 * water marks (the completion callback of each write that can leave the buffer above the low
 * mark checks it).
 */

import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import { describeType } from "../core/coroutines.ts";
import { RuntimeError, ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";

import type { EventLoop } from "../core/loop.ts";
import { closeAtLoopClose, logger, releaseAtLoopClose } from "../core/lowlevel.ts";
import { OSError, osErrorFrom } from "./errors.ts";
import type { BufferedProtocol, Protocol } from "./protocols.ts";
import { callProtocol, type Transport } from "./transports.ts";

/** A protocol a stream transport can drive. */
export type StreamProtocol = Protocol | BufferedProtocol;

/** After this many writes to a lost connection, each further one logs a warning (as asyncio). */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

const EMPTY = Buffer.alloc(0);

/** What a transport tells the server that accepted it. */
export interface ConnectionOwner {
  _attach(transport: SocketTransport): void;
  _detach(transport: SocketTransport): void;
}

/**
 * A stream transport over a Node socket (TCP, Unix or TLS). Made by `loop.createConnection`,
 * `loop.createServer` and the stream functions; protocols receive it in `connectionMade`.
 *
 * @example
 * ```ts
 * const [transport, protocol] = yield* loop.createConnection(() => new MyProtocol(), "127.0.0.1", 8000);
 * transport.write("hello\n");
 * transport.close();
 * ```
 */
export class SocketTransport implements Transport {
  /** @internal */ readonly _loop: EventLoop;
  /** @internal */ _socket: Socket;
  #protocol: StreamProtocol;
  #buffered: boolean;
  #owner: ConnectionOwner | null;
  #extra: Record<string, unknown>;
  #closing = false;
  #lost = false;
  #eofWritten = false;
  #readingPaused = false;
  #protocolPaused = false;
  #highWater = 64 * 1024;
  #lowWater = 16 * 1024;
  #connLostWrites = 0;
  #error: unknown = null;
  /** @internal A pipe read from a child process: closing it cannot flush writes, only destroy. */
  _readOnly = false;

  /** @internal Use the loop's methods (`createConnection`, `createServer`) to get one. */
  constructor(
    loop: EventLoop,
    socket: Socket,
    protocol: StreamProtocol,
    extra: Record<string, unknown>,
    owner: ConnectionOwner | null,
  ) {
    this._loop = loop;
    this._socket = socket;
    this.#protocol = protocol;
    this.#buffered = typeof (protocol as BufferedProtocol).getBuffer === "function";
    this.#owner = owner;
    this.#extra = { ...socketInfo(socket), ...extra };
  }

  /** @internal Hooks the socket's events and calls `connectionMade` (not after start_tls). */
  _start(callConnectionMade = true): void {
    const socket = this._socket;
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
    closeAtLoopClose(this._loop, this);
    this.#owner?._attach(this);
    if (!callConnectionMade) return;
    try {
      this.#protocol.connectionMade(this);
    } catch (error) {
      this.#fatalError(error, "Fatal error: protocol.connectionMade() call failed.");
    }
  }

  /** @internal Unhooks the socket (start_tls hands it to a TLS socket); returns it. */
  _detach(): Socket {
    const socket = this._socket;
    socket.off("data", this.#onData);
    socket.off("end", this.#onEnd);
    socket.off("error", this.#onError);
    socket.off("close", this.#onClose);
    this.#closing = true;
    this.#lost = true;
    releaseAtLoopClose(this._loop, this);
    this.#owner?._detach(this);
    this.#owner = null;
    return socket;
  }

  /**
   * @internal The loop closes with the connection open: close it (buffered data is still
   * flushed) without letting the socket keep Node alive.
   */
  _closeAtLoopClose(): void {
    this.close();
    this._socket.unref();
  }

  /** @internal The owner (a Server) that the TLS transport replacing this one inherits. */
  _owner(): ConnectionOwner | null {
    return this.#owner;
  }

  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    if (name === "socket") return this._socket;
    const socket = this._socket;
    if (socket instanceof TLSSocket) {
      if (name === "sslObject") return socket;
      if (name === "peercert") return socket.getPeerCertificate();
      if (name === "cipher") return socket.getCipher();
      if (name === "alpnProtocol") return socket.alpnProtocol;
    }
    return name in this.#extra ? this.#extra[name] : defaultValue;
  }

  isClosing(): boolean {
    return this.#closing;
  }

  getProtocol(): StreamProtocol {
    return this.#protocol;
  }

  setProtocol(protocol: StreamProtocol): void {
    this.#protocol = protocol;
    this.#buffered = typeof (protocol as BufferedProtocol).getBuffer === "function";
  }

  isReading(): boolean {
    return !this.#readingPaused && !this.#closing;
  }

  pauseReading(): void {
    if (this.#closing || this.#readingPaused) return;
    this.#readingPaused = true;
    this._socket.pause();
  }

  resumeReading(): void {
    if (this.#closing || !this.#readingPaused) return;
    this.#readingPaused = false;
    this._socket.resume();
  }

  write(data: Uint8Array | string): void {
    if (typeof data !== "string" && !(data instanceof Uint8Array)) {
      throw new TypeError(
        `write() takes a Uint8Array/Buffer or a string, got ${describeType(data)}`,
      );
    }
    if (this.#eofWritten) throw new RuntimeError("Cannot call write() after writeEof()");
    if (data.length === 0) return;
    if (this.#closing) {
      if (this.#connLostWrites >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        logger.warning("socket.send() raised exception: the transport is closed, data dropped.");
      }
      this.#connLostWrites++;
      return;
    }
    const socket = this._socket;
    // Only a completion that can bring the buffer down to the low mark needs watching: every
    // write while paused, and any write that leaves more than the low mark buffered. A small
    // write to an idle socket completes with no callback, which spares Node a nextTick and an
    // allocation per write.
    if (this.#protocolPaused || socket.writableLength + data.length > this.#lowWater) {
      socket.write(data, this.#afterWrite);
    } else {
      socket.write(data);
    }
    if (!this.#protocolPaused && socket.writableLength > this.#highWater) this.#pauseProtocol();
  }

  writelines(data: Iterable<Uint8Array | string>): void {
    // Every item is checked before any is written, so a refused call writes nothing.
    if (
      data === null ||
      typeof (data as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function"
    ) {
      throw new TypeError(
        `writelines() takes an iterable of Uint8Array/Buffer or strings, got ${describeType(data)}`,
      );
    }
    const items = Array.from(data);
    for (const item of items) {
      if (typeof item !== "string" && !(item instanceof Uint8Array)) {
        throw new TypeError(
          `writelines() takes an iterable of Uint8Array/Buffer or strings, got an item ${describeType(item)}`,
        );
      }
    }
    for (const item of items) this.write(item);
  }

  writeEof(): void {
    if (this.#closing || this.#eofWritten) return;
    if (!this.canWriteEof()) {
      throw new RuntimeError("writeEof() is not supported on a TLS transport: use close()");
    }
    this.#eofWritten = true;
    this._socket.end();
  }

  canWriteEof(): boolean {
    return !(this._socket instanceof TLSSocket);
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    const socket = this._socket;
    socket.pause();
    if (socket.destroyed) return;
    if (this._readOnly) {
      socket.destroy();
      return;
    }
    if (!socket.writableEnded) socket.end();
    if (socket.writableFinished) socket.destroy();
    else socket.once("finish", () => socket.destroy());
  }

  abort(): void {
    this.#closing = true;
    this._socket.destroy();
  }

  getWriteBufferSize(): number {
    return this._socket.writableLength;
  }

  getWriteBufferLimits(): [low: number, high: number] {
    return [this.#lowWater, this.#highWater];
  }

  setWriteBufferLimits(high?: number, low?: number): void {
    if (high === undefined) high = low === undefined ? 64 * 1024 : 4 * low;
    if (low === undefined) low = Math.floor(high / 4);
    if (!(high >= low && low >= 0)) {
      throw new ValueError(
        `high (${formatValue(high)}) must be >= low (${formatValue(low)}) must be >= 0`,
      );
    }
    this.#highWater = high;
    this.#lowWater = low;
    const socket = this._socket;
    if (!this.#protocolPaused && socket.writableLength > high) {
      this.#pauseProtocol();
      // The writes already buffered may have gone without a completion callback: an empty write
      // (or, after the EOF, the end of the stream) completes after them and resumes the protocol.
      if (!socket.writableEnded) socket.write(EMPTY, this.#afterWrite);
      else socket.once("finish", this.#afterWrite);
    }
  }

  toString(): string {
    const parts = ["SocketTransport"];
    const peer = this.#extra.peername;
    if (Array.isArray(peer)) parts.push(`peer=${peer[0]}:${peer[1]}`);
    else if (typeof this.#extra.sockname === "string") parts.push(`path=${this.#extra.sockname}`);
    if (this.#lost) parts.push("closed");
    else if (this.#closing) parts.push("closing");
    else parts.push(this.#readingPaused ? "read=paused" : "read=polling");
    parts.push(`bufsize=${this._socket.writableLength}`);
    if (this.#protocolPaused) parts.push("write=paused");
    return `<${parts.join(" ")}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  #onData = (chunk: Buffer): void => {
    if (this.#closing) return;
    // A task this wakes runs after the batch of events libuv is delivering (the loop's wakeup
    // is one setImmediate for them all), as asyncio runs the callbacks of one select() and then
    // what they made ready. Running the loop inside each 'data' event instead interleaves
    // writes with the batch's reads: 6% fewer echo round-trips per CPU-second with 50
    // connections, and half the throughput of a bulk transfer.
    try {
      if (this.#buffered) feedBuffered(this.#protocol as BufferedProtocol, chunk);
      else (this.#protocol as Protocol).dataReceived(chunk);
    } catch (error) {
      this.#fatalError(error, "Fatal error: protocol.dataReceived() call failed.");
    }
  };

  #onEnd = (): void => {
    if (this.#closing) return;
    let keepOpen: unknown;
    try {
      keepOpen = this.#protocol.eofReceived();
    } catch (error) {
      this.#fatalError(error, "Fatal error: protocol.eofReceived() call failed.");
      return;
    }
    if (!keepOpen || this.#eofWritten) this.close();
  };

  #onError = (error: Error): void => {
    if (this.#error === null) this.#error = osErrorFrom(error);
  };

  #onClose = (): void => {
    if (this.#lost) return;
    this.#lost = true;
    this.#closing = true;
    releaseAtLoopClose(this._loop, this);
    this.#owner?._detach(this);
    callProtocol(this._loop, this, "connectionLost", () =>
      this.#protocol.connectionLost(this.#error),
    );
  };

  #afterWrite = (error?: Error | null): void => {
    if (error) return;
    if (this.#protocolPaused && this._socket.writableLength <= this.#lowWater) {
      this.#protocolPaused = false;
      try {
        this.#protocol.resumeWriting();
      } catch (exception) {
        this._loop.callExceptionHandler({
          message: "protocol.resumeWriting() failed",
          exception,
          transport: this,
          protocol: this.#protocol,
        });
      }
    }
  };

  #pauseProtocol(): void {
    this.#protocolPaused = true;
    try {
      this.#protocol.pauseWriting();
    } catch (exception) {
      this._loop.callExceptionHandler({
        message: "protocol.pauseWriting() failed",
        exception,
        transport: this,
        protocol: this.#protocol,
      });
    }
  }

  /** A protocol callback threw: report it (unless it is an OS error) and abort. */
  #fatalError(error: unknown, message: string): void {
    if (!(error instanceof OSError)) {
      this._loop.callExceptionHandler({
        message,
        exception: error,
        transport: this,
        protocol: this.#protocol,
      });
    }
    if (this.#error === null) this.#error = error;
    this.abort();
  }
}

/** Copies `data` into the buffers a BufferedProtocol hands out (asyncio's _feed_data_to_buffered_proto). */
function feedBuffered(protocol: BufferedProtocol, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    const remaining = data.length - offset;
    const buffer = protocol.getBuffer(remaining);
    if (buffer.length === 0) throw new RuntimeError("getBuffer() returned an empty buffer");
    const count = Math.min(buffer.length, remaining);
    buffer.set(data.subarray(offset, offset + count));
    offset += count;
    protocol.bufferUpdated(count);
  }
}

/** The addresses of a TCP socket, as asyncio's extra info has them (Unix sockets pass theirs). */
function socketInfo(socket: Socket): Record<string, unknown> {
  if (socket.remotePort === undefined) return {};
  return {
    peername: [socket.remoteAddress, socket.remotePort],
    sockname: [socket.localAddress, socket.localPort],
  };
}
