/**
 * Server: what `loop.createServer` and `startServer` return (asyncio's base_events.Server).
 * It owns the listening Node servers and tracks the connections they accepted, so that
 * `waitClosed()` can return once the server is closed and every connection is gone.
 *
 * Node binds and listens in one step, so a server made with `startServing: false` listens
 * at once (its port is known) but holds accepted connections, paused, until `startServing()`.
 */

import type { Server as NodeServer, Socket } from "node:net";
import type { Awaitable } from "../core/coroutines.ts";
import { CancelledError, RuntimeError } from "../core/exceptions.ts";
import { inspectSymbol } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import { closeAtLoopClose, releaseAtLoopClose } from "../core/lowlevel.ts";
import type { ConnectionOwner, SocketTransport } from "./sockettransport.ts";

/**
 * A listening socket of a Server (asyncio's TransportSocket, reduced to what Node exposes).
 *
 * @example
 * ```ts
 * const [host, port] = server.sockets[0]!.getsockname() as [string, number];
 * ```
 */
export class ServerSocket {
  readonly #server: NodeServer;

  /** @internal */
  constructor(server: NodeServer) {
    this.#server = server;
  }

  /** `[host, port]` for TCP, the path for a Unix socket. */
  getsockname(): [host: string, port: number] | string {
    const address = this.#server.address();
    if (address === null) return "";
    if (typeof address === "string") return address;
    return [address.address, address.port];
  }

  /** The Node server behind this socket. */
  get nodeServer(): NodeServer {
    return this.#server;
  }

  toString(): string {
    const name = this.getsockname();
    return `<ServerSocket ${Array.isArray(name) ? `${name[0]}:${name[1]}` : name}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

function ignoreHeldError(): void {}

/** What `Server.statistics()` reports. */
export interface ServerStatistics {
  serving: boolean;
  closed: boolean;
  /** Connections accepted and not yet lost. */
  clients: number;
  /** Connections accepted before `startServing()`, held. */
  held: number;
}

/**
 * A listening server. Stop accepting with `close()`; wait for every connection to finish with
 * `waitClosed()`; or use it as a context manager, which does both.
 *
 * @example
 * ```ts
 * const server = yield* asyncio.startServer(handle, "127.0.0.1", 0);
 * console.log("serving on", server.sockets[0]!.getsockname());
 * yield* asyncio.using(server, function* () {
 *   yield* server.serveForever();
 * });
 * ```
 */
export class Server implements ConnectionOwner {
  /** @internal */ readonly _loop: EventLoop;
  #servers: NodeServer[] | null;
  #sockets: ServerSocket[];
  readonly #onConnection: (socket: Socket, server: Server) => void;
  readonly #clients = new Set<SocketTransport>();
  #waiters: Future<void>[] | null = [];
  #serving = false;
  #held: Socket[] = [];
  #servingForever: Future<void> | null = null;
  /**
   * @internal Unix servers: called just before the listening sockets close, it returns what
   * to call just after (see listen.ts: the socket file is left alone unless it is ours).
   */
  _aroundClose: (() => (() => void) | null) | null = null;

  /** @internal Made by `loop.createServer` and friends. */
  constructor(
    loop: EventLoop,
    servers: NodeServer[],
    onConnection: (socket: Socket, server: Server) => void,
  ) {
    this._loop = loop;
    this.#servers = servers;
    this.#sockets = servers.map((server) => new ServerSocket(server));
    this.#onConnection = onConnection;
    closeAtLoopClose(loop, this);
  }

  /** @internal The loop closes with the server still open: stop listening. */
  _closeAtLoopClose(): void {
    this.close();
  }

  /** @internal A listening Node server accepted `socket`. */
  _accept(socket: Socket): void {
    if (this.#servers === null) {
      socket.destroy();
      return;
    }
    if (!this.#serving) {
      // Held until startServing(): a reset meanwhile must not be an unhandled 'error'.
      socket.pause();
      socket.on("error", ignoreHeldError);
      this.#held.push(socket);
      return;
    }
    this.#onConnection(socket, this);
  }

  /** @internal */
  _attach(transport: SocketTransport): void {
    this.#clients.add(transport);
  }

  /** @internal */
  _detach(transport: SocketTransport): void {
    this.#clients.delete(transport);
    if (this.#clients.size === 0 && this.#servers === null) this.#wakeup();
  }

  getLoop(): EventLoop {
    return this._loop;
  }

  isServing(): boolean {
    return this.#serving;
  }

  /** The listening sockets; empty once closed. */
  get sockets(): readonly ServerSocket[] {
    return this.#servers === null ? [] : this.#sockets;
  }

  /**
   * Stops listening. Connections already accepted stay open (see `closeClients()`);
   * `waitClosed()` returns once they are all gone.
   */
  close(): void {
    const servers = this.#servers;
    if (servers === null) return;
    this.#servers = null;
    this.#serving = false;
    releaseAtLoopClose(this._loop, this);
    const afterClose = this._aroundClose?.() ?? null;
    for (const server of servers) server.close();
    afterClose?.();
    for (const socket of this.#held) socket.destroy();
    this.#held = [];
    const forever = this.#servingForever;
    if (forever !== null && !forever.done()) forever.cancel();
    this.#servingForever = null;
    if (this.#clients.size === 0) this.#wakeup();
  }

  /** Closes every connection this server accepted (after their write buffers flush). */
  closeClients(): void {
    for (const transport of [...this.#clients]) transport.close();
  }

  /** Aborts every connection this server accepted, dropping their write buffers. */
  abortClients(): void {
    for (const transport of [...this.#clients]) transport.abort();
  }

  /**
   * Starts accepting connections (a no-op when already serving).
   *
   * Cancel safety: the server serves whether or not the caller is cancelled.
   */
  *startServing(): Awaitable<void> {
    this.#startServing();
    yield;
  }

  /**
   * Serves until cancelled; cancelling it closes the server and waits for it to close.
   *
   * Cancel safety: cancellation is how it ends; the server is closed and every connection
   * gone when the CancelledError reaches the caller.
   *
   * @example
   * ```ts
   * const serving = asyncio.createTask(server.serveForever());
   * // later:
   * serving.cancel();
   * ```
   */
  *serveForever(): Awaitable<void> {
    if (this.#servingForever !== null) {
      throw new RuntimeError(`server ${this} is already being awaited on serveForever()`);
    }
    if (this.#servers === null) throw new RuntimeError(`server ${this} is closed`);
    this.#startServing();
    const forever = this._loop.createFuture<void>();
    this.#servingForever = forever;
    try {
      yield* forever;
    } catch (error) {
      if (error instanceof CancelledError) {
        try {
          this.close();
          yield* this.waitClosed();
        } catch {
          // A second cancellation cut the wait short: the first one is what the caller gets.
        }
      }
      throw error;
    } finally {
      if (this.#servingForever === forever) this.#servingForever = null;
    }
  }

  /**
   * Waits until the server is closed and every connection it accepted is gone (in either
   * order).
   *
   * Cancel safety: only the wait ends; the server is unaffected.
   */
  *waitClosed(): Awaitable<void> {
    if (this.#waiters === null) return;
    const waiter = this._loop.createFuture<void>();
    this.#waiters.push(waiter);
    yield* waiter;
  }

  /** Context manager entry: the server itself. */
  *aenter(): Awaitable<Server> {
    return this;
  }

  /** Context manager exit: `close()`, then `waitClosed()`. */
  *aexit(_error?: unknown): Awaitable<boolean> {
    this.close();
    yield* this.waitClosed();
    return false;
  }

  statistics(): ServerStatistics {
    return {
      serving: this.#serving,
      closed: this.#servers === null,
      clients: this.#clients.size,
      held: this.#held.length,
    };
  }

  toString(): string {
    const sockets = this.sockets.map(String).join(", ");
    const state = this.#servers === null ? "closed" : this.#serving ? "serving" : "not serving";
    return `<Server ${state} sockets=[${sockets}] clients=${this.#clients.size}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  #startServing(): void {
    if (this.#serving || this.#servers === null) return;
    this.#serving = true;
    const held = this.#held;
    this.#held = [];
    for (const socket of held) {
      socket.off("error", ignoreHeldError);
      if (socket.destroyed) continue;
      socket.resume();
      this.#onConnection(socket, this);
    }
  }

  #wakeup(): void {
    const waiters = this.#waiters;
    this.#waiters = null;
    if (waiters === null) return;
    for (const waiter of waiters) if (!waiter.done()) waiter.setResult(undefined);
  }
}
