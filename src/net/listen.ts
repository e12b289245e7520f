/**
 * `loop.createServer` and `loop.createUnixServer` (asyncio's create_server and
 * create_unix_server): listen with Node's `net.Server` (or `tls.Server`) and give each
 * accepted socket a protocol from the factory, through a SocketTransport owned by a
 * {@link Server}.
 *
 * A TLS handshake that fails affects only that connection: the server goes on serving (the
 * failure is logged in debug mode, as asyncio does).
 */

import { linkSync, lstatSync, renameSync, rmSync, type Stats, unlinkSync } from "node:fs";
import * as net from "node:net";
import { basename, dirname, join } from "node:path";
import * as tls from "node:tls";
import type { Awaitable, Coro } from "../core/coroutines.ts";

import type { EventLoop } from "../core/loop.ts";
import { checkClosed, logger } from "../core/lowlevel.ts";
import { checkBoolean, checkInteger, checkOptions } from "../core/validate.ts";
import { checkListenHosts, checkPath, checkPort } from "./addresses.ts";
import { checkFactory, checkFamily } from "./connect.ts";
import { osErrorFrom } from "./errors.ts";
import { Server } from "./server.ts";
import { SocketTransport, type StreamProtocol } from "./sockettransport.ts";
import { waitForEvent } from "./socketwait.ts";
import { type SSLContext, tlsSettingsOf } from "./tls.ts";

/** Options of `loop.createServer` and `startServer`. */
export interface ServerOptions {
  /** TLS: an {@link SSLContext} with the server's `cert` and `key`. */
  ssl?: boolean | SSLContext;
  /** The listen backlog (default 100). */
  backlog?: number;
  /** Seconds a client's TLS handshake may take before it is dropped (default 60). */
  sslHandshakeTimeout?: number;
  /** Accept connections at once (default true); otherwise from `startServing()` on. */
  startServing?: boolean;
  /** With no host: listen on IPv4 (4) or IPv6 (6) only. */
  family?: 0 | 4 | 6;
}

/** Options of `loop.createUnixServer` and `startUnixServer`. */
export interface UnixServerOptions {
  ssl?: boolean | SSLContext;
  backlog?: number;
  sslHandshakeTimeout?: number;
  startServing?: boolean;
  /**
   * Remove the socket file when the server closes (default true), but only if it is still the
   * one this server made: a file another process has since put at the path is left alone.
   */
  cleanupSocket?: boolean;
}

/** Option names both kinds of server take: any name not listed for a server is refused. */
const COMMON_SERVER_OPTIONS = ["ssl", "backlog", "sslHandshakeTimeout", "startServing"] as const;
/** @internal The names of {@link UnixServerOptions}. */
export const UNIX_SERVER_OPTIONS = [...COMMON_SERVER_OPTIONS, "cleanupSocket"] as const;
/** @internal The names of {@link ServerOptions}. */
export const SERVER_OPTIONS = [...COMMON_SERVER_OPTIONS, "family"] as const;

/** Checks the options both kinds of server take (their names, `backlog`, `startServing`). */
function checkServerOptions(
  options: UnixServerOptions,
  where: string,
  known: readonly string[],
): void {
  checkOptions(options, where, known);
  if (options.backlog !== undefined) checkInteger(options.backlog, where, "backlog", 0);
  if (options.startServing !== undefined) checkBoolean(options.startServing, where, "startServing");
}

/**
 * Listens on `host:port` (every interface when `host` is null; a free port when `port` is 0)
 * and calls `protocolFactory()` for each connection.
 *
 * Cancel safety: cancelling while it starts to listen closes the listening sockets.
 *
 * @example
 * ```ts
 * const server = yield* loop.createServer(() => new EchoProtocol(), "127.0.0.1", 0);
 * const [host, port] = server.sockets[0]!.getsockname() as [string, number];
 * ```
 */
export function* createServer(
  this: EventLoop,
  protocolFactory: () => StreamProtocol,
  host?: string | string[] | null,
  port?: number | string | null,
  options: ServerOptions = {},
): Awaitable<Server> {
  const where = "createServer()";
  checkFactory(protocolFactory, where);
  const hosts = checkListenHosts(host, where);
  const checkedPort = checkPort(port ?? 0, where, 0);
  checkServerOptions(options, where, SERVER_OPTIONS);
  checkFamily(options.family, where);
  const listens = hosts.map((listenHost) => {
    const listen: net.ListenOptions = { port: checkedPort, backlog: options.backlog ?? 100 };
    if (listenHost !== undefined) listen.host = listenHost;
    else if (options.family === 4) listen.host = "0.0.0.0";
    else if (options.family === 6) listen.host = "::";
    return listen;
  });
  return yield* serve(this, protocolFactory, listens, options, where, null);
}

/**
 * Listens on the Unix socket `path` (a stale socket file there is removed first; the file is
 * removed when the server closes, if it is still this server's and `cleanupSocket` is not
 * false).
 *
 * Cancel safety: cancelling while it starts to listen closes the listening socket.
 *
 * @example
 * ```ts
 * const server = yield* loop.createUnixServer(() => new EchoProtocol(), "/tmp/echo.sock");
 * ```
 */
export function* createUnixServer(
  this: EventLoop,
  protocolFactory: () => StreamProtocol,
  path: string,
  options: UnixServerOptions = {},
): Awaitable<Server> {
  const where = "createUnixServer()";
  checkFactory(protocolFactory, where);
  const checkedPath = checkPath(path, where);
  checkServerOptions(options, where, UNIX_SERVER_OPTIONS);
  const cleanup = options.cleanupSocket ?? true;
  checkBoolean(cleanup, where, "cleanupSocket");
  removeStaleSocket(checkedPath);
  const listen: net.ListenOptions = { path: checkedPath, backlog: options.backlog ?? 100 };
  const server = yield* serve(this, protocolFactory, [listen], options, where, checkedPath);
  if (!checkedPath.startsWith("\0")) server._aroundClose = guardSocketFile(checkedPath, cleanup);
  return server;
}

/**
 * libuv unlinks a Unix server's path when its socket closes, whatever file is there by then.
 * asyncio removes it only if it is still the server's own (same device and inode) and
 * `cleanup_socket` is true. So: note the file's identity now; at close, when the file there is
 * not to be removed, keep a hard link to it across the close and move it back.
 */
function guardSocketFile(path: string, cleanup: boolean): () => (() => void) | null {
  let own: { dev: number; ino: number } | null = null;
  try {
    const stat = lstatSync(path);
    own = { dev: stat.dev, ino: stat.ino };
  } catch {
    // Gone already: nothing of ours to remove at close.
  }
  return () => {
    let current: Stats;
    try {
      current = lstatSync(path);
    } catch {
      return null;
    }
    const ours = own !== null && current.dev === own.dev && current.ino === own.ino;
    if (ours && cleanup) return null;
    const kept = join(dirname(path), `.${basename(path)}.${process.pid}.keep`);
    try {
      linkSync(path, kept);
    } catch {
      return null;
    }
    return () => {
      try {
        renameSync(kept, path);
        // Left over when the path still named the same file (rename then does nothing).
        rmSync(kept, { force: true });
      } catch {
        // Best effort: the link stays beside the path rather than lose the file.
      }
    };
  };
}

function* serve(
  loop: EventLoop,
  protocolFactory: () => StreamProtocol,
  listens: net.ListenOptions[],
  options: UnixServerOptions,
  where: string,
  unixPath: string | null,
): Coro<Server> {
  const { context, timeout } = tlsSettingsOf(options, where);
  checkClosed(loop);
  const extra: Record<string, unknown> =
    unixPath === null ? {} : { sockname: unixPath, peername: "" };
  if (context !== null) extra.sslcontext = context;
  const onConnection = (socket: net.Socket, server: Server) => {
    let protocol: StreamProtocol;
    try {
      protocol = protocolFactory();
    } catch (error) {
      socket.destroy();
      loop.callExceptionHandler({
        message: "protocolFactory() failed on an accepted connection",
        exception: error,
        server,
      });
      return;
    }
    new SocketTransport(loop, socket, protocol, extra, server)._start();
  };
  const nodeServers = listens.map(() =>
    context === null
      ? net.createServer({ allowHalfOpen: true, noDelay: true })
      : tls.createServer({
          ...context,
          handshakeTimeout: timeout * 1000,
          allowHalfOpen: true,
          noDelay: true,
        }),
  );
  const server = new Server(loop, nodeServers, onConnection);
  const accept = (socket: net.Socket) => server._accept(socket);
  for (const nodeServer of nodeServers) {
    nodeServer.on(context === null ? "connection" : "secureConnection", accept);
    if (context !== null) {
      nodeServer.on("tlsClientError", (error: Error, socket: tls.TLSSocket) => {
        socket.destroy();
        if (loop.getDebug()) logger.warning(`${server}: SSL handshake failed: ${error.message}`);
      });
    }
  }
  try {
    for (let index = 0; index < nodeServers.length; index++) {
      const nodeServer = nodeServers[index]!;
      nodeServer.listen(listens[index]!);
      yield* waitForEvent(loop, nodeServer, "listening");
    }
  } catch (error) {
    server.close();
    throw error;
  }
  for (const nodeServer of nodeServers) {
    nodeServer.on("error", (error: Error) => {
      loop.callExceptionHandler({
        message: "listening socket failed",
        exception: osErrorFrom(error),
        server,
      });
    });
  }
  if (options.startServing ?? true) yield* server.startServing();
  return server;
}

/** asyncio removes a socket file left by a server that did not close cleanly. */
function removeStaleSocket(path: string): void {
  if (path.startsWith("\0")) return;
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Nothing there (or not ours to remove): listen() reports any real problem.
  }
}
