/**
 * The load generator of the echo_server workload, run in its own process so the server's CPU
 * time is the server's alone: `node --import tsx bench/js/echo_client.ts <port> <connections>
 * <rounds> <size>` opens the connections to 127.0.0.1:<port>; each sends a <size>-byte
 * message and waits for it to come back, <rounds> times. Prints one JSON line:
 * `{ roundtrips, seconds }`.
 */

import { connect, type Socket } from "node:net";

const [port, connections, rounds, size] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
];

function pingPong(socket: Socket): Promise<void> {
  const message = Buffer.alloc(size, 0x78);
  return new Promise((resolve, reject) => {
    let left = rounds;
    let pending = size;
    socket.on("data", (chunk: Buffer) => {
      pending -= chunk.length;
      if (pending > 0) return;
      left--;
      if (left === 0) {
        socket.end();
        resolve();
        return;
      }
      pending = size;
      socket.write(message);
    });
    socket.on("error", reject);
    socket.write(message);
  });
}

const sockets = await Promise.all(
  Array.from(
    { length: connections },
    () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port, noDelay: true }, () => resolve(socket));
        socket.on("error", reject);
      }),
  ),
);
const started = performance.now();
await Promise.all(sockets.map(pingPong));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ roundtrips: connections * rounds, seconds })}\n`);
