/**
 * net_udp: datagram endpoints on 127.0.0.1: an echo server and a connected client, whole
 * datagrams, address checks, extra info, close, bad arguments, and a protocol callback that
 * throws.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import * as asyncio from "../../src/index.ts";
import { collectErrors } from "../helpers.ts";

class EchoServer extends asyncio.DatagramProtocol {
  transport: asyncio.DatagramTransport | null = null;
  override connectionMade(transport: asyncio.DatagramTransport) {
    this.transport = transport;
  }
  override datagramReceived(data: Buffer, addr: asyncio.DatagramAddress) {
    this.transport!.sendto(Buffer.concat([Buffer.from("echo:"), data]), addr);
  }
}

class Client extends asyncio.DatagramProtocol {
  received: string[] = [];
  events: string[] = [];
  waiter: asyncio.Future<void> | null = null;
  readonly closed = asyncio.getRunningLoop().createFuture<void>();
  override connectionMade() {
    this.events.push("made");
  }
  override datagramReceived(data: Buffer) {
    this.received.push(data.toString());
    this.waiter?.setResult(undefined);
    this.waiter = null;
  }
  override connectionLost(error: unknown) {
    this.events.push(`lost ${error}`);
    this.closed.setResult(undefined);
  }
  *next(): asyncio.Coro<string> {
    if (this.received.length === 0) {
      this.waiter = asyncio.getRunningLoop().createFuture<void>();
      yield* this.waiter;
    }
    return this.received.shift()!;
  }
}

test("UDP echo: whole datagrams both ways, connected client, close", async () => {
  const result = await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const [server] = yield* loop.createDatagramEndpoint(() => new EchoServer(), {
        localAddr: ["127.0.0.1", 0],
      });
      const serverAddr = server.getExtraInfo("sockname") as asyncio.DatagramAddress;
      const [client, protocol] = yield* loop.createDatagramEndpoint(() => new Client(), {
        remoteAddr: serverAddr,
      });
      const replies: string[] = [];
      for (const message of ["one", "two", "x".repeat(4000)]) {
        client.sendto(message);
        replies.push(yield* protocol.next());
      }
      client.sendto("to the peer", serverAddr);
      replies.push(yield* protocol.next());
      assert.throws(
        () => client.sendto("x", ["127.0.0.1", 1]),
        /Invalid address: must be undefined or \["127\.0\.0\.1",\d+\]/,
      );
      assert.deepEqual(client.getExtraInfo("peername"), serverAddr);
      assert.match(
        String(client),
        /^<DatagramEndpoint open local=127\.0\.0\.1:\d+ remote=127\.0\.0\.1:\d+>$/,
      );
      client.close();
      yield* protocol.closed;
      client.sendto("dropped after close");
      server.close();
      return { replies, events: protocol.events, closing: client.isClosing() };
    })(),
  );
  assert.deepEqual(result.replies, [
    "echo:one",
    "echo:two",
    `echo:${"x".repeat(4000)}`,
    "echo:to the peer",
  ]);
  assert.deepEqual(result.events, ["made", "lost null"]);
  assert.equal(result.closing, true);
});

test("an unconnected endpoint needs an address; bad arguments are refused", async () => {
  await asyncio.run(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const [endpoint] = yield* loop.createDatagramEndpoint(() => new Client(), {
        localAddr: ["127.0.0.1", 0],
      });
      assert.throws(() => endpoint.sendto("x"), /needs an address \[host, port\]/);
      assert.throws(
        () => endpoint.sendto(7 as never, ["127.0.0.1", 9]),
        /sendto\(\) takes a Uint8Array/,
      );
      endpoint.close();
      assert.throws(
        () =>
          loop
            .createDatagramEndpoint(() => new Client())
            [Symbol.iterator]()
            .next(),
        /needs localAddr, remoteAddr or both/,
      );
      assert.throws(
        () =>
          loop
            .createDatagramEndpoint(() => new Client(), { localAddr: "127.0.0.1" as never })
            [Symbol.iterator]()
            .next(),
        /localAddr must be \[host, port\]/,
      );
      try {
        const [first] = yield* loop.createDatagramEndpoint(() => new Client(), {
          localAddr: ["127.0.0.1", 0],
        });
        const taken = first.getExtraInfo("sockname") as asyncio.DatagramAddress;
        try {
          yield* loop.createDatagramEndpoint(() => new Client(), { localAddr: taken });
          assert.fail("binding a taken port should fail");
        } finally {
          first.close();
        }
      } catch (e) {
        assert.ok(e instanceof asyncio.OSError, String(e));
        assert.equal((e as asyncio.OSError).code, "EADDRINUSE");
      }
    })(),
  );
});

test("a protocol callback that throws is reported; the endpoint goes on receiving", async () => {
  const loop = asyncio.newEventLoop();
  const errors = collectErrors(loop);
  class Picky extends Client {
    override datagramReceived(data: Buffer) {
      if (data.toString() === "bad") throw new RangeError("refused");
      super.datagramReceived(data);
    }
  }
  const [received, server, protocol] = await loop.runUntilComplete(
    (function* () {
      const [server, protocol] = yield* loop.createDatagramEndpoint(() => new Picky(), {
        localAddr: ["127.0.0.1", 0],
      });
      const [client] = yield* loop.createDatagramEndpoint(() => new Client(), {
        remoteAddr: server.getExtraInfo("sockname") as asyncio.DatagramAddress,
      });
      client.sendto("bad");
      client.sendto("good");
      const received = yield* protocol.next();
      client.close();
      server.close();
      yield* protocol.closed;
      return [received, server, protocol] as const;
    })(),
  );
  loop.close();
  assert.equal(received, "good");
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.message, "protocol.datagramReceived() call failed.");
  assert.ok(errors[0]!.exception instanceof RangeError);
  assert.equal(errors[0]!.transport, server);
  assert.equal(errors[0]!.protocol, protocol);
});
