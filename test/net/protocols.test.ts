/**
 * net_protocols: the transport and protocol layer under the streams, on 127.0.0.1: callback
 * order, half-close through `eofReceived`, BufferedProtocol, write flow control, pausing
 * reads, a protocol callback that throws, and Unix sockets.
 */

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, statSync, unlinkSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";
import { collectErrors, portOf } from "../helpers.ts";

/** Records every callback; with keepOpen, answers "bye" after the peer's EOF, then half-closes too. */
class Recorder extends asyncio.Protocol {
  events: string[] = [];
  transport: asyncio.Transport | null = null;
  readonly lost: asyncio.Future<void>;
  constructor(private readonly keepOpen: boolean) {
    super();
    this.lost = asyncio.getRunningLoop().createFuture<void>();
  }
  override connectionMade(transport: asyncio.Transport) {
    this.transport = transport;
    this.events.push("made");
  }
  override dataReceived(data: Buffer) {
    this.events.push(`data ${data.toString()}`);
  }
  override eofReceived() {
    this.events.push("eof");
    if (this.keepOpen) {
      this.transport!.write("bye");
      this.transport!.writeEof();
    }
    return this.keepOpen;
  }
  override connectionLost(error: unknown) {
    this.events.push(`lost ${error === null ? "null" : String(error)}`);
    this.lost.setResult(undefined);
  }
}

test("protocol callbacks in order; eofReceived returning true keeps the connection for writing", async () => {
  const [serverEvents, reply] = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      let serverSide: Recorder | null = null;
      const server = yield* loop.createServer(
        () => (serverSide = new Recorder(true)),
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      writer.write("hi");
      yield* asyncio.sleep(0.02);
      writer.writeEof();
      const reply = (yield* reader.read()).toString();
      writer.close();
      yield* serverSide!.lost;
      server.close();
      yield* server.waitClosed();
      return [serverSide!.events, reply] as const;
    })(),
  );
  assert.deepEqual(serverEvents, ["made", "data hi", "eof", "lost null"]);
  assert.equal(reply, "bye");
});

test("eofReceived returning nothing closes the transport", async () => {
  const events = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      let serverSide: Recorder | null = null;
      const server = yield* loop.createServer(
        () => (serverSide = new Recorder(false)),
        "127.0.0.1",
        0,
      );
      const [transport, client] = yield* loop.createConnection(
        () => new Recorder(false),
        "127.0.0.1",
        portOf(server),
      );
      transport.writeEof();
      yield* client.lost;
      server.close();
      yield* server.waitClosed();
      return [...serverSide!.events, "|", ...client.events];
    })(),
  );
  assert.deepEqual(events, ["made", "eof", "lost null", "|", "made", "eof", "lost null"]);
});

test("a BufferedProtocol receives into its own buffer", async () => {
  class Collect extends asyncio.BufferedProtocol {
    buffer = new Uint8Array(7);
    received: number[] = [];
    done = asyncio.getRunningLoop().createFuture<void>();
    override getBuffer() {
      return this.buffer;
    }
    override bufferUpdated(n: number) {
      this.received.push(...this.buffer.subarray(0, n));
    }
    override connectionLost() {
      this.done.setResult(undefined);
    }
  }
  const received = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const server = yield* asyncio.startServer(
        (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
          w.write(Buffer.from([...Array(100).keys()]));
          w.close();
        },
        "127.0.0.1",
        0,
      );
      const [, protocol] = yield* loop.createConnection(
        () => new Collect(),
        "127.0.0.1",
        portOf(server),
      );
      yield* protocol.done;
      server.close();
      yield* server.waitClosed();
      return protocol.received;
    })(),
  );
  assert.deepEqual(received, [...Array(100).keys()]);
});

/**
 * A connection to a server that reads nothing until `startReading` is set. The client's
 * protocol records pauseWriting/resumeWriting in `events` and settles `resumed`; `finish()`
 * ends the client's side (if not ended yet) and closes both ends.
 */
function* slowReaderConnection(events: string[]) {
  const loop = asyncio.getRunningLoop();
  const resumed = loop.createFuture<void>();
  const startReading = loop.createFuture<void>();
  class Writer extends asyncio.Protocol {
    override pauseWriting() {
      events.push("pause");
    }
    override resumeWriting() {
      events.push("resume");
      resumed.setResult(undefined);
    }
  }
  const server = yield* asyncio.startServer(
    function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
      yield* startReading;
      yield* reader.read();
      writer.close();
    },
    "127.0.0.1",
    0,
  );
  const [transport] = yield* loop.createConnection(() => new Writer(), "127.0.0.1", portOf(server));
  function* finish(eofWritten: boolean): asyncio.Coro<void> {
    if (!eofWritten) transport.writeEof();
    server.close();
    yield* server.waitClosed();
    transport.close();
  }
  return { transport, resumed, startReading, finish };
}

test("write flow control: pauseWriting above the high mark, resumeWriting at the low mark", async () => {
  const events = await asyncio.run(
    (function* () {
      const events: string[] = [];
      const { transport, resumed, startReading, finish } = yield* slowReaderConnection(events);
      transport.setWriteBufferLimits(1024);
      assert.deepEqual(transport.getWriteBufferLimits(), [256, 1024]);
      assert.throws(
        () => transport.setWriteBufferLimits(10, 20),
        /high \(10\) must be >= low \(20\)/,
      );
      transport.write(Buffer.alloc(8 * 1024 * 1024));
      events.push(`buffered ${transport.getWriteBufferSize() > 1024}`);
      startReading.setResult(undefined);
      yield* resumed;
      events.push(`drained ${transport.getWriteBufferSize() <= 256}`);
      yield* finish(false);
      return events;
    })(),
  );
  assert.deepEqual(events, ["pause", "buffered true", "resume", "drained true"]);
});

for (const eof of [false, true]) {
  test(`lowering the limits below what is buffered pauses, then resumes once drained${eof ? " (after writeEof)" : ""}`, async () => {
    const events = await asyncio.run(
      (function* () {
        const events: string[] = [];
        const { transport, resumed, startReading, finish } = yield* slowReaderConnection(events);
        // Limits so high that the big write stays under the low mark: no reason to watch it.
        transport.setWriteBufferLimits(2 ** 30);
        transport.write(Buffer.alloc(8 * 1024 * 1024));
        if (eof) transport.writeEof();
        events.push(`buffered ${transport.getWriteBufferSize() > 1024}`);
        transport.setWriteBufferLimits(1024);
        startReading.setResult(undefined);
        yield* asyncio.waitFor(resumed, 10);
        events.push(`drained ${transport.getWriteBufferSize() <= 256}`);
        yield* finish(eof);
        return events;
      })(),
    );
    assert.deepEqual(events, ["buffered true", "pause", "resume", "drained true"]);
  });
}

test("pauseReading stops dataReceived until resumeReading", async () => {
  const events = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const events: string[] = [];
      let got = loop.createFuture<void>();
      class Reader extends asyncio.Protocol {
        override dataReceived(data: Buffer) {
          events.push(data.toString());
          if (!got.done()) got.setResult(undefined);
        }
      }
      let serverWriter: asyncio.StreamWriter | null = null;
      const server = yield* asyncio.startServer(
        (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => {
          serverWriter = w;
        },
        "127.0.0.1",
        0,
      );
      const [transport] = yield* loop.createConnection(
        () => new Reader(),
        "127.0.0.1",
        portOf(server),
      );
      yield* asyncio.sleep(0.02);
      serverWriter!.write("one");
      yield* got;
      transport.pauseReading();
      events.push(`reading=${transport.isReading()}`);
      got = loop.createFuture<void>();
      serverWriter!.write("two");
      yield* asyncio.sleep(0.05);
      events.push("resume");
      transport.resumeReading();
      yield* got;
      transport.close();
      serverWriter!.close();
      server.close();
      yield* server.waitClosed();
      return events;
    })(),
  );
  assert.deepEqual(events, ["one", "reading=false", "resume", "two"]);
});

test("a protocol whose dataReceived throws is reported and its transport aborted", async () => {
  const loop = asyncio.newEventLoop();
  const errors = collectErrors(loop);
  const lostWith = await loop.runUntilComplete(
    (function* () {
      const lost = loop.createFuture<unknown>();
      class Broken extends asyncio.Protocol {
        override dataReceived() {
          throw new Error("bad protocol");
        }
        override connectionLost(error: unknown) {
          lost.setResult(error);
        }
      }
      const server = yield* loop.createServer(() => new Broken(), "127.0.0.1", 0);
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      writer.write("boom");
      const error = yield* lost;
      try {
        yield* reader.read();
      } catch {
        // the client may see a reset
      }
      writer.close();
      server.close();
      yield* server.waitClosed();
      return error;
    })(),
  );
  loop.close();
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.message, "Fatal error: protocol.dataReceived() call failed.");
  assert.equal((lostWith as Error).message, "bad protocol");
});

test("a protocol whose connectionLost throws is reported with its transport and protocol", async () => {
  const loop = asyncio.newEventLoop();
  const errors = collectErrors(loop);
  const [transport, protocol] = await loop.runUntilComplete(
    (function* () {
      const server = yield* asyncio.startServer(
        (_r: asyncio.StreamReader, w: asyncio.StreamWriter) => w.close(),
        "127.0.0.1",
        0,
      );
      const lost = loop.createFuture<void>();
      class LosesBadly extends asyncio.Protocol {
        override connectionLost() {
          lost.setResult();
          throw new RangeError("lost badly");
        }
      }
      const connection = yield* loop.createConnection(
        () => new LosesBadly(),
        "127.0.0.1",
        portOf(server),
      );
      yield* lost;
      server.close();
      yield* server.waitClosed();
      return connection;
    })(),
  );
  loop.close();
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.message, "protocol.connectionLost() call failed.");
  assert.ok(errors[0]!.exception instanceof RangeError);
  assert.equal(errors[0]!.transport, transport);
  assert.equal(errors[0]!.protocol, protocol);
});

test("Unix sockets: streams over a path, the socket file removed on close", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "asyncio-ts-")), "echo.sock");
  const [reply, peername, existedAfter] = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startUnixServer(function* (
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
      ) {
        writer.write(yield* reader.readline());
        assert.equal(writer.getExtraInfo("sockname"), path);
        writer.close();
      }, path);
      assert.equal(server.sockets[0]!.getsockname(), path);
      const [reader, writer] = yield* asyncio.openUnixConnection(path);
      writer.write("over a unix socket\n");
      const reply = (yield* reader.readline()).toString();
      const peername = writer.getExtraInfo("peername");
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return [reply, peername, existsSync(path)] as const;
    })(),
  );
  assert.equal(reply, "over a unix socket\n");
  assert.equal(peername, path);
  assert.equal(existedAfter, false);
});

test("closing a Unix server leaves alone a socket file another server has since put at its path", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "asyncio-ts-")), "taken-over.sock");
  const [ownIno, otherIno, inoAfter, entries] = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startUnixServer(function* () {}, path);
      const ownIno = statSync(path).ino;
      // Another process takes the path over: removes the file and listens there itself.
      unlinkSync(path);
      const other = net.createServer();
      yield* asyncio.fromPromise(new Promise<void>((resolve) => other.listen(path, resolve)));
      const otherIno = statSync(path).ino;
      server.close();
      yield* server.waitClosed();
      const inoAfter = statSync(path).ino;
      const entries = readdirSync(dirname(path));
      yield* asyncio.fromPromise(new Promise<void>((resolve) => other.close(() => resolve())));
      return [ownIno, otherIno, inoAfter, entries] as const;
    })(),
  );
  assert.notEqual(ownIno, otherIno);
  assert.equal(inoAfter, otherIno);
  assert.deepEqual(entries, ["taken-over.sock"]);
});

test("cleanupSocket: false keeps the socket file at close; a non-boolean is refused", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "asyncio-ts-")), "kept.sock");
  const [existedAfter, refused] = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startUnixServer(function* () {}, path, {
        cleanupSocket: false,
      });
      server.close();
      yield* server.waitClosed();
      const existedAfter = statSync(path).isSocket();
      let refused = "not refused";
      try {
        yield* asyncio.startUnixServer(function* () {}, `${path}2`, {
          cleanupSocket: "yes" as never,
        });
      } catch (e) {
        refused = String(e);
      }
      return [existedAfter, refused] as const;
    })(),
  );
  assert.equal(existedAfter, true);
  assert.equal(
    refused,
    'TypeError: createUnixServer(): cleanupSocket must be true or false, got "yes"',
  );
  assert.equal(existsSync(`${path}2`), false);
});

test("on the virtual clock, a timer does not fire while a read waits on real I/O", async () => {
  const order = await asyncio.run(
    (function* () {
      const order: string[] = [];
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          writer.write(yield* reader.readline());
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const timer = asyncio.createTask(
        (function* () {
          yield* asyncio.sleep(30);
          order.push("timer");
        })(),
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      writer.write("ping\n");
      order.push((yield* reader.readline()).toString().trim());
      yield* timer;
      writer.close();
      server.close();
      yield* server.waitClosed();
      return order;
    })(),
    { clock: "virtual" },
  );
  assert.deepEqual(order, ["ping", "timer"]);
});
