/**
 * The high-level stream API (asyncio/streams.py): `openConnection` and `startServer` (TCP),
 * `openUnixConnection` and `startUnixServer`, giving a StreamReader and StreamWriter per
 * connection on top of the transport layer.
 */

import type { Awaitable } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { formatValue } from "../core/format.ts";
import { checkOptions } from "../core/validate.ts";
import {
  CONNECTION_OPTIONS,
  type ConnectionOptions,
  createConnection,
  createUnixConnection,
  UNIX_CONNECTION_OPTIONS,
  type UnixConnectionOptions,
} from "./connect.ts";
import {
  createServer,
  createUnixServer,
  SERVER_OPTIONS,
  type ServerOptions,
  UNIX_SERVER_OPTIONS,
  type UnixServerOptions,
} from "./listen.ts";
import type { Server } from "./server.ts";
import { type ClientConnectedCallback, StreamReaderProtocol } from "./streamprotocol.ts";
import { checkLimit, StreamReader } from "./streamreader.ts";
import { StreamWriter } from "./streamwriter.ts";

/** The buffer limit of the streams (bytes, default 64 KiB). */
export interface StreamLimitOption {
  limit?: number;
}

/**
 * Connects to `host:port` and returns a reader and a writer for the connection.
 *
 * Cancel safety: cancelling while connecting closes the socket.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", 8888);
 *   writer.write("ping\n");
 *   console.log((yield* reader.readline()).toString());
 *   writer.close();
 *   yield* writer.waitClosed();
 * }
 * ```
 */
export function* openConnection(
  host: string,
  port: number | string,
  options: ConnectionOptions & StreamLimitOption = {},
): Awaitable<[StreamReader, StreamWriter]> {
  checkOptions(options, "openConnection()", OPEN_CONNECTION_OPTIONS);
  const loop = getRunningLoop();
  const { limit, ...rest } = options;
  const reader = new StreamReader({ limit, loop });
  const [transport, protocol] = yield* createConnection.call(
    loop,
    () => new StreamReaderProtocol(reader),
    host,
    port,
    rest,
  );
  return [reader, new StreamWriter(transport, protocol as StreamReaderProtocol, reader)];
}

/**
 * Listens on `host:port` and calls `clientConnected(reader, writer)` for each connection; a
 * coroutine function runs as a task (when it fails, the error goes to the loop's exception
 * handler and the connection is closed).
 *
 * Cancel safety: cancelling while it starts to listen closes the listening sockets.
 *
 * @example
 * ```ts
 * function* handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): asyncio.Coro<void> {
 *   const line = yield* reader.readline();
 *   writer.write(line);
 *   yield* writer.drain();
 *   writer.close();
 * }
 * const server = yield* asyncio.startServer(handle, "127.0.0.1", 8888);
 * yield* server.serveForever();
 * ```
 */
export function* startServer(
  clientConnected: ClientConnectedCallback,
  host?: string | string[] | null,
  port?: number | string | null,
  options: ServerOptions & StreamLimitOption = {},
): Awaitable<Server> {
  checkCallback(clientConnected, "startServer()");
  checkOptions(options, "startServer()", START_SERVER_OPTIONS);
  const loop = getRunningLoop();
  const { limit, ...rest } = options;
  checkLimit(limit);
  return yield* createServer.call(
    loop,
    () => new StreamReaderProtocol(new StreamReader({ limit, loop }), clientConnected),
    host,
    port,
    rest,
  );
}

/**
 * Connects to the Unix socket at `path`; as {@link openConnection}.
 *
 * Cancel safety: cancelling while connecting closes the socket.
 *
 * @example
 * ```ts
 * const [reader, writer] = yield* asyncio.openUnixConnection("/tmp/app.sock");
 * ```
 */
export function* openUnixConnection(
  path: string,
  options: UnixConnectionOptions & StreamLimitOption = {},
): Awaitable<[StreamReader, StreamWriter]> {
  checkOptions(options, "openUnixConnection()", OPEN_UNIX_CONNECTION_OPTIONS);
  const loop = getRunningLoop();
  const { limit, ...rest } = options;
  const reader = new StreamReader({ limit, loop });
  const [transport, protocol] = yield* createUnixConnection.call(
    loop,
    () => new StreamReaderProtocol(reader),
    path,
    rest,
  );
  return [reader, new StreamWriter(transport, protocol as StreamReaderProtocol, reader)];
}

/**
 * Listens on the Unix socket `path`; as {@link startServer}. The socket file is removed when
 * the server closes.
 *
 * Cancel safety: cancelling while it starts to listen closes the listening socket.
 *
 * @example
 * ```ts
 * const server = yield* asyncio.startUnixServer(handle, "/tmp/app.sock");
 * ```
 */
export function* startUnixServer(
  clientConnected: ClientConnectedCallback,
  path: string,
  options: UnixServerOptions & StreamLimitOption = {},
): Awaitable<Server> {
  checkCallback(clientConnected, "startUnixServer()");
  checkOptions(options, "startUnixServer()", START_UNIX_SERVER_OPTIONS);
  const loop = getRunningLoop();
  const { limit, ...rest } = options;
  checkLimit(limit);
  return yield* createUnixServer.call(
    loop,
    () => new StreamReaderProtocol(new StreamReader({ limit, loop }), clientConnected),
    path,
    rest,
  );
}

const OPEN_CONNECTION_OPTIONS = [...CONNECTION_OPTIONS, "limit"] as const;
const OPEN_UNIX_CONNECTION_OPTIONS = [...UNIX_CONNECTION_OPTIONS, "limit"] as const;
const START_SERVER_OPTIONS = [...SERVER_OPTIONS, "limit"] as const;
const START_UNIX_SERVER_OPTIONS = [...UNIX_SERVER_OPTIONS, "limit"] as const;

function checkCallback(callback: unknown, where: string): void {
  if (typeof callback !== "function") {
    throw new TypeError(
      `${where}: clientConnected must be a function (reader, writer) => …, got ${formatValue(callback)}`,
    );
  }
}
