/**
 * UDP (asyncio's create_datagram_endpoint and its datagram transport) on Node's `dgram`.
 * Each datagram arrives whole in the protocol's `datagramReceived(data, [host, port])`;
 * `sendto` sends one. A failed send is reported to `errorReceived` and the endpoint stays
 * open, as in asyncio.
 */

import * as dgram from "node:dgram";
import { isIP } from "node:net";
import type { Awaitable } from "../core/coroutines.ts";
import { describeType } from "../core/coroutines.ts";
import { ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";

import type { EventLoop } from "../core/loop.ts";
import { checkClosed, closeAtLoopClose, logger, releaseAtLoopClose } from "../core/lowlevel.ts";
import { checkOptions } from "../core/validate.ts";
import { checkHost, checkPort } from "./addresses.ts";
import { checkFactory, checkFamily } from "./connect.ts";
import { osErrorFrom } from "./errors.ts";
import type { DatagramAddress, DatagramProtocol } from "./protocols.ts";
import { waitForEvent } from "./socketwait.ts";
import { callProtocol, type DatagramTransport } from "./transports.ts";

/** Options of `loop.createDatagramEndpoint`. */
export interface DatagramEndpointOptions {
  /** Bind to `[host, port]` (port 0 picks a free one). */
  localAddr?: [host: string, port: number];
  /** Connect to `[host, port]`: `sendto` then needs no address, and only that peer is heard. */
  remoteAddr?: [host: string, port: number];
  /** 4 or 6 (default: 6 for an IPv6 literal address, else 4). */
  family?: 0 | 4 | 6;
  /** Allow sending to broadcast addresses. */
  allowBroadcast?: boolean;
  /** Let several sockets bind the same address (SO_REUSEADDR). */
  reuseAddress?: boolean;
}

const DATAGRAM_OPTIONS = [
  "localAddr",
  "remoteAddr",
  "family",
  "allowBroadcast",
  "reuseAddress",
] as const;

/** After this many sends on a closed endpoint, each further one logs a warning (as asyncio). */
const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/**
 * A UDP endpoint, as a transport.
 *
 * @example
 * ```ts
 * const [transport] = yield* loop.createDatagramEndpoint(() => new MyProtocol(), { remoteAddr: ["127.0.0.1", 9999] });
 * transport.sendto("ping");
 * ```
 */
export class DatagramEndpoint implements DatagramTransport {
  /** @internal */ readonly _loop: EventLoop;
  readonly #socket: dgram.Socket;
  #protocol: DatagramProtocol;
  readonly #remote: DatagramAddress | null;
  #closing = false;
  #lost = false;
  #sendsAfterClose = 0;

  /** @internal Made by `loop.createDatagramEndpoint`. */
  constructor(
    loop: EventLoop,
    socket: dgram.Socket,
    protocol: DatagramProtocol,
    remote: DatagramAddress | null,
  ) {
    this._loop = loop;
    this.#socket = socket;
    this.#protocol = protocol;
    this.#remote = remote;
  }

  /** @internal Hooks the socket and calls `connectionMade`. */
  _start(): void {
    const socket = this.#socket;
    socket.on("message", this.#onMessage);
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
    closeAtLoopClose(this._loop, this);
    callProtocol(this._loop, this, "connectionMade", () => this.#protocol.connectionMade(this));
  }

  sendto(data: Uint8Array | string, addr?: DatagramAddress | null): void {
    if (typeof data !== "string" && !(data instanceof Uint8Array)) {
      throw new TypeError(
        `sendto() takes a Uint8Array/Buffer or a string, got ${describeType(data)}`,
      );
    }
    let target = addr ?? null;
    const remote = this.#remote;
    if (remote !== null) {
      if (target !== null && (target[0] !== remote[0] || target[1] !== remote[1])) {
        throw new ValueError(`Invalid address: must be undefined or ${JSON.stringify(remote)}`);
      }
      target = null;
    } else if (target === null) {
      throw new ValueError(
        "sendto() needs an address [host, port]: this endpoint is not connected",
      );
    }
    if (this.#closing) {
      if (this.#sendsAfterClose >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        logger.warning(
          "socket.sendto() raised exception: the endpoint is closed, datagram dropped.",
        );
      }
      this.#sendsAfterClose++;
      return;
    }
    if (target === null) this.#socket.send(data, this.#afterSend);
    else
      this.#socket.send(
        data,
        checkPort(target[1], "sendto()", 1),
        checkHost(target[0], "sendto()"),
        this.#afterSend,
      );
  }

  abort(): void {
    this.close();
  }

  /** @internal The loop closes with the endpoint open. */
  _closeAtLoopClose(): void {
    this.close();
  }

  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    releaseAtLoopClose(this._loop, this);
    this.#socket.close();
  }

  isClosing(): boolean {
    return this.#closing;
  }

  getWriteBufferSize(): number {
    return this.#closing ? 0 : this.#socket.getSendQueueSize();
  }

  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    if (name === "socket") return this.#socket;
    if (name === "peername") return this.#remote ?? defaultValue;
    if (name === "sockname" && !this.#lost) {
      const address = this.#socket.address();
      return [address.address, address.port];
    }
    return defaultValue;
  }

  getProtocol(): DatagramProtocol {
    return this.#protocol;
  }

  setProtocol(protocol: DatagramProtocol): void {
    this.#protocol = protocol;
  }

  toString(): string {
    const state = this.#lost ? "closed" : this.#closing ? "closing" : "open";
    const local = this.#lost
      ? ""
      : ` local=${(this.getExtraInfo("sockname") as DatagramAddress).join(":")}`;
    const remote = this.#remote === null ? "" : ` remote=${this.#remote.join(":")}`;
    return `<DatagramEndpoint ${state}${local}${remote}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  #onMessage = (message: Buffer, info: dgram.RemoteInfo): void => {
    if (this.#closing) return;
    callProtocol(this._loop, this, "datagramReceived", () =>
      this.#protocol.datagramReceived(message, [info.address, info.port]),
    );
  };

  #onError = (error: Error): void => {
    callProtocol(this._loop, this, "errorReceived", () =>
      this.#protocol.errorReceived(osErrorFrom(error)),
    );
  };

  #afterSend = (error: Error | null): void => {
    if (error) this.#onError(error);
  };

  #onClose = (): void => {
    this.#lost = true;
    this.#closing = true;
    releaseAtLoopClose(this._loop, this);
    callProtocol(this._loop, this, "connectionLost", () => this.#protocol.connectionLost(null));
  };
}

function checkAddress(value: unknown, name: string, min: 0 | 1): DatagramAddress {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(
      `createDatagramEndpoint(): ${name} must be [host, port], got ${formatValue(value)}`,
    );
  }
  return [
    checkHost(value[0], "createDatagramEndpoint()"),
    checkPort(value[1], "createDatagramEndpoint()", min),
  ];
}

/**
 * Opens a UDP endpoint bound to `localAddr` and/or connected to `remoteAddr`, and returns it
 * with the protocol `protocolFactory()` made.
 *
 * Cancel safety: cancelling while it binds closes the socket.
 *
 * @example
 * ```ts
 * const loop = asyncio.getRunningLoop();
 * const [transport, protocol] = yield* loop.createDatagramEndpoint(() => new EchoUdp(), {
 *   localAddr: ["127.0.0.1", 0],
 * });
 * ```
 */
export function* createDatagramEndpoint<P extends DatagramProtocol>(
  this: EventLoop,
  protocolFactory: () => P,
  options: DatagramEndpointOptions = {},
): Awaitable<[DatagramTransport, P]> {
  const where = "createDatagramEndpoint()";
  checkFactory(protocolFactory, where);
  checkOptions(options, where, DATAGRAM_OPTIONS);
  checkFamily(options.family, where);
  const local =
    options.localAddr === undefined ? null : checkAddress(options.localAddr, "localAddr", 0);
  const remote =
    options.remoteAddr === undefined ? null : checkAddress(options.remoteAddr, "remoteAddr", 1);
  if (local === null && remote === null) {
    throw new ValueError(`${where} needs localAddr, remoteAddr or both`);
  }
  const host = (local ?? remote)![0];
  const family = options.family || (isIP(host) === 6 ? 6 : 4);
  checkClosed(this);
  const socket = dgram.createSocket({
    type: family === 6 ? "udp6" : "udp4",
    reuseAddr: options.reuseAddress ?? false,
  });
  try {
    socket.bind(local === null ? {} : { address: local[0], port: local[1] });
    yield* waitForEvent(this, socket, "listening");
    if (options.allowBroadcast) socket.setBroadcast(true);
    if (remote !== null) {
      socket.connect(remote[1], remote[0]);
      yield* waitForEvent(this, socket, "connect");
    }
    const protocol = protocolFactory();
    const transport = new DatagramEndpoint(this, socket, protocol, remote);
    transport._start();
    return [transport, protocol];
  } catch (error) {
    socket.on("error", () => {});
    try {
      socket.close();
    } catch {
      // Not bound yet: nothing to close.
    }
    throw error;
  }
}
