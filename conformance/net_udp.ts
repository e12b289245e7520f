/**
 * Port of net_udp.py: UDP datagram endpoints on 127.0.0.1 (an echo server, a connected
 * client, the callbacks in order, sendto checks). Real clock: real sockets.
 */

import * as asyncio from "../src/index.ts";

function pyBytes(data: Uint8Array): string {
  return `b'${Buffer.from(data).toString("latin1")}'`;
}

class EchoServer extends asyncio.DatagramProtocol {
  transport!: asyncio.DatagramTransport;
  override connectionMade(transport: asyncio.DatagramTransport) {
    this.transport = transport;
  }
  override datagramReceived(data: Buffer, addr: asyncio.DatagramAddress) {
    this.transport.sendto(data.toString("latin1").toUpperCase(), addr);
  }
}

class Client extends asyncio.DatagramProtocol {
  events: string[] = [];
  replies = new asyncio.Queue<Buffer>();
  closed = asyncio.getRunningLoop().createFuture<void>();
  override connectionMade() {
    this.events.push("connection_made");
  }
  override datagramReceived(data: Buffer) {
    this.replies.putNowait(data);
  }
  override connectionLost(error: unknown) {
    this.events.push(`connection_lost ${error === null ? "None" : String(error)}`);
    this.closed.setResult(undefined);
  }
}

function* main(): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const [server] = yield* loop.createDatagramEndpoint(() => new EchoServer(), {
    localAddr: ["127.0.0.1", 0],
  });
  const serverAddr = server.getExtraInfo("sockname") as asyncio.DatagramAddress;
  const [client, protocol] = yield* loop.createDatagramEndpoint(() => new Client(), {
    remoteAddr: serverAddr,
  });
  console.log("== echo");
  for (const message of ["one", "two", "x".repeat(1000)]) {
    client.sendto(message);
    const reply = yield* protocol.replies.get();
    console.log("reply:", pyBytes(reply.subarray(0, 10)), reply.length);
  }
  console.log("== checks");
  const peer = client.getExtraInfo("peername") as asyncio.DatagramAddress;
  console.log(
    "peername is the server:",
    peer[0] === serverAddr[0] && peer[1] === serverAddr[1] ? "True" : "False",
  );
  try {
    client.sendto("x", ["127.0.0.1", 1]);
  } catch (e) {
    if (!(e instanceof asyncio.ValueError)) throw e;
    console.log("ValueError for another address");
  }
  console.log("== close");
  client.close();
  console.log("closing:", client.isClosing() ? "True" : "False");
  yield* protocol.closed;
  console.log("events:", `[${protocol.events.map((event) => `'${event}'`).join(", ")}]`);
  server.close();
}

await asyncio.run(main());
