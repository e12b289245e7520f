/**
 * The I/O methods of EventLoop (asyncio's loop.create_connection, create_server, …). The core
 * loop knows nothing of sockets; this module adds the methods to EventLoop's prototype and
 * declares them on its type. `src/index.ts` imports it, so every loop has them.
 */

import { EventLoop } from "../core/loop.ts";
import { createConnection, createUnixConnection } from "./connect.ts";
import { createDatagramEndpoint } from "./datagram.ts";
import { getaddrinfo, getnameinfo } from "./dns.ts";
import { createServer, createUnixServer } from "./listen.ts";
import { startTls } from "./tls.ts";

declare module "../core/loop.ts" {
  interface EventLoop {
    /** See {@link createConnection}. */
    createConnection: typeof createConnection;
    /** See {@link createDatagramEndpoint}. */
    createDatagramEndpoint: typeof createDatagramEndpoint;
    /** See {@link createUnixConnection}. */
    createUnixConnection: typeof createUnixConnection;
    /** See {@link createServer}. */
    createServer: typeof createServer;
    /** See {@link createUnixServer}. */
    createUnixServer: typeof createUnixServer;
    /** See {@link getaddrinfo}. */
    getaddrinfo: typeof getaddrinfo;
    /** See {@link getnameinfo}. */
    getnameinfo: typeof getnameinfo;
    /** See {@link startTls}. */
    startTls: typeof startTls;
  }
}

EventLoop.prototype.createConnection = createConnection;
EventLoop.prototype.createDatagramEndpoint = createDatagramEndpoint;
EventLoop.prototype.createUnixConnection = createUnixConnection;
EventLoop.prototype.createServer = createServer;
EventLoop.prototype.createUnixServer = createUnixServer;
EventLoop.prototype.getaddrinfo = getaddrinfo;
EventLoop.prototype.getnameinfo = getnameinfo;
EventLoop.prototype.startTls = startTls;
