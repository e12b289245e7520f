/**
 * net_arguments: streams, servers, connections, datagrams and name lookups refuse bad
 * arguments from plain JavaScript callers with CPython's error class and a message naming what
 * to pass; a refused call changes nothing (a StreamReader keeps every byte, a refused
 * writelines() sends nothing, a refused connect or listen opens no socket).
 */

import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import * as asyncio from "../../src/index.ts";
import { type BadCall, checkBadCallsNow, portOf, runVirtual } from "../helpers.ts";

const bad = (value: unknown): never => value as never;

it("a StreamReader refuses sizes that are not integers and keeps its bytes", async () => {
  await runVirtual(
    (function* () {
      const reader = new asyncio.StreamReader();
      reader.feedData(Buffer.from("abcdef"));
      const rows: BadCall[] = [
        [
          "feedData('x')",
          () => reader.feedData(bad("x")),
          TypeError,
          /feedData\(data\): data must be a Buffer or Uint8Array, got "x"/,
        ],
        [
          "readexactly(2.5)",
          () => reader.readexactly(2.5),
          TypeError,
          /readexactly\(n\): n must be a non-negative integer, got 2\.5/,
        ],
        ["readexactly(NaN)", () => reader.readexactly(Number.NaN), TypeError, /got NaN/],
        [
          "readexactly(Infinity)",
          () => reader.readexactly(Number.POSITIVE_INFINITY),
          TypeError,
          /got Infinity/,
        ],
        ["readexactly('4')", () => reader.readexactly(bad("4")), TypeError, /got "4"/],
        ["readexactly(-1)", () => reader.readexactly(-1), asyncio.ValueError, /got -1/],
        [
          "read(2.5)",
          () => reader.read(2.5),
          TypeError,
          /read\(n\): n must be an integer \(a negative one reads to the end\), got 2\.5/,
        ],
        ["read(NaN)", () => reader.read(Number.NaN), TypeError, /got NaN/],
        ["read('5')", () => reader.read(bad("5")), TypeError, /got "5"/],
        [
          "read(-Infinity)",
          () => reader.read(Number.NEGATIVE_INFINITY),
          TypeError,
          /got -Infinity/,
        ],
        [
          "readuntil(1)",
          () => reader.readuntil(bad(1)),
          TypeError,
          /separator must be a Uint8Array/,
        ],
        ["readuntil('')", () => reader.readuntil(""), asyncio.ValueError, /at least one-byte/],
        [
          "StreamReader({ limt })",
          () => new asyncio.StreamReader(bad({ limt: 5 })),
          TypeError,
          /StreamReader\(\): unknown option "limt"; the options are limit, loop/,
        ],
        [
          "StreamReader({ limit: 0 })",
          () => new asyncio.StreamReader({ limit: 0 }),
          asyncio.ValueError,
          /Limit cannot be <= 0/,
        ],
        [
          "StreamReader({ limit: 2.5 })",
          () => new asyncio.StreamReader({ limit: 2.5 }),
          TypeError,
          /limit must be a positive integer/,
        ],
        [
          "StreamReader({ limit: '5' })",
          () => new asyncio.StreamReader({ limit: bad("5") }),
          TypeError,
          /got "5"/,
        ],
      ];
      checkBadCallsNow(rows);
      assert.equal(reader.statistics().buffered, 6);
      assert.equal((yield* reader.readexactly(4)).toString(), "abcd");
      assert.equal((yield* reader.read(10)).toString(), "ef");
    })(),
  );
});

it("connections, servers, datagrams and lookups refuse wrong option names and values", async () => {
  await runVirtual(
    (function* () {
      const loop = asyncio.getRunningLoop();
      const socketPath = join(tmpdir(), `asyncio-ts-args-${process.pid}.sock`);
      const noop = () => {};
      const rows: BadCall[] = [
        [
          "openConnection({ limt })",
          () => asyncio.openConnection("127.0.0.1", 9, bad({ limt: 1 })),
          TypeError,
          /openConnection\(\): unknown option "limt"; the options are ssl, serverHostname, sslHandshakeTimeout, localAddr, family, limit/,
        ],
        [
          "openConnection(null options)",
          () => asyncio.openConnection("127.0.0.1", 9, bad(null)),
          TypeError,
          /options must be an object/,
        ],
        [
          "openConnection({ family: 5 })",
          () => asyncio.openConnection("127.0.0.1", 9, bad({ family: 5 })),
          asyncio.ValueError,
          /family must be 0, 4 or 6, got 5/,
        ],
        [
          "openConnection({ localAddr: 'x' })",
          () => asyncio.openConnection("127.0.0.1", 9, bad({ localAddr: "x" })),
          TypeError,
          /localAddr must be \[host, port\]/,
        ],
        [
          "openConnection(port 2.5)",
          () => asyncio.openConnection("127.0.0.1", 2.5),
          TypeError,
          /port must be an integer/,
        ],
        [
          "openUnixConnection({ sll })",
          () => asyncio.openUnixConnection(socketPath, bad({ sll: true })),
          TypeError,
          /openUnixConnection\(\): unknown option "sll"/,
        ],
        [
          "startServer({ backlg })",
          () => asyncio.startServer(noop, "127.0.0.1", 0, bad({ backlg: 5 })),
          TypeError,
          /startServer\(\): unknown option "backlg"/,
        ],
        [
          "startServer({ backlog: 1.5 })",
          () => asyncio.startServer(noop, "127.0.0.1", 0, { backlog: 1.5 }),
          TypeError,
          /backlog must be a non-negative integer, got 1\.5/,
        ],
        [
          "startServer({ backlog: -1 })",
          () => asyncio.startServer(noop, "127.0.0.1", 0, { backlog: -1 }),
          asyncio.ValueError,
          /got -1/,
        ],
        [
          "startServer({ startServing: 'yes' })",
          () => asyncio.startServer(noop, "127.0.0.1", 0, bad({ startServing: "yes" })),
          TypeError,
          /startServing must be true or false/,
        ],
        [
          "startServer({ limit: NaN })",
          () => asyncio.startServer(noop, "127.0.0.1", 0, { limit: Number.NaN }),
          TypeError,
          /limit must be a positive integer/,
        ],
        [
          "startUnixServer({ famly })",
          () => asyncio.startUnixServer(noop, socketPath, bad({ family: 4 })),
          TypeError,
          /startUnixServer\(\): unknown option "family"/,
        ],
        [
          "createServer({ family: 5 })",
          () => loop.createServer(() => new asyncio.Protocol(), "127.0.0.1", 0, bad({ family: 5 })),
          asyncio.ValueError,
          /family must be 0, 4 or 6/,
        ],
        [
          "createDatagramEndpoint({ localaddr })",
          () =>
            loop.createDatagramEndpoint(
              () => new asyncio.DatagramProtocol(),
              bad({ localaddr: ["127.0.0.1", 0] }),
            ),
          TypeError,
          /createDatagramEndpoint\(\): unknown option "localaddr"/,
        ],
        [
          "getaddrinfo({ famly })",
          () => loop.getaddrinfo("127.0.0.1", 80, bad({ famly: 4 })),
          TypeError,
          /getaddrinfo\(\): unknown option "famly"; the options are family, type, proto/,
        ],
        [
          "getnameinfo(sockaddr, 1.5)",
          () => loop.getnameinfo(["127.0.0.1", 80], 1.5),
          TypeError,
          /getnameinfo\(\): flags must be a non-negative integer, got 1\.5/,
        ],
      ];
      checkBadCallsNow(rows);
    })(),
  );
});

it("a refused writelines() sends nothing; the stream carries on", async () => {
  const received = await asyncio.run(
    (function* () {
      const lines: string[] = [];
      const server = yield* asyncio.startServer(
        function* (reader, writer) {
          lines.push((yield* reader.readline()).toString());
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      checkBadCallsNow([
        [
          "writelines([ok, 1])",
          () => writer.writelines([Buffer.from("lost "), bad(1)]),
          TypeError,
          /got an item number 1/,
        ],
        ["writelines(1)", () => writer.writelines(bad(1)), TypeError, /takes an iterable/],
        [
          "startTls(ctx, { serverHostnme })",
          () => writer.startTls({}, bad({ serverHostnme: "x" })),
          TypeError,
          /startTls\(\): unknown option "serverHostnme"; the options are serverHostname, sslHandshakeTimeout/,
        ],
        [
          "write(1)",
          () => writer.write(bad(1)),
          TypeError,
          /write\(\) takes a Uint8Array\/Buffer or a string/,
        ],
      ]);
      writer.write("kept\n");
      yield* writer.drain();
      yield* reader.read();
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return lines;
    })(),
  );
  assert.deepEqual(received, ["kept\n"]);
});
