/**
 * Port of net_streams.py: streams over TCP on 127.0.0.1 (echo, the read functions, EOF,
 * IncompleteReadError, LimitOverrunError). Real clock: real sockets.
 */

import * as asyncio from "../src/index.ts";

/** Python's repr of a bytes value. */
function pyBytes(data: Uint8Array): string {
  let text = "";
  for (const byte of data) {
    if (byte === 0x0a) text += "\\n";
    else if (byte === 0x0d) text += "\\r";
    else if (byte === 0x09) text += "\\t";
    else if (byte === 0x27 || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return `b'${text}'`;
}

const py = (value: boolean): string => (value ? "True" : "False");

function portOf(server: asyncio.Server): number {
  return (server.sockets[0]!.getsockname() as [string, number])[1];
}

function* echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): asyncio.Coro<void> {
  for (;;) {
    const line = yield* reader.readline();
    if (line.length === 0) break;
    writer.write(line.toString().toUpperCase());
    yield* writer.drain();
  }
  writer.close();
  yield* writer.waitClosed();
}

function* feed(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): asyncio.Coro<void> {
  yield* reader.readexactly(1);
  writer.write("HEADline one\nfield;rest");
  writer.writeEof();
  yield* writer.drain();
  yield* reader.read();
  writer.close();
}

function* longLine(
  _reader: asyncio.StreamReader,
  writer: asyncio.StreamWriter,
): asyncio.Coro<void> {
  writer.write(`${"x".repeat(200)}\nshort\n`);
  yield* writer.drain();
  writer.close();
}

function* main(): asyncio.Coro<void> {
  console.log("== echo");
  let server = yield* asyncio.startServer(echo, "127.0.0.1", 0);
  let port = portOf(server);
  for (let client = 0; client < 2; client++) {
    const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", port);
    for (const word of ["hello", "world"]) {
      writer.write(`${client} ${word}\n`);
      yield* writer.drain();
      console.log("reply:", (yield* reader.readline()).toString().trim());
    }
    writer.writeEof();
    console.log("eof from server:", py((yield* reader.read()).length === 0), py(reader.atEof()));
    writer.close();
    yield* writer.waitClosed();
  }
  server.close();
  yield* server.waitClosed();

  console.log("== read functions");
  server = yield* asyncio.startServer(feed, "127.0.0.1", 0);
  port = portOf(server);
  let [reader, writer] = yield* asyncio.openConnection("127.0.0.1", port);
  writer.write("!");
  console.log("readexactly:", pyBytes(yield* reader.readexactly(4)));
  console.log("readline:", pyBytes(yield* reader.readline()));
  console.log("readuntil:", pyBytes(yield* reader.readuntil([";", "\r\n"])));
  try {
    yield* reader.readexactly(10);
  } catch (e) {
    if (!(e instanceof asyncio.IncompleteReadError)) throw e;
    console.log("IncompleteReadError:", pyBytes(e.partial), e.expected);
  }
  console.log("read at eof:", pyBytes(yield* reader.read()), py(reader.atEof()));
  writer.close();
  yield* writer.waitClosed();
  server.close();
  yield* server.waitClosed();

  console.log("== limits");
  server = yield* asyncio.startServer(longLine, "127.0.0.1", 0);
  port = portOf(server);
  [reader, writer] = yield* asyncio.openConnection("127.0.0.1", port, { limit: 64 });
  try {
    yield* reader.readuntil("\n");
  } catch (e) {
    if (!(e instanceof asyncio.LimitOverrunError)) throw e;
    console.log("LimitOverrunError consumed:", e.consumed);
  }
  try {
    yield* reader.readline();
  } catch (e) {
    asyncio.rethrowIfCancelled(e);
    console.log((e as Error).name);
  }
  console.log("next line:", pyBytes(yield* reader.readline()));
  writer.close();
  yield* writer.waitClosed();
  server.close();
  yield* server.waitClosed();
}

await asyncio.run(main());
