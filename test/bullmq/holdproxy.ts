/**
 * A TCP proxy in front of Redis for the BullMQ tests, as a process of its own (it must keep
 * forwarding while a test holds its own thread up). Usage: `holdproxy.ts LISTEN_PORT
 * REDIS_PORT`; prints "ready". SIGUSR1: hold what Redis sends to the first connection made
 * through it (prints "holding"); SIGUSR2: send what was held and stop holding ("released").
 */

import { createConnection, createServer, type Socket } from "node:net";

const [listenPort, redisPort] = process.argv.slice(2).map(Number) as [number, number];
interface Held {
  client: Socket;
  held: Buffer[];
}

let first: Held | null = null;
let holding = false;

const server = createServer((client) => {
  const upstream = createConnection(redisPort, "127.0.0.1");
  let entry: Held | null = null;
  if (first === null) {
    entry = { client, held: [] };
    first = entry;
  }
  client.on("data", (chunk: Buffer) => upstream.write(chunk));
  upstream.on("data", (chunk: Buffer) => {
    if (entry !== null && holding) entry.held.push(chunk);
    else client.write(chunk);
  });
  client.on("close", () => upstream.destroy());
  upstream.on("close", () => client.destroy());
  client.on("error", () => {});
  upstream.on("error", () => {});
});

server.listen(listenPort, "127.0.0.1", () => console.log("ready"));
process.on("SIGUSR1", () => {
  holding = true;
  console.log("holding");
});
process.on("SIGUSR2", () => {
  holding = false;
  const entry = first as Held | null;
  if (entry !== null) {
    for (const chunk of entry.held) entry.client.write(chunk);
    entry.held = [];
  }
  console.log("released");
});
