/**
 * net_tcp_faults: what goes wrong on a connection, on 127.0.0.1 with the real clock: a peer
 * reset mid-read, a refused connection, a slow reader (drain blocks, memory stays bounded), a
 * line over the limit, writing to a closed writer, a server closed under its clients, bad
 * arguments, a failing client callback, and no byte lost under pause and resume.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Socket } from "node:net";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";
import { collectErrors, portOf } from "../helpers.ts";

/** A server's client callback: reads until the client's EOF, then closes. */
function* readToEofThenClose(
  reader: asyncio.StreamReader,
  writer: asyncio.StreamWriter,
): asyncio.Coro<void> {
  yield* reader.read();
  writer.close();
}

test("a peer reset mid-read fails the read with ConnectionResetError (code kept)", async () => {
  const error = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          writer.write("partial");
          yield* writer.drain();
          yield* reader.readexactly(1);
          (writer.getExtraInfo("socket") as Socket).resetAndDestroy();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      assert.equal((yield* reader.readexactly(7)).toString(), "partial");
      writer.write("x");
      try {
        yield* reader.readexactly(100);
        return null;
      } catch (e) {
        return e;
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    })(),
  );
  assert.ok(error instanceof asyncio.ConnectionResetError, String(error));
  assert.ok(error instanceof asyncio.ConnectionError);
  assert.ok(error instanceof asyncio.OSError);
  assert.equal(error.code, "ECONNRESET");
});

test("connecting to a closed port fails with ConnectionRefusedError", async () => {
  const error = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(() => {}, "127.0.0.1", 0);
      const port = portOf(server);
      server.close();
      yield* server.waitClosed();
      try {
        yield* asyncio.openConnection("127.0.0.1", port);
        return null;
      } catch (e) {
        return e;
      }
    })(),
  );
  assert.ok(error instanceof asyncio.ConnectionRefusedError, String(error));
  assert.equal(error.code, "ECONNREFUSED");
  assert.equal(error.syscall, "connect");
});

test("invalid host and port arguments fail at the call, before any socket", async () => {
  await asyncio.run(
    (function* () {
      const attempts: [unknown, unknown, new (...args: never[]) => Error, RegExp][] = [
        ["", 80, TypeError, /host must be a non-empty string/],
        [42, 80, TypeError, /host must be a non-empty string/],
        ["127.0.0.1", 70000, asyncio.ValueError, /port must be from 1 to 65535, got 70000/],
        ["127.0.0.1", "http", TypeError, /port must be an integer from 1 to 65535, got "http"/],
        ["127.0.0.1", 1.5, TypeError, /port must be an integer/],
        ["127.0.0.1", 0, asyncio.ValueError, /port must be from 1 to 65535, got 0/],
      ];
      for (const [host, port, ErrorClass, message] of attempts) {
        assert.throws(
          () =>
            asyncio
              .openConnection(host as string, port as number)
              [Symbol.iterator]()
              .next(),
          (e: unknown) => e instanceof ErrorClass && message.test((e as Error).message),
        );
      }
      assert.throws(
        () =>
          asyncio
            .startServer(() => {}, "127.0.0.1", -1)
            [Symbol.iterator]()
            .next(),
        /port must be from 0 to 65535, got -1/,
      );
      assert.throws(
        () =>
          asyncio
            .startServer(() => {}, "127.0.0.1", 0, { limit: 0 })
            [Symbol.iterator]()
            .next(),
        /Limit cannot be <= 0/,
      );
      assert.throws(
        () =>
          asyncio
            .startServer("nope" as never, "127.0.0.1", 0)
            [Symbol.iterator]()
            .next(),
        /clientConnected must be a function/,
      );
      assert.throws(
        () =>
          asyncio
            .openConnection("127.0.0.1", 80, { serverHostname: "x" })
            [Symbol.iterator]()
            .next(),
        /serverHostname is only meaningful with ssl/,
      );
    })(),
  );
});

test("a slow reader: drain() holds the writer back and both buffers stay bounded", async () => {
  const report = await asyncio.run(
    (function* () {
      const chunk = Buffer.alloc(16 * 1024, 7);
      const total = 8 * 1024 * 1024;
      let maxWriteBuffer = 0;
      let written = 0;
      const serverDone = asyncio.getRunningLoop().createFuture<void>();
      const server = yield* asyncio.startServer(
        function* (_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          while (written < total) {
            writer.write(chunk);
            written += chunk.length;
            maxWriteBuffer = Math.max(maxWriteBuffer, writer.transport.getWriteBufferSize());
            yield* writer.drain();
          }
          writer.close();
          serverDone.setResult(undefined);
        },
        "127.0.0.1",
        0,
      );
      const limit = 32 * 1024;
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server), {
        limit,
      });
      // Read nothing for a while: the server must stop at drain(), not buffer 8 MiB.
      yield* asyncio.sleep(0.2);
      const stalledAt = written;
      const buffered = reader.statistics();
      let received = 0;
      for (;;) {
        const data = yield* reader.read(65536);
        if (data.length === 0) break;
        received += data.length;
      }
      yield* serverDone;
      writer.close();
      server.close();
      yield* server.waitClosed();
      return { stalledAt, buffered, received, maxWriteBuffer, limit, total };
    })(),
  );
  assert.ok(report.stalledAt < report.total, `the writer stalled (at ${report.stalledAt})`);
  assert.equal(report.buffered.paused, true, "the client paused reading");
  assert.ok(
    report.buffered.buffered <= 2 * report.limit + 64 * 1024,
    `reader buffer ${report.buffered.buffered}`,
  );
  assert.ok(
    report.maxWriteBuffer <= 64 * 1024 + 16 * 1024,
    `write buffer ${report.maxWriteBuffer}`,
  );
  assert.equal(report.received, report.total);
});

test("a 1 MB line against the 64 KiB limit: LimitOverrunError keeps the data, readline drops the line", async () => {
  const events = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(
        function* (_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          writer.write(Buffer.alloc(1024 * 1024, 0x61));
          writer.write("\nnext line\n");
          yield* writer.drain();
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      const events: string[] = [];
      try {
        yield* reader.readuntil("\n");
      } catch (e) {
        assert.ok(e instanceof asyncio.LimitOverrunError);
        events.push(
          `${e.name}: ${e.message} (consumed > limit: ${e.consumed > asyncio.DEFAULT_LIMIT})`,
        );
        events.push(`data kept: ${reader.statistics().buffered >= e.consumed}`);
      }
      try {
        yield* reader.readline();
      } catch (e) {
        events.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
      // The rest of the long line is still there; skip it by reading past its newline in pieces
      // (its tail may come back as a short line of its own, depending on how it was chunked).
      let skipped = 0;
      for (;;) {
        try {
          const line = yield* reader.readline();
          if (/^a+\n$/.test(line.toString())) {
            skipped++;
            continue;
          }
          events.push(`line: ${JSON.stringify(line.toString())} after skipping ${skipped > 0}`);
          break;
        } catch (e) {
          assert.ok(e instanceof asyncio.ValueError);
          skipped++;
        }
      }
      events.push(`then: ${JSON.stringify((yield* reader.readline()).toString())}`);
      writer.close();
      server.close();
      yield* server.waitClosed();
      return events;
    })(),
  );
  assert.deepEqual(events, [
    "LimitOverrunError: Separator is not found, and chunk exceed the limit (consumed > limit: true)",
    "data kept: true",
    "ValueError: Separator is not found, and chunk exceed the limit",
    'line: "next line\\n" after skipping true',
    'then: ""',
  ]);
});

test("writing to a closed writer drops the data and drain() reports the lost connection", async () => {
  const events = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(readToEofThenClose, "127.0.0.1", 0);
      const [, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      const events: string[] = [];
      writer.close();
      events.push(`closing=${writer.isClosing()}`);
      writer.write("dropped");
      yield* writer.waitClosed();
      writer.write("dropped too");
      // Like a coroutine, drain() does nothing until it is awaited: the error comes at yield*.
      const drain = writer.drain();
      events.push("drain() returned");
      try {
        yield* drain;
      } catch (e) {
        events.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
      assert.throws(
        () => writer.write(42 as never),
        /write\(\) takes a Uint8Array\/Buffer or a string, got number 42/,
      );
      server.close();
      yield* server.waitClosed();
      return events;
    })(),
  );
  assert.deepEqual(events, [
    "closing=true",
    "drain() returned",
    "ConnectionResetError: Connection lost",
  ]);
});

test("write() then drain() right after close(): ConnectionResetError, and the server still closes", async () => {
  const events = await asyncio.run(
    (function* () {
      const events: string[] = [];
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          yield* reader.readline();
          writer.close();
          writer.write("after close");
          try {
            yield* writer.drain();
            events.push("server drain returned");
          } catch (e) {
            events.push(`server drain: ${(e as Error).name}`);
          }
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      writer.write("hello\n");
      events.push(`client read ${JSON.stringify(String(yield* reader.read()))}`);
      writer.close();
      writer.write("after close");
      try {
        yield* writer.drain();
        events.push("client drain returned");
      } catch (e) {
        events.push(`client drain: ${(e as Error).name}`);
      }
      server.close();
      yield* asyncio.waitFor(server.waitClosed(), 10);
      events.push("server closed");
      return events;
    })(),
  );
  // The server's drain and the client's read end on different sockets' events: either first.
  assert.deepEqual(events.slice(0, 2).sort(), [
    'client read ""',
    "server drain: ConnectionResetError",
  ]);
  assert.deepEqual(events.slice(2), ["client drain: ConnectionResetError", "server closed"]);
});

test("abortClients() on close: the clients see their connection end", async () => {
  const results = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(readToEofThenClose, "127.0.0.1", 0);
      const port = portOf(server);
      const clients = [];
      for (let i = 0; i < 3; i++) clients.push(yield* asyncio.openConnection("127.0.0.1", port));
      yield* asyncio.sleep(0.02);
      assert.equal(server.statistics().clients, 3);
      server.close();
      server.abortClients();
      yield* server.waitClosed();
      const outcomes: string[] = [];
      for (const [reader, writer] of clients) {
        try {
          const data = yield* reader.read();
          outcomes.push(`eof ${data.length}`);
        } catch (e) {
          outcomes.push((e as Error).name);
        }
        writer.close();
      }
      return outcomes;
    })(),
  );
  assert.equal(results.length, 3);
  for (const outcome of results)
    assert.ok(["eof 0", "ConnectionResetError"].includes(outcome), outcome);
});

test("a client callback that throws is reported and its connection closed", async () => {
  const loop = asyncio.newEventLoop();
  const errors = collectErrors(loop);
  const data = await loop.runUntilComplete(
    (function* () {
      const server = yield* asyncio.startServer(
        function* () {
          yield* asyncio.sleep(0);
          throw new Error("handler failed");
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      const data = yield* reader.read();
      writer.close();
      server.close();
      yield* server.waitClosed();
      return data;
    })(),
  );
  loop.close();
  assert.equal(data.length, 0);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.message, "Unhandled exception in client_connected_cb");
  assert.equal((errors[0]!.exception as Error).message, "handler failed");
});

test("cancelling a pending read loses nothing: the next read gets the bytes", async () => {
  const got = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          yield* reader.readexactly(1);
          writer.write("hello\n");
          yield* writer.drain();
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      const pending = asyncio.createTask(reader.readline());
      yield* asyncio.sleep(0.01);
      pending.cancel();
      try {
        yield* pending;
      } catch (e) {
        assert.ok(e instanceof asyncio.CancelledError);
      }
      writer.write("!");
      const line = (yield* reader.readline()).toString();
      writer.close();
      server.close();
      yield* server.waitClosed();
      return line;
    })(),
  );
  assert.equal(got, "hello\n");
});

test("two readers at once: the second gets a RuntimeError", async () => {
  await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(readToEofThenClose, "127.0.0.1", 0);
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      const first = asyncio.createTask(reader.read(10));
      yield* asyncio.sleep(0);
      try {
        yield* reader.readline();
        assert.fail("expected a RuntimeError");
      } catch (e) {
        assert.ok(e instanceof asyncio.RuntimeError);
        assert.match(
          (e as Error).message,
          /readuntil\(\) called while another coroutine is already waiting/,
        );
      }
      writer.close();
      assert.equal((yield* first).length, 0);
      server.close();
      yield* server.waitClosed();
    })(),
  );
});

test("no byte lost: 3 MiB in random pieces through a small limit, read in mixed ways", async () => {
  const [sent, received] = await asyncio.run(
    (function* () {
      let seed = 12345;
      const random = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed;
      };
      const payload = Buffer.alloc(3 * 1024 * 1024);
      for (let i = 0; i < payload.length; i++) payload[i] = random() & 0xff;
      const server = yield* asyncio.startServer(
        function* (_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          let offset = 0;
          while (offset < payload.length) {
            const size = 1 + (random() % 40000);
            writer.write(payload.subarray(offset, offset + size));
            offset += size;
            yield* writer.drain();
          }
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server), {
        limit: 4096,
      });
      const hash = createHash("sha256");
      let step = 0;
      for (;;) {
        step++;
        let piece: Buffer;
        if (step % 3 === 0) {
          try {
            piece = yield* reader.readexactly(5000);
          } catch (e) {
            assert.ok(e instanceof asyncio.IncompleteReadError);
            piece = e.partial;
          }
        } else if (step % 3 === 1) piece = yield* reader.read(3000);
        else {
          try {
            piece = yield* reader.readuntil(Buffer.from([0x00, 0x01]));
          } catch (e) {
            if (e instanceof asyncio.LimitOverrunError)
              piece = yield* reader.readexactly(e.consumed);
            else if (e instanceof asyncio.IncompleteReadError) piece = e.partial;
            else throw e;
          }
        }
        if (piece.length === 0 && reader.atEof()) break;
        hash.update(piece);
      }
      writer.close();
      server.close();
      yield* server.waitClosed();
      return [createHash("sha256").update(payload).digest("hex"), hash.digest("hex")];
    })(),
  );
  assert.equal(received, sent);
});

test("a connection reset while held before startServing() is dropped quietly", async () => {
  const reply = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          writer.write(yield* reader.readline());
          writer.close();
        },
        "127.0.0.1",
        0,
        { startServing: false },
      );
      const [, early] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      yield* asyncio.sleep(0.05);
      assert.equal(server.statistics().held, 1);
      (early.getExtraInfo("socket") as Socket).resetAndDestroy();
      yield* asyncio.sleep(0.05);
      yield* server.startServing();
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      writer.write("still serving\n");
      const line = (yield* reader.readline()).toString();
      writer.close();
      server.close();
      yield* server.waitClosed();
      return line;
    })(),
  );
  assert.equal(reply, "still serving\n");
});
