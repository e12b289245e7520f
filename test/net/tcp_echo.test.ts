/**
 * net_tcp_echo: streams over TCP on 127.0.0.1, an echo server with several clients, the
 * reader's read functions, the writer's half-close, extra info and the server's lifecycle.
 * Real clock (real sockets); every wait is bounded.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";
import { portOf } from "../helpers.ts";

function* echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): asyncio.Coro<void> {
  for (;;) {
    const line = yield* reader.readline();
    if (line.length === 0) break;
    writer.write(line);
    yield* writer.drain();
  }
  writer.close();
  yield* writer.waitClosed();
}

test("an echo server answers several clients line by line", async () => {
  const lines = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(echo, "127.0.0.1", 0);
      const port = portOf(server);
      function* client(id: number): asyncio.Coro<string[]> {
        const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", port);
        const got: string[] = [];
        for (let i = 0; i < 3; i++) {
          writer.write(`client ${id} line ${i}\n`);
          yield* writer.drain();
          got.push((yield* reader.readline()).toString());
        }
        writer.close();
        yield* writer.waitClosed();
        return got;
      }
      const tasks = [1, 2, 3].map((id) => asyncio.createTask(client(id)));
      const results: string[] = [];
      for (const task of tasks) results.push(...(yield* task));
      server.close();
      yield* server.waitClosed();
      return results;
    })(),
  );
  assert.equal(lines.length, 9);
  assert.equal(lines[0], "client 1 line 0\n");
  assert.equal(lines[8], "client 3 line 2\n");
});

test("read, readexactly, readuntil and EOF on one stream", async () => {
  const results = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(
        function* (_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          writer.write("HEAD");
          writer.write("line one\nfield;");
          writer.write("rest of it");
          writer.writeEof();
          yield* writer.drain();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      const out: string[] = [];
      out.push((yield* reader.readexactly(4)).toString());
      out.push((yield* reader.readline()).toString());
      out.push((yield* reader.readuntil([";", "\r\n"])).toString());
      out.push((yield* reader.read()).toString());
      out.push(`eof=${reader.atEof()} again=${(yield* reader.read()).length}`);
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return out;
    })(),
  );
  assert.deepEqual(results, ["HEAD", "line one\n", "field;", "rest of it", "eof=true again=0"]);
});

test("readexactly at EOF throws IncompleteReadError with the partial bytes", async () => {
  const error = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(
        (_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) => {
          writer.write("abc");
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      try {
        yield* reader.readexactly(10);
        return null;
      } catch (e) {
        return e;
      } finally {
        writer.close();
        server.close();
        yield* server.waitClosed();
      }
    })(),
  );
  assert.ok(error instanceof asyncio.IncompleteReadError);
  assert.equal(error.partial.toString(), "abc");
  assert.equal(error.expected, 10);
  assert.equal(error.message, "3 bytes read on a total of 10 expected bytes");
});

test("half-close: the server reads EOF and can still answer", async () => {
  const answer = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          const all = yield* reader.read();
          writer.write(`got ${all.length} bytes then EOF`);
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      assert.equal(writer.canWriteEof(), true);
      writer.write("12345");
      writer.writeEof();
      const reply = (yield* reader.read()).toString();
      writer.close();
      server.close();
      yield* server.waitClosed();
      return reply;
    })(),
  );
  assert.equal(answer, "got 5 bytes then EOF");
});

test("extra info: peername, sockname and the socket", async () => {
  await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(
        (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => w.close(),
        "127.0.0.1",
        0,
      );
      const port = portOf(server);
      const [, writer] = yield* asyncio.openConnection("127.0.0.1", port);
      assert.deepEqual(writer.getExtraInfo("peername"), ["127.0.0.1", port]);
      const sockname = writer.getExtraInfo("sockname") as [string, number];
      assert.equal(sockname[0], "127.0.0.1");
      assert.ok(writer.getExtraInfo("socket") !== null);
      assert.equal(writer.getExtraInfo("nonexistent", "fallback"), "fallback");
      assert.match(
        String(writer),
        /^<StreamWriter transport=<SocketTransport peer=127\.0\.0\.1:\d+ /,
      );
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
    })(),
  );
});

test("serveForever ends when cancelled, closing the server", async () => {
  const events = await asyncio.run(
    (function* () {
      const events: string[] = [];
      const server = yield* asyncio.startServer(
        (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => w.close(),
        "127.0.0.1",
        0,
        { startServing: false },
      );
      events.push(`serving=${server.isServing()}`);
      const serving = asyncio.createTask(server.serveForever());
      yield* asyncio.sleep(0);
      events.push(`serving=${server.isServing()}`);
      const [reader] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      events.push(`read=${(yield* reader.read()).length}`);
      serving.cancel();
      try {
        yield* serving;
      } catch (e) {
        events.push(e instanceof asyncio.CancelledError ? "cancelled" : String(e));
      }
      events.push(`serving=${server.isServing()} sockets=${server.sockets.length}`);
      return events;
    })(),
  );
  assert.deepEqual(events, [
    "serving=false",
    "serving=true",
    "read=0",
    "cancelled",
    "serving=false sockets=0",
  ]);
});

test("waitClosed waits for the connections after close(); closeClients ends them", async () => {
  const events = await asyncio.run(
    (function* () {
      const events: string[] = [];
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader) {
          yield* reader.read();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      yield* asyncio.sleep(0.02);
      server.close();
      const waiting = asyncio.createTask(server.waitClosed());
      yield* asyncio.sleep(0.02);
      events.push(`after close: done=${waiting.done()} clients=${server.statistics().clients}`);
      server.closeClients();
      yield* waiting;
      events.push(`after closeClients: clients=${server.statistics().clients}`);
      events.push(`client reads ${(yield* reader.read()).length} bytes (EOF)`);
      writer.close();
      return events;
    })(),
  );
  assert.deepEqual(events, [
    "after close: done=false clients=1",
    "after closeClients: clients=0",
    "client reads 0 bytes (EOF)",
  ]);
});

test("a server is a context manager: aexit closes it and waits", async () => {
  await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(() => {}, "127.0.0.1", 0);
      assert.equal(yield* server.aenter(), server);
      assert.match(
        String(server),
        /^<Server serving sockets=\[<ServerSocket 127\.0\.0\.1:\d+>\] clients=0>$/,
      );
      yield* server.aexit(null);
      assert.equal(String(server), "<Server closed sockets=[] clients=0>");
    })(),
  );
});

test("line iteration: lines() in a coroutine, for await in async code", async () => {
  const loop = asyncio.newEventLoop();
  function* serveLines(
    _reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
  ): asyncio.Coro<void> {
    writer.write("one\ntwo\nthree");
    yield* writer.drain();
    writer.close();
  }
  const fromCoroutine = await loop.runUntilComplete(
    (function* () {
      const server = yield* asyncio.startServer(serveLines, "127.0.0.1", 0);
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      const got: string[] = [];
      const lines = reader.lines();
      for (let step = yield* lines.next(); !step.done; step = yield* lines.next())
        got.push(step.value.toString());
      writer.close();
      server.close();
      yield* server.waitClosed();
      return got;
    })(),
  );
  const fromAsync = await loop.runUntilComplete(
    (function* () {
      const server = yield* asyncio.startServer(serveLines, "127.0.0.1", 0);
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      const collect = async () => {
        const got: string[] = [];
        for await (const line of reader) got.push(line.toString());
        return got;
      };
      const got = yield* asyncio.fromPromise(collect());
      writer.close();
      server.close();
      yield* server.waitClosed();
      return got;
    })(),
  );
  loop.close();
  assert.deepEqual(fromCoroutine, ["one\n", "two\n", "three"]);
  assert.deepEqual(fromAsync, ["one\n", "two\n", "three"]);
});
