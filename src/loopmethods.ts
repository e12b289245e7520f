/**
 * The event loop's methods from the layers above the core, installed in one place. The core
 * loop knows nothing of sockets, processes or executors; each layer writes its loop methods as
 * functions called with the loop as `this` (asyncio's loop.create_connection, subprocess_exec,
 * run_in_executor, …), and this module declares them on EventLoop's type and puts them on its
 * prototype. `src/index.ts` imports it, so every loop has them. Code inside the library calls
 * the functions themselves, never through the prototype, so it works whether or not this
 * module was loaded.
 */

import { EventLoop } from "./core/loop.ts";
import {
  runInExecutor,
  setDefaultExecutor,
  shutdownDefaultExecutor,
} from "./executors/loopmethods.ts";
import { createConnection, createUnixConnection } from "./net/connect.ts";
import { createDatagramEndpoint } from "./net/datagram.ts";
import { getaddrinfo, getnameinfo } from "./net/dns.ts";
import { createServer, createUnixServer } from "./net/listen.ts";
import { startTls } from "./net/tls.ts";
import { addSignalHandler, removeSignalHandler } from "./subprocess/signals.ts";
import { subprocessExec, subprocessShell } from "./subprocess/subprocess.ts";

declare module "./core/loop.ts" {
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
    /** See {@link subprocessExec}. */
    subprocessExec: typeof subprocessExec;
    /** See {@link subprocessShell}. */
    subprocessShell: typeof subprocessShell;
    /** See {@link addSignalHandler}. */
    addSignalHandler: typeof addSignalHandler;
    /** See {@link removeSignalHandler}. */
    removeSignalHandler: typeof removeSignalHandler;
    /** See {@link runInExecutor}. */
    runInExecutor: typeof runInExecutor;
    /** See {@link setDefaultExecutor}. */
    setDefaultExecutor: typeof setDefaultExecutor;
    /** See {@link shutdownDefaultExecutor}. */
    shutdownDefaultExecutor: typeof shutdownDefaultExecutor;
  }
}

Object.assign(EventLoop.prototype, {
  createConnection,
  createDatagramEndpoint,
  createUnixConnection,
  createServer,
  createUnixServer,
  getaddrinfo,
  getnameinfo,
  startTls,
  subprocessExec,
  subprocessShell,
  addSignalHandler,
  removeSignalHandler,
  runInExecutor,
  setDefaultExecutor,
  shutdownDefaultExecutor,
});
