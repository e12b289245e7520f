/**
 * stream_bulk: 1 GiB through one TCP stream on 127.0.0.1, both ends in this process: the
 * server writes 64 KiB chunks with write + drain, the client reads with read(65536) until
 * EOF. Megabytes per second of wall time, beside raw Node sockets doing the same.
 */

import * as asyncio from "../../src/index.ts";
import { defineWorkload, type Measurement, nodeAnchor, ours } from "../harness/workload.ts";

const TOTAL = 2 ** 30;
const CHUNK = 64 * 1024;

function* main(): asyncio.Coro<Measurement> {
  const chunk = Buffer.alloc(CHUNK, 0x62);
  const server = yield* asyncio.startServer(
    function* (_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
      for (let sent = 0; sent < TOTAL; sent += CHUNK) {
        writer.write(chunk);
        yield* writer.drain();
      }
      writer.close();
    },
    "127.0.0.1",
    0,
  );
  const [, port] = server.sockets[0]!.getsockname() as [string, number];
  const started = performance.now();
  const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", port);
  let received = 0;
  for (let data = yield* reader.read(CHUNK); data.length > 0; data = yield* reader.read(CHUNK)) {
    received += data.length;
  }
  const seconds = (performance.now() - started) / 1000;
  writer.close();
  server.close();
  yield* server.waitClosed();
  return {
    value: received / 2 ** 20 / seconds,
    detail: { total_s: seconds, mib: received / 2 ** 20 },
  };
}

export default defineWorkload({
  name: "stream_bulk",
  order: 75,
  title: "stream_bulk: 1 GiB through one TCP stream (write + drain, read(65536))",
  unit: "MiB/s",
  better: "higher",
  implementations: [
    ours(() => asyncio.run(main())),
    nodeAnchor("node-net", "raw Node net sockets (write backpressure, 'data' events)", async () =>
      (await import("../js/stream_bulk.ts")).nodeNet(TOTAL, CHUNK),
    ),
  ],
  targets: [{ kind: "speedup", anchor: "node-net", atLeast: 0.9 }],
  notes: [
    "Both ends run in the measured process: the figure is wall-clock throughput.",
    "The raw Node server waits for 'drain' above a 64 KiB high-water mark, the mark asyncio-ts's drain() uses.",
  ],
});
