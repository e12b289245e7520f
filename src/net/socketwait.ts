/**
 * Waiting for a Node socket to be ready (connected, or through its TLS handshake) from a
 * coroutine. The transport is made inside the Node callback that reports readiness, so no
 * socket event can fall between the connection and the transport that handles it. Also the
 * plain wait for one event of a listening or UDP socket.
 */

import type { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import type { Coro } from "../core/coroutines.ts";
import type { EventLoop } from "../core/loop.ts";
import { awaitForeign } from "../core/lowlevel.ts";
import { ConnectionAbortedError, ConnectionResetError, osErrorFrom } from "./errors.ts";

function ignoreLateErrors(): void {}

/**
 * @internal Waits until `socket` emits `event`, then returns what `onReady()` makes of it.
 * An 'error' or 'close' first fails the wait with the matching OSError; `handshakeTimeout`
 * (seconds, TLS only) fails it with ConnectionAbortedError. On any failure, including
 * cancellation, the socket is destroyed.
 */
export function* awaitSocket<T>(
  loop: EventLoop,
  socket: Socket,
  event: string,
  handshakeTimeout: number | null,
  onReady: () => T,
): Coro<T> {
  const future = loop.createFuture<T>();
  const cleanup = () => {
    socket.off(event, onEvent);
    socket.off("error", onError);
    socket.off("close", onClose);
  };
  const onEvent = () => {
    cleanup();
    if (future.done()) return;
    try {
      future.setResult(onReady());
    } catch (error) {
      socket.destroy();
      future.setException(error);
    }
  };
  const onError = (error: Error) => {
    cleanup();
    if (!future.done()) future.setException(osErrorFrom(error));
  };
  const onClose = () => {
    cleanup();
    if (!future.done()) {
      future.setException(
        new ConnectionResetError("the connection closed before it was established"),
      );
    }
  };
  socket.on(event, onEvent);
  socket.on("error", onError);
  socket.on("close", onClose);
  const timer =
    handshakeTimeout === null
      ? null
      : loop.callLater(handshakeTimeout, () => {
          if (future.done()) return;
          future.setException(
            new ConnectionAbortedError(
              `SSL handshake is taking longer than ${handshakeTimeout} seconds: aborting the connection`,
            ),
          );
        });
  try {
    return yield* awaitForeign(future);
  } catch (error) {
    cleanup();
    socket.on("error", ignoreLateErrors);
    socket.destroy();
    throw error;
  } finally {
    timer?.cancel();
  }
}

/**
 * @internal Waits until `emitter` emits `event` (a server listening, a UDP socket bound or
 * connected); an 'error' first fails the wait with the matching OSError.
 */
export function* waitForEvent(loop: EventLoop, emitter: EventEmitter, event: string): Coro<void> {
  const future = loop.createFuture<void>();
  const onEvent = () => {
    emitter.off("error", onError);
    if (!future.done()) future.setResult(undefined);
  };
  const onError = (error: Error) => {
    emitter.off(event, onEvent);
    if (!future.done()) future.setException(osErrorFrom(error));
  };
  emitter.once(event, onEvent);
  emitter.once("error", onError);
  yield* awaitForeign(future);
}
