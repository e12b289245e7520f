/**
 * net_tls: TLS streams on 127.0.0.1 with the fixture certificates (test/net/fixtures, made by
 * make-certs.sh): verification on by default, host name checks, a client with a bad
 * certificate, handshake timeouts on both sides, and STARTTLS with `startTls`.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { TLSSocket } from "node:tls";
import * as asyncio from "../../src/index.ts";
import { portOf } from "../helpers.ts";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const ca = fixture("ca.pem");
const serverContext: asyncio.SSLContext = {
  cert: fixture("server.pem"),
  key: fixture("server-key.pem"),
};
const untrusted: asyncio.SSLContext = {
  cert: fixture("untrusted.pem"),
  key: fixture("untrusted-key.pem"),
};

function* echoOnce(reader: asyncio.StreamReader, writer: asyncio.StreamWriter): asyncio.Coro<void> {
  writer.write(yield* reader.readline());
  yield* writer.drain();
  writer.close();
}

function* ask(
  port: number,
  options: asyncio.ConnectionOptions,
  host = "127.0.0.1",
): asyncio.Coro<string> {
  const [reader, writer] = yield* asyncio.openConnection(host, port, options);
  writer.write("secret\n");
  const reply = (yield* reader.readline()).toString();
  writer.close();
  return reply;
}

function* outcome(body: asyncio.Coro<string>): asyncio.Coro<string> {
  try {
    return yield* body;
  } catch (e) {
    return `${(e as Error).name} ${(e as { code?: string }).code ?? ""}`.trim();
  }
}

test("a TLS echo with the test CA; extra info shows the peer certificate", async () => {
  const info = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(echoOnce, "127.0.0.1", 0, { ssl: serverContext });
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server), {
        ssl: { ca },
      });
      writer.write("over tls\n");
      const reply = (yield* reader.readline()).toString();
      const peercert = writer.getExtraInfo("peercert") as { subject: { CN: string } };
      const sslObject = writer.getExtraInfo("sslObject") as TLSSocket;
      const info = [reply, peercert.subject.CN, sslObject.encrypted, writer.canWriteEof()];
      writer.close();
      const viaName = yield* ask(portOf(server), { ssl: { ca } }, "localhost");
      server.close();
      yield* server.waitClosed();
      return [...info, viaName];
    })(),
  );
  assert.deepEqual(info, ["over tls\n", "localhost", true, false, "secret\n"]);
});

test("verification is on by default; a failed handshake leaves the server serving others", async () => {
  const results = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(echoOnce, "127.0.0.1", 0, { ssl: serverContext });
      const port = portOf(server);
      const results = [
        yield* outcome(ask(port, { ssl: true })),
        yield* outcome(ask(port, { ssl: { ca }, serverHostname: "example.com" })),
        yield* outcome(ask(port, { ssl: { ca } })),
        yield* outcome(ask(port, { ssl: { ca }, serverHostname: "" })),
        yield* outcome(ask(port, { ssl: { rejectUnauthorized: false } })),
      ];
      server.close();
      yield* server.waitClosed();
      return results;
    })(),
  );
  assert.deepEqual(results, [
    "SSLCertVerificationError UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "SSLCertVerificationError ERR_TLS_CERT_ALTNAME_INVALID",
    "secret\n",
    "secret\n",
    "secret\n",
  ]);
});

test("a client with a bad certificate is refused; the server serves the next client", async () => {
  const results = await asyncio.run(
    (function* () {
      const server = yield* asyncio.startServer(echoOnce, "127.0.0.1", 0, {
        ssl: { ...serverContext, ca, requestCert: true, rejectUnauthorized: true },
      });
      const port = portOf(server);
      const bad = yield* outcome(ask(port, { ssl: { ca, ...untrusted } }));
      const good = yield* outcome(
        ask(port, { ssl: { ca, cert: fixture("server.pem"), key: fixture("server-key.pem") } }),
      );
      server.close();
      yield* server.waitClosed();
      return [bad, good];
    })(),
  );
  // TLS 1.3 rejects the client certificate after the client's side of the handshake: the
  // client sees its connection end (an alert, a reset or EOF) with no answer.
  assert.match(results[0]!, /^(SSLError.*|ConnectionResetError.*|)$/);
  assert.equal(results[1], "secret\n");
});

test("handshake timeouts: a silent server aborts the client; a silent client is dropped", async () => {
  const results = await asyncio.run(
    (function* () {
      const plain = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          yield* reader.read();
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const started = performance.now();
      let clientSide = "";
      try {
        yield* asyncio.openConnection("127.0.0.1", portOf(plain), {
          ssl: { ca },
          sslHandshakeTimeout: 0.2,
        });
      } catch (e) {
        clientSide = `${(e as Error).name}: ${(e as Error).message}`;
      }
      const clientWaited = (performance.now() - started) / 1000;
      plain.close();
      plain.closeClients();
      yield* plain.waitClosed();
      const tlsServer = yield* asyncio.startServer(echoOnce, "127.0.0.1", 0, {
        ssl: serverContext,
        sslHandshakeTimeout: 0.2,
      });
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(tlsServer));
      let serverSide = "";
      try {
        serverSide = `read ${(yield* reader.read()).length} bytes`;
      } catch (e) {
        serverSide = (e as Error).name;
      }
      writer.close();
      tlsServer.close();
      yield* tlsServer.waitClosed();
      return { clientSide, clientWaited, serverSide };
    })(),
  );
  assert.equal(
    results.clientSide,
    "ConnectionAbortedError: SSL handshake is taking longer than 0.2 seconds: aborting the connection",
  );
  assert.ok(
    results.clientWaited >= 0.19 && results.clientWaited < 2,
    `waited ${results.clientWaited}`,
  );
  assert.ok(
    ["read 0 bytes", "ConnectionResetError"].includes(results.serverSide),
    results.serverSide,
  );
});

test("startTls upgrades a plain connection on both sides (STARTTLS)", async () => {
  const [clientSaw, serverSaw] = await asyncio.run(
    (function* () {
      let serverSaw = "";
      const server = yield* asyncio.startServer(
        function* (reader: asyncio.StreamReader, writer: asyncio.StreamWriter) {
          const command = (yield* reader.readline()).toString();
          writer.write("GO AHEAD\n");
          yield* writer.drain();
          yield* writer.startTls(serverContext);
          const secret = (yield* reader.readline()).toString();
          serverSaw = `${command.trim()} then ${secret.trim()} encrypted=${(writer.getExtraInfo("sslObject") as TLSSocket).encrypted}`;
          writer.write(`ok ${secret}`);
          yield* writer.drain();
          writer.close();
        },
        "127.0.0.1",
        0,
      );
      const [reader, writer] = yield* asyncio.openConnection("127.0.0.1", portOf(server));
      writer.write("STARTTLS\n");
      const go = (yield* reader.readline()).toString();
      yield* writer.startTls({ ca }, { serverHostname: "localhost" });
      writer.write("password\n");
      const reply = (yield* reader.readline()).toString();
      writer.close();
      server.close();
      yield* server.waitClosed();
      return [`${go.trim()} / ${reply.trim()}`, serverSaw];
    })(),
  );
  assert.equal(clientSaw, "GO AHEAD / ok password");
  assert.equal(serverSaw, "STARTTLS then password encrypted=true");
});
