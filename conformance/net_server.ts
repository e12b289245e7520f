/**
 * Port of net_server.py: a streams server's lifecycle on 127.0.0.1 (startServing: false,
 * serveForever ended by close(), close with clients connected, waitClosed, closeClients, the
 * server as a context manager, a refused connection). Real clock: real sockets.
 */

import * as asyncio from "../src/index.ts";

const py = (value: boolean): string => (value ? "True" : "False");

function* main(): asyncio.Coro<void> {
  const handled: string[] = [];

  function* handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): asyncio.Coro<void> {
    const name = (yield* reader.readline()).toString().trim();
    handled.push(name);
    writer.write(`hello ${name}\n`);
    yield* writer.drain();
    yield* reader.read();
    writer.close();
  }

  console.log("== serve_forever");
  let server = yield* asyncio.startServer(handle, "127.0.0.1", 0, { startServing: false });
  let [, port] = server.sockets[0]!.getsockname() as [string, number];
  console.log("serving before:", py(server.isServing()));
  const serving = asyncio.createTask(server.serveForever());
  yield* asyncio.sleep(0);
  console.log("serving after:", py(server.isServing()));

  const clients: [asyncio.StreamReader, asyncio.StreamWriter][] = [];
  for (const name of ["ann", "bob", "cid"]) {
    const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", port);
    writer.write(`${name}\n`);
    console.log((yield* reader.readline()).toString().trim());
    clients.push([reader, writer]);
  }
  console.log(
    "handled:",
    `[${[...handled]
      .sort()
      .map((name) => `'${name}'`)
      .join(", ")}]`,
  );

  console.log("== close with clients connected");
  server.close();
  console.log("is_serving:", py(server.isServing()), "sockets:", server.sockets.length);
  const waiting = asyncio.createTask(server.waitClosed());
  yield* asyncio.sleep(0.05);
  console.log("wait_closed done while clients connected:", py(waiting.done()));
  server.closeClients();
  yield* waiting;
  console.log("wait_closed done after close_clients:", py(waiting.done()));
  for (const [reader, writer] of clients) {
    console.log("client reads EOF:", py((yield* reader.read()).length === 0));
    writer.close();
  }
  try {
    yield* serving;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    console.log("serve_forever cancelled by close()");
  }

  console.log("== refused after close");
  try {
    yield* asyncio.openConnection("127.0.0.1", port);
  } catch (e) {
    if (!(e instanceof asyncio.ConnectionRefusedError)) throw e;
    console.log("ConnectionRefusedError");
  }

  console.log("== context manager");
  server = yield* asyncio.startServer(handle, "127.0.0.1", 0);
  yield* asyncio.using(server, function* () {
    [, port] = server.sockets[0]!.getsockname() as [string, number];
    const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", port);
    writer.write("dee\n");
    console.log((yield* reader.readline()).toString().trim());
    writer.close();
    yield* writer.waitClosed();
  });
  console.log("after async with: serving", py(server.isServing()));
}

await asyncio.run(main());
