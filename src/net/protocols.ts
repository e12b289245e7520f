/**
 * Protocols (asyncio/protocols.py): the callback interfaces a transport calls. Extend one and
 * override what you need; the defaults do nothing. `Protocol` receives a byte stream,
 * `BufferedProtocol` lets you supply the buffer the bytes are copied into, `DatagramProtocol`
 * receives UDP datagrams, `SubprocessProtocol` a child process's pipes and exit.
 *
 * Transports call these methods from Node's I/O callbacks, between loop iterations; a method
 * that throws is reported through the loop's exception handler and the transport is aborted.
 */

import type {
  BaseTransport,
  DatagramTransport,
  SubprocessTransport,
  Transport,
} from "./transports.ts";

/**
 * Callbacks every protocol has: the connection is made, lost, and write flow control.
 *
 * @example
 * ```ts
 * class Tracker extends asyncio.BaseProtocol {
 *   override connectionLost(error: unknown) { console.log("lost", error); }
 * }
 * ```
 */
export class BaseProtocol {
  /** The transport is ready: keep it to write. Called once, first. */
  connectionMade(_transport: BaseTransport): void {}

  /** The connection is closed: `error` is null for a normal close (EOF or `close()`). Called once, last. */
  connectionLost(_error: unknown): void {}

  /** The transport's write buffer passed its high-water mark: stop writing for now. */
  pauseWriting(): void {}

  /** The write buffer drained to its low-water mark: writing may go on. */
  resumeWriting(): void {}
}

/**
 * A stream protocol: bytes arrive in `dataReceived`, the peer's end of writing in
 * `eofReceived`.
 *
 * @example
 * ```ts
 * class Echo extends asyncio.Protocol {
 *   transport!: asyncio.Transport;
 *   override connectionMade(transport: asyncio.Transport) { this.transport = transport; }
 *   override dataReceived(data: Buffer) { this.transport.write(data); }
 * }
 * const server = yield* loop.createServer(() => new Echo(), "127.0.0.1", 0);
 * ```
 */
export class Protocol extends BaseProtocol {
  override connectionMade(_transport: Transport): void {}

  /** Some bytes arrived. The Buffer is the protocol's to keep (it is not reused). */
  dataReceived(_data: Buffer): void {}

  /**
   * The peer will send no more. Return true to keep the connection open for writing (a
   * half-close); anything else closes the transport.
   */
  eofReceived(): boolean | undefined | void {
    return undefined;
  }
}

/**
 * A stream protocol that supplies its own receive buffer: `getBuffer(sizeHint)` returns the
 * memory to fill, `bufferUpdated(n)` says how many bytes were written into it.
 *
 * @example
 * ```ts
 * class Counter extends asyncio.BufferedProtocol {
 *   buffer = Buffer.alloc(65536);
 *   total = 0;
 *   override getBuffer() { return this.buffer; }
 *   override bufferUpdated(n: number) { this.total += n; }
 * }
 * ```
 */
export class BufferedProtocol extends BaseProtocol {
  override connectionMade(_transport: Transport): void {}

  /** The buffer to receive into; `sizeHint` is how many bytes are waiting (a hint only). */
  getBuffer(_sizeHint: number): Uint8Array {
    return new Uint8Array(0);
  }

  /** `nbytes` bytes were written to the start of the buffer `getBuffer()` returned. */
  bufferUpdated(_nbytes: number): void {}

  /** As {@link Protocol.eofReceived}. */
  eofReceived(): boolean | undefined | void {
    return undefined;
  }
}

/** A UDP peer address: `[host, port]`. */
export type DatagramAddress = [host: string, port: number];

/**
 * A UDP protocol: each datagram arrives whole in `datagramReceived`.
 *
 * @example
 * ```ts
 * class EchoUdp extends asyncio.DatagramProtocol {
 *   transport!: asyncio.DatagramTransport;
 *   override connectionMade(t: asyncio.DatagramTransport) { this.transport = t; }
 *   override datagramReceived(data: Buffer, addr: asyncio.DatagramAddress) { this.transport.sendto(data, addr); }
 * }
 * ```
 */
export class DatagramProtocol extends BaseProtocol {
  override connectionMade(_transport: DatagramTransport): void {}

  /** A datagram arrived from `addr`. */
  datagramReceived(_data: Buffer, _addr: DatagramAddress): void {}

  /** A send or receive failed (for example ICMP port unreachable); the endpoint stays open. */
  errorReceived(_error: unknown): void {}
}

/**
 * A child process protocol: its pipes' output, their closing, and its exit.
 *
 * @example
 * ```ts
 * class Collect extends asyncio.SubprocessProtocol {
 *   out: Buffer[] = [];
 *   override pipeDataReceived(fd: number, data: Buffer) { if (fd === 1) this.out.push(data); }
 * }
 * ```
 */
export class SubprocessProtocol extends BaseProtocol {
  override connectionMade(_transport: SubprocessTransport): void {}

  /** The child wrote `data` to its stdout (`fd` 1) or stderr (`fd` 2). */
  pipeDataReceived(_fd: number, _data: Buffer): void {}

  /** One of the child's pipes closed (`fd` 0, 1 or 2). */
  pipeConnectionLost(_fd: number, _error: unknown): void {}

  /** The child exited; its pipes may still be open (a grandchild can hold them). */
  processExited(): void {}
}
