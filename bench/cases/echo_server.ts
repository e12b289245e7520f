/**
 * echo_server: a streams echo server (readexactly → write → drain per message) serving 50
 * connections of 100-byte ping-pong, driven by one Node client in another process. The figure
 * is round-trips per CPU-second of the server process, so the client's cost does not count.
 */

import * as asyncio from "../../src/index.ts";
import {
  defineWorkload,
  type Measurement,
  nodeAnchor,
  ours,
  pythonAnchors,
} from "../harness/workload.ts";
import { CLIENT, measurement, REPO_ROOT } from "../js/echo_server.ts";

const CONNECTIONS = 50;
/**
 * Round-trips per connection: 250,000 in all, ~5 s for Node. A 1-second run (1,000 rounds)
 * measured start-up as much as serving: V8's background threads compiling the code just
 * loaded, counted in the server's CPU time, weighed on the library more than on the raw server.
 */
const ROUNDS = 5_000;
const SIZE = 100;

function* handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): asyncio.Coro<void> {
  try {
    for (;;) {
      writer.write(yield* reader.readexactly(SIZE));
      yield* writer.drain();
    }
  } catch (error) {
    if (!(error instanceof asyncio.IncompleteReadError)) throw error;
  } finally {
    writer.close();
  }
}

function* main(): asyncio.Coro<Measurement> {
  const server = yield* asyncio.startServer(handle, "127.0.0.1", 0);
  const [, port] = server.sockets[0]!.getsockname() as [string, number];
  const started = process.cpuUsage();
  const client = yield* asyncio.createSubprocessExec(
    process.execPath,
    "--import",
    "tsx",
    CLIENT,
    String(port),
    String(CONNECTIONS),
    String(ROUNDS),
    String(SIZE),
    { stdout: asyncio.PIPE, cwd: REPO_ROOT },
  );
  const [output] = yield* client.communicate();
  const cpu = process.cpuUsage(started);
  server.close();
  yield* server.waitClosed();
  return measurement(JSON.parse(output!.toString().trim().split("\n").at(-1)!), cpu);
}

export default defineWorkload({
  name: "echo_server",
  order: 70,
  title: `echo_server: ${CONNECTIONS} connections x ${ROUNDS.toLocaleString("en-US")} round-trips of ${SIZE} bytes (readexactly, write, drain)`,
  unit: "round-trips per server CPU-s",
  better: "higher",
  implementations: [
    ours(() => asyncio.run(main())),
    nodeAnchor("node-net", "raw Node net server (echo each chunk)", async () =>
      (await import("../js/echo_server.ts")).nodeNet(CONNECTIONS, ROUNDS, SIZE),
    ),
    ...pythonAnchors("py/echo_server.py", [
      "--connections",
      String(CONNECTIONS),
      "--rounds",
      String(ROUNDS),
      "--size",
      String(SIZE),
    ]),
  ],
  targets: [{ kind: "speedup", anchor: "node-net", atLeast: 0.9 }],
  notes: [
    "The client is a raw Node process shared by every row; the figure counts only the server process's CPU time (user + system).",
  ],
});
