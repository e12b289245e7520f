/**
 * `loop.createConnection` and `loop.createUnixConnection` (asyncio's create_connection and
 * create_unix_connection): connect a Node socket, optionally through TLS, and hand it to a
 * protocol through a SocketTransport. TCP connections have TCP_NODELAY set, as in asyncio.
 */

import * as net from "node:net";
import * as tls from "node:tls";
import type { Awaitable } from "../core/coroutines.ts";
import { ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { EventLoop } from "../core/loop.ts";
import { checkClosed } from "../core/lowlevel.ts";
import { checkOptions } from "../core/validate.ts";
import { checkHost, checkPath, checkPort } from "./addresses.ts";
import { SocketTransport, type StreamProtocol } from "./sockettransport.ts";
import { awaitSocket } from "./socketwait.ts";
import { clientTlsOptions, type SSLContext, tlsSettingsOf } from "./tls.ts";
import type { Transport } from "./transports.ts";

/** Options of `loop.createConnection` and `openConnection`. */
export interface ConnectionOptions {
  /** TLS: `true` for the defaults, or an {@link SSLContext}. */
  ssl?: boolean | SSLContext;
  /** The name the server's certificate must carry (default: `host`; `""` skips the check). */
  serverHostname?: string;
  /** Seconds the TLS handshake may take (default 60). */
  sslHandshakeTimeout?: number;
  /** Bind the local end to `[host, port]` first. */
  localAddr?: [host: string, port: number];
  /** Restrict name resolution to IPv4 (4) or IPv6 (6). */
  family?: 0 | 4 | 6;
}

/** Options of `loop.createUnixConnection` and `openUnixConnection`. */
export interface UnixConnectionOptions {
  ssl?: boolean | SSLContext;
  serverHostname?: string;
  sslHandshakeTimeout?: number;
}

/** @internal The names of {@link ConnectionOptions}: any other is refused. */
export const CONNECTION_OPTIONS = [
  "ssl",
  "serverHostname",
  "sslHandshakeTimeout",
  "localAddr",
  "family",
] as const;
/** @internal The names of {@link UnixConnectionOptions}. */
export const UNIX_CONNECTION_OPTIONS = ["ssl", "serverHostname", "sslHandshakeTimeout"] as const;

/** @internal `family`: 0 (either), 4 or 6, as Node's; ValueError for anything else. */
export function checkFamily(family: unknown, where: string): void {
  if (family !== undefined && family !== 0 && family !== 4 && family !== 6) {
    throw new ValueError(`${where}: family must be 0, 4 or 6, got ${formatValue(family)}`);
  }
}

/** @internal Checks a protocol factory argument. */
export function checkFactory(factory: unknown, where: string): void {
  if (typeof factory !== "function") {
    throw new TypeError(
      `${where}: protocolFactory must be a function returning a protocol, got ${formatValue(factory)}`,
    );
  }
}

/** @internal Makes the transport once the socket is ready. */
export function transportMaker<P extends StreamProtocol>(
  loop: EventLoop,
  socket: net.Socket,
  factory: () => P,
  extra: Record<string, unknown>,
): () => [Transport, P] {
  return () => {
    const protocol = factory();
    const transport = new SocketTransport(loop, socket, protocol, extra, null);
    transport._start();
    return [transport, protocol];
  };
}

/**
 * Connects to `host:port` over TCP (TLS with `ssl`) and returns the transport and the protocol
 * `protocolFactory()` made; the protocol's `connectionMade` has run.
 *
 * Cancel safety: cancelling while connecting closes the socket; nothing is left open.
 *
 * @example
 * ```ts
 * const loop = asyncio.getRunningLoop();
 * const [transport, protocol] = yield* loop.createConnection(() => new MyProtocol(), "127.0.0.1", 8888);
 * transport.write("ping\n");
 * ```
 */
export function* createConnection<P extends StreamProtocol>(
  this: EventLoop,
  protocolFactory: () => P,
  host: string,
  port: number | string,
  options: ConnectionOptions = {},
): Awaitable<[Transport, P]> {
  const where = "createConnection()";
  checkFactory(protocolFactory, where);
  const checkedHost = checkHost(host, where);
  const checkedPort = checkPort(port, where, 1);
  checkOptions(options, where, CONNECTION_OPTIONS);
  checkFamily(options.family, where);
  const localAddr: unknown = options.localAddr;
  if (localAddr !== undefined && (!Array.isArray(localAddr) || localAddr.length !== 2)) {
    throw new TypeError(`${where}: localAddr must be [host, port], got ${formatValue(localAddr)}`);
  }
  const { context, timeout } = tlsSettingsOf(options, where);
  checkClosed(this);
  const netOptions: net.TcpNetConnectOpts = {
    host: checkedHost,
    port: checkedPort,
    allowHalfOpen: true,
    noDelay: true,
  };
  if (options.family) netOptions.family = options.family;
  if (options.localAddr !== undefined) {
    netOptions.localAddress = checkHost(options.localAddr[0], where);
    netOptions.localPort = checkPort(options.localAddr[1], where, 0);
  }
  if (context === null) {
    const socket = net.connect(netOptions);
    return yield* awaitSocket(
      this,
      socket,
      "connect",
      null,
      transportMaker(this, socket, protocolFactory, {}),
    );
  }
  const socket = tls.connect({
    ...netOptions,
    ...clientTlsOptions(context, checkedHost, options.serverHostname),
  });
  return yield* awaitSocket(this, socket, "secureConnect", timeout, () => {
    socket.setNoDelay(true);
    return transportMaker(this, socket, protocolFactory, { sslcontext: context })();
  });
}

/**
 * Connects to the Unix socket at `path` (TLS with `ssl`, which then needs `serverHostname`).
 *
 * Cancel safety: cancelling while connecting closes the socket.
 *
 * @example
 * ```ts
 * const [transport] = yield* loop.createUnixConnection(() => new MyProtocol(), "/tmp/app.sock");
 * ```
 */
export function* createUnixConnection<P extends StreamProtocol>(
  this: EventLoop,
  protocolFactory: () => P,
  path: string,
  options: UnixConnectionOptions = {},
): Awaitable<[Transport, P]> {
  const where = "createUnixConnection()";
  checkFactory(protocolFactory, where);
  const checkedPath = checkPath(path, where);
  checkOptions(options, where, UNIX_CONNECTION_OPTIONS);
  const { context, timeout } = tlsSettingsOf(options, where);
  checkClosed(this);
  const extra = { peername: checkedPath, sockname: "" };
  if (context === null) {
    const socket = net.connect({ path: checkedPath, allowHalfOpen: true });
    return yield* awaitSocket(
      this,
      socket,
      "connect",
      null,
      transportMaker(this, socket, protocolFactory, extra),
    );
  }
  const socket = tls.connect({
    path: checkedPath,
    ...clientTlsOptions(context, undefined, options.serverHostname),
  });
  return yield* awaitSocket(
    this,
    socket,
    "secureConnect",
    timeout,
    transportMaker(this, socket, protocolFactory, { ...extra, sslcontext: context }),
  );
}
