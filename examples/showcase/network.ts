/**
 * Showcase, network part: one thread serves many connections at once. A streams echo server
 * on 127.0.0.1 answers hundreds of concurrent clients, each a coroutine of its own; then a
 * child process is fed and read through its pipes.
 */

import * as asyncio from "../../src/index.ts";

const CLIENTS = 100;
const LINES = 5;

export function* networkDemo(): asyncio.Coro<void> {
  let served = 0;
  function* echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): asyncio.Coro<void> {
    for (let line = yield* reader.readline(); line.length > 0; line = yield* reader.readline()) {
      writer.write(line);
      yield* writer.drain();
    }
    served++;
    writer.close();
  }

  const server = yield* asyncio.startServer(echo, "127.0.0.1", 0);
  const [host, port] = server.sockets[0]!.getsockname() as [string, number];
  console.log(
    `echo server on ${host}:${port}; ${CLIENTS} clients, all connected before any talks, ${LINES} lines each`,
  );

  // Every client holds its connection open until all are connected; then they all talk at once.
  const allConnected = new asyncio.Event();
  let connected = 0;
  function* client(id: number): asyncio.Coro<number> {
    const [reader, writer] = yield* asyncio.openConnection(host, port);
    if (++connected === CLIENTS) allConnected.set();
    yield* allConnected.wait();
    let echoed = 0;
    for (let i = 0; i < LINES; i++) {
      writer.write(`client ${id} line ${i}\n`);
      const reply = yield* reader.readline();
      if (reply.toString() === `client ${id} line ${i}\n`) echoed++;
    }
    writer.close();
    yield* writer.waitClosed();
    return echoed;
  }

  const loop = asyncio.getRunningLoop();
  const started = loop.time();
  const clients = Array.from({ length: CLIENTS }, (_, id) => asyncio.createTask(client(id)));
  let echoed = 0;
  for (const task of clients) echoed += yield* task;
  server.close();
  yield* server.waitClosed();
  console.log(
    `  ${echoed} lines echoed, ${served} connections served, ` +
      `in ${(loop.time() - started).toFixed(3)} s on one thread (pid ${process.pid})`,
  );

  const proc = yield* asyncio.createSubprocessShell("tr a-z A-Z; echo done >&2", {
    stdin: asyncio.PIPE,
    stdout: asyncio.PIPE,
    stderr: asyncio.PIPE,
  });
  const [out, err] = yield* proc.communicate("a child process, fed through its stdin\n");
  console.log(
    `  child ${proc.pid} wrote ${JSON.stringify(out!.toString())}, then ${JSON.stringify(err!.toString())}; exit ${proc.returncode}`,
  );
}
