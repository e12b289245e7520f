/**
 * Showcase, network part: one thread serves many connections at once. First a plain node:http
 * server, ordinary async code, runs each request's coroutine on one shared ConcurrentRunner
 * (the requests share a Semaphore; clients that hang up cancel their coroutine). Then, on the
 * same runner, a streams echo server on 127.0.0.1 answers hundreds of concurrent clients, each
 * a coroutine of its own, and a child process is fed and read through its pipes.
 */

import http from "node:http";
import type { AddressInfo } from "node:net";
import * as asyncio from "../../src/index.ts";

const CLIENTS = 100;
const LINES = 5;
const HTTP_REQUESTS = 100;
const HANGING_UP = 10;

export async function networkDemo(): Promise<void> {
  const runner = new asyncio.ConcurrentRunner();
  try {
    await httpDemo(runner);
    await runner.run(streamsDemo());
  } finally {
    await runner.close();
  }
}

/** node:http handlers await coroutines on the runner; four "database connections" are shared. */
async function httpDemo(runner: asyncio.ConcurrentRunner): Promise<void> {
  const database = new asyncio.Semaphore(4);
  let cancelled = 0;
  let hungUp!: () => void;
  const clientsHangUp = new Promise<void>((resolve) => {
    hungUp = resolve;
  });
  let slowStarted = 0;
  function* query(id: number, slow: boolean): asyncio.Coro<string> {
    try {
      if (slow && ++slowStarted === HANGING_UP) hungUp();
      return yield* asyncio.using(database, function* () {
        yield* asyncio.sleep(slow ? 60 : 0.01);
        return `row ${id}`;
      });
    } catch (error) {
      if (asyncio.isCancelledError(error)) cancelled++;
      throw error;
    }
  }

  const server = http.createServer(async (request, response) => {
    const [, kind, id] = (request.url ?? "").split("/");
    const hangUp = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) hangUp.abort(new Error("client hung up"));
    });
    try {
      response.end(await runner.run(query(Number(id), kind === "slow"), { signal: hangUp.signal }));
    } catch (error) {
      if (!asyncio.isCancelledError(error)) response.destroy(error as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  console.log(
    `node:http server on 127.0.0.1:${port}: ${HTTP_REQUESTS} requests at once, 4 database slots, ${HANGING_UP} clients hang up`,
  );
  const agent = new http.Agent({ keepAlive: false, maxSockets: HTTP_REQUESTS });
  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port, path, agent }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on("end", () => resolve(body));
      });
      request.on("error", reject);
      if (path.startsWith("/slow/")) void clientsHangUp.then(() => request.destroy());
    });
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: HTTP_REQUESTS }, (_, id) =>
      get(id < HANGING_UP ? `/slow/${id}` : `/${id}`),
    ),
  );
  const answered = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
  // The server sees each hang-up on its own schedule: give the last one up to two seconds.
  for (let waits = 0; cancelled < HANGING_UP && waits < 400; waits++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  console.log(
    `  ${answered} answered, ${cancelled} coroutines cancelled by their client hanging up, in ${((performance.now() - started) / 1000).toFixed(3)} s`,
  );
}

function* streamsDemo(): asyncio.Coro<void> {
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
