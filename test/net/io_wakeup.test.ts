/**
 * net_io_wakeup: a task woken by a socket's 'data' event runs after the event, once libuv's
 * batch of I/O events is delivered (asyncio's order: the callbacks of one select(), then what
 * they made ready), never inside the event handler.
 */

import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";
import { SocketTransport } from "../../src/net/sockettransport.ts";
import { portOf } from "../helpers.ts";

test("a task woken by a 'data' event runs after the event's other listeners", async () => {
  const events = await asyncio.run(
    (function* () {
      const events: string[] = [];
      const done = asyncio.getRunningLoop().createFuture<void>();
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          const socket = writer.getExtraInfo("socket") as Socket;
          // Added after the transport's listener, so it runs once the transport's returns.
          socket.on("data", () => events.push("later listener"));
          const data = yield* reader.readexactly(5);
          events.push(`task read ${data.toString()}`);
          done.setResult();
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      writer.write("hello");
      yield* done;
      writer.close();
      server.close();
      yield* server.waitClosed();
      return events;
    })(),
  );
  assert.deepEqual(events, ["later listener", "task read hello"]);
});

/** Just enough of a net.Socket for a SocketTransport. */
class FakeSocket extends EventEmitter {
  writableLength = 0;
  pause(): void {}
  resume(): void {}
  end(): void {}
  destroy(): void {}
  unref(): void {}
}

test("a task woken by the first of a batch of reads runs after the whole batch", async () => {
  const events = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const events: string[] = [];
      const socket = new FakeSocket();
      const reader = new asyncio.StreamReader({ limit: 1 << 20 });
      const protocol = new asyncio.StreamReaderProtocol(reader);
      new SocketTransport(loop, socket as unknown as Socket, protocol, {}, null)._start();
      const task = asyncio.createTask(
        (function* () {
          const data = yield* reader.read(1 << 20);
          events.push(`task read ${data.length}`);
        })(),
      );
      yield* asyncio.sleep(0);
      yield* asyncio.fromPromise(
        new Promise<void>((resolve) => {
          setImmediate(() => {
            socket.emit("data", Buffer.alloc(64 * 1024));
            events.push("after full read");
            socket.emit("data", Buffer.alloc(10));
            events.push("after short read");
            resolve();
          });
        }),
      );
      yield* task;
      return events;
    })(),
  );
  // Both chunks are in the buffer by the time the task runs.
  assert.deepEqual(events, ["after full read", "after short read", "task read 65546"]);
});
