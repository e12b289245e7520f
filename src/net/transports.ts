/**
 * Transport interfaces (asyncio/transports.py): what protocols are given to write with. The
 * concrete transports are SocketTransport (TCP, Unix, TLS), DatagramEndpoint (UDP) and the
 * subprocess transports; users meet them through these types. They share `callProtocol`.
 */

import type { EventLoop } from "../core/loop.ts";
import type { DatagramAddress } from "./protocols.ts";

/** What every transport has. */
export interface BaseTransport {
  /**
   * Details of the connection: `"peername"`, `"sockname"`, `"socket"` (the Node socket),
   * `"sslObject"`/`"peercert"`/`"cipher"` for TLS, `"pipe"`, `"subprocess"`.
   */
  getExtraInfo(name: string, defaultValue?: unknown): unknown;
  /** True once `close()` or `abort()` was called, or the connection was lost. */
  isClosing(): boolean;
  /** Closes after the write buffer is flushed; the protocol's `connectionLost(null)` follows. */
  close(): void;
  /** The protocol this transport calls. */
  getProtocol(): unknown;
  /** Routes further callbacks to `protocol`. */
  setProtocol(protocol: unknown): void;
}

/** The reading half of a stream transport. */
export interface ReadTransport extends BaseTransport {
  /** False while reading is paused. */
  isReading(): boolean;
  /** Stops delivering data until `resumeReading()` (the peer is held back by TCP flow control). */
  pauseReading(): void;
  /** Delivers data again. */
  resumeReading(): void;
}

/** The writing half of a stream transport. */
export interface WriteTransport extends BaseTransport {
  /** Queues bytes (a string is sent as UTF-8); never blocks. */
  write(data: Uint8Array | string): void;
  /** Writes each item in turn. */
  writelines(data: Iterable<Uint8Array | string>): void;
  /** Closes the write side after the buffer is flushed (a TCP half-close). */
  writeEof(): void;
  /** True when `writeEof()` is supported (TCP and Unix sockets, not TLS). */
  canWriteEof(): boolean;
  /** Closes at once, dropping the write buffer; `connectionLost(null)` follows. */
  abort(): void;
  /** Bytes queued and not yet handed to the kernel. */
  getWriteBufferSize(): number;
  /** `[low, high]`: the protocol is paused above high and resumed at or below low. */
  getWriteBufferLimits(): [low: number, high: number];
  /** Sets the write flow-control marks (default high 64 KiB, low high/4). */
  setWriteBufferLimits(high?: number, low?: number): void;
}

/** A bidirectional stream transport. */
export interface Transport extends ReadTransport, WriteTransport {}

/** A UDP endpoint. */
export interface DatagramTransport extends BaseTransport {
  /** Sends one datagram to `addr` (or to the connected peer when `addr` is omitted). */
  sendto(data: Uint8Array | string, addr?: DatagramAddress): void;
  /** Closes at once. */
  abort(): void;
  /** Bytes queued in Node and not yet sent. */
  getWriteBufferSize(): number;
}

/** A child process as a transport. */
export interface SubprocessTransport extends BaseTransport {
  getPid(): number | undefined;
  /** The exit code (negative signal number if killed by a signal), or null while running. */
  getReturncode(): number | null;
  /** The transport of pipe `fd` (0 stdin, 1 stdout, 2 stderr), or null if it is not a pipe. */
  getPipeTransport(fd: number): WriteTransport | ReadTransport | null;
  sendSignal(signal: NodeJS.Signals | number): void;
  terminate(): void;
  kill(): void;
}

/**
 * @internal Runs `call`, a transport's call of its protocol's method `name`: what it throws
 * goes to the loop's exception handler ("protocol.<name>() call failed.") with the transport
 * and its protocol, and the transport goes on.
 */
export function callProtocol(
  loop: EventLoop,
  transport: BaseTransport,
  name: string,
  call: () => void,
): void {
  try {
    call();
  } catch (exception) {
    loop.callExceptionHandler({
      message: `protocol.${name}() call failed.`,
      exception,
      transport,
      protocol: transport.getProtocol(),
    });
  }
}
