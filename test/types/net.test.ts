/**
 * Type tests for the networking API: what `yield*` infers for streams, servers, transports
 * and protocols. Compile-time assertions; the runtime test only makes the file count.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import type * as asyncio from "../../src/index.ts";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_T extends true>(): void {}

class Echo extends (class {} as unknown as typeof asyncio.Protocol) {
  marker = 1;
}

class Udp extends (class {} as unknown as typeof asyncio.DatagramProtocol) {
  marker = 2;
}

declare const createSubprocessExec: typeof asyncio.createSubprocessExec;

function* typed(
  loop: asyncio.EventLoop,
  reader: asyncio.StreamReader,
  writer: asyncio.StreamWriter,
): asyncio.Coro<void> {
  const line = yield* reader.readline();
  expectType<Equal<typeof line, Buffer>>();
  const exact = yield* reader.readexactly(4);
  expectType<Equal<typeof exact, Buffer>>();
  const drained = yield* writer.drain();
  expectType<Equal<typeof drained, void>>();
  const pair = yield* loop.createConnection(() => new Echo(), "127.0.0.1", 1);
  expectType<Equal<typeof pair, [asyncio.Transport, Echo]>>();
  const server = yield* loop.createServer(() => new Echo(), "127.0.0.1", 0);
  expectType<Equal<typeof server, asyncio.Server>>();
  const name = server.sockets[0]!.getsockname();
  expectType<Equal<typeof name, [host: string, port: number] | string>>();
  const proc = yield* createSubprocessExec("echo", "hi", { stdout: -1 });
  expectType<Equal<typeof proc, asyncio.Process>>();
  const code = yield* proc.wait();
  expectType<Equal<typeof code, number>>();
  const outputs = yield* proc.communicate("input");
  expectType<Equal<typeof outputs, [stdout: Buffer | null, stderr: Buffer | null]>>();
  const infos = yield* loop.getaddrinfo("localhost", 80);
  expectType<Equal<typeof infos, asyncio.AddrInfo[]>>();
  const udp = yield* loop.createDatagramEndpoint(() => new Udp(), { localAddr: ["127.0.0.1", 0] });
  expectType<Equal<typeof udp, [asyncio.DatagramTransport, Udp]>>();
  const step = yield* reader.lines().next();
  expectType<Equal<typeof step, IteratorResult<Buffer, undefined | void>>>();
}

test("network types compile", () => {
  assert.equal(typeof typed, "function");
});
