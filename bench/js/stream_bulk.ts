/**
 * The raw Node anchor of the stream_bulk workload: a `net` server writes the bytes in
 * chunks, honouring `write()`'s backpressure ('drain') with a 64 KiB high-water mark (the
 * mark asyncio-ts's drain() uses; Node's default is 16 KiB); a client in the same process
 * counts them. Megabytes per second of wall time.
 */

import { connect, createServer } from "node:net";
import type { Measurement } from "../harness/workload.ts";

export async function nodeNet(total: number, chunkSize: number): Promise<Measurement> {
  const chunk = Buffer.alloc(chunkSize, 0x62);
  const server = createServer({ highWaterMark: 64 * 1024 }, (socket) => {
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once("drain", pump);
          return;
        }
      }
      socket.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const started = performance.now();
  const received = await new Promise<number>((resolve, reject) => {
    let count = 0;
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("data", (data: Buffer) => {
      count += data.length;
    });
    socket.on("end", () => resolve(count));
    socket.on("error", reject);
  });
  const seconds = (performance.now() - started) / 1000;
  server.close();
  return {
    value: received / 2 ** 20 / seconds,
    detail: { total_s: seconds, mib: received / 2 ** 20 },
  };
}
