/**
 * TLS for the stream transports: the `ssl` options of connect and listen calls (an
 * {@link SSLContext} is the set of Node TLS options asyncio's `ssl.SSLContext` stands for),
 * the handshake timeout, and `startTls`, which upgrades an open connection in place.
 *
 * Certificates are verified by default: a client checks the server's certificate chain and
 * host name unless told otherwise (`rejectUnauthorized: false`, or `serverHostname: ""` to
 * skip only the host name check, as asyncio's `server_hostname=""`).
 */

import { isIP, type Socket } from "node:net";
import * as tls from "node:tls";
import type { Awaitable } from "../core/coroutines.ts";
import { ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { EventLoop } from "../core/loop.ts";
import { checkOptions } from "../core/validate.ts";
import { checkTimeout } from "./addresses.ts";
import { SocketTransport, type StreamProtocol } from "./sockettransport.ts";
import { awaitSocket } from "./socketwait.ts";
import type { Transport } from "./transports.ts";

/**
 * TLS settings (asyncio's `ssl.SSLContext`): Node's secure-context options (`ca`, `cert`,
 * `key`, `minVersion` …) plus verification switches. Pass `true` instead for the defaults
 * (system CAs, full verification).
 *
 * @example
 * ```ts
 * const ssl: asyncio.SSLContext = { ca: fs.readFileSync("ca.pem") };
 * const [reader, writer] = yield* asyncio.openConnection("example.test", 443, { ssl });
 * ```
 */
export interface SSLContext extends tls.SecureContextOptions {
  /** Reject a peer whose certificate does not verify (default true). */
  rejectUnauthorized?: boolean;
  /** Server side: ask each client for a certificate (verified when `rejectUnauthorized`). */
  requestCert?: boolean;
  /** Client side: replaces the host name check. */
  checkServerIdentity?: (hostname: string, cert: tls.PeerCertificate) => Error | undefined;
  /** Protocols offered for ALPN, most preferred first. */
  ALPNProtocols?: string[];
}

/**
 * asyncio's SSL_HANDSHAKE_TIMEOUT, in seconds.
 *
 * @example
 * ```ts
 * yield* asyncio.openConnection(host, 443, { ssl: true, sslHandshakeTimeout: asyncio.SSL_HANDSHAKE_TIMEOUT / 2 });
 * ```
 */
export const SSL_HANDSHAKE_TIMEOUT = 60;

/** The SSLContext an `ssl` option stands for, or null for a plain connection. */
function sslContextOf(ssl: unknown, where: string): SSLContext | null {
  if (ssl === undefined || ssl === null || ssl === false) return null;
  if (ssl === true) return {};
  if (typeof ssl === "object") return ssl as SSLContext;
  throw new TypeError(
    `${where}: ssl must be true, false or an SSLContext (TLS options), got ${formatValue(ssl)}`,
  );
}

/**
 * @internal Options for `tls.connect` that verify the server's certificate against
 * `serverHostname` (default: the host connected to; `""` skips the name check).
 */
export function clientTlsOptions(
  context: SSLContext,
  host: string | undefined,
  serverHostname: string | undefined,
): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {
    ...context,
    rejectUnauthorized: context.rejectUnauthorized ?? true,
  };
  const name = serverHostname ?? host;
  if (name === undefined) return options;
  if (isIP(name) === 0 && name !== "") options.servername = name;
  if (context.checkServerIdentity === undefined) {
    options.checkServerIdentity =
      name === "" ? () => undefined : (_host, cert) => tls.checkServerIdentity(name, cert);
  }
  return options;
}

/**
 * @internal The TLS settings of a connect or listen call: the SSLContext its `ssl` option
 * stands for (null for a plain connection) and the handshake timeout in seconds. The TLS-only
 * options given without `ssl` are refused.
 */
export function tlsSettingsOf(
  options: { ssl?: unknown; serverHostname?: unknown; sslHandshakeTimeout?: unknown },
  where: string,
): { context: SSLContext | null; timeout: number } {
  const context = sslContextOf(options.ssl, where);
  if (context === null) {
    if (options.serverHostname !== undefined)
      throw new ValueError(`${where}: serverHostname is only meaningful with ssl`);
    if (options.sslHandshakeTimeout !== undefined) {
      throw new ValueError(`${where}: sslHandshakeTimeout is only meaningful with ssl`);
    }
  }
  return { context, timeout: handshakeTimeoutOf(options.sslHandshakeTimeout) };
}

/** The handshake timeout an `sslHandshakeTimeout` option stands for, in seconds. */
function handshakeTimeoutOf(value: unknown): number {
  return checkTimeout(value, "sslHandshakeTimeout", SSL_HANDSHAKE_TIMEOUT);
}

/** Options of `loop.startTls` and `StreamWriter.startTls`. */
export interface StartTlsOptions {
  /** This side is the TLS server (default false). */
  serverSide?: boolean;
  /** Client side: the name to verify (default: none, so set it unless verification is off). */
  serverHostname?: string;
  /** Seconds the handshake may take (default 60). */
  sslHandshakeTimeout?: number;
}

const START_TLS_OPTIONS = ["serverSide", "serverHostname", "sslHandshakeTimeout"] as const;

/**
 * Upgrades an open stream transport to TLS and returns the new transport; `protocol` keeps
 * receiving the (now decrypted) data. The old transport must not be used afterwards.
 *
 * Cancel safety: cancelling during the handshake closes the connection.
 *
 * @example
 * ```ts
 * const tlsTransport = yield* loop.startTls(transport, protocol, { ca }, { serverHostname: "localhost" });
 * ```
 */
export function* startTls(
  this: EventLoop,
  transport: Transport,
  protocol: StreamProtocol,
  sslcontext: SSLContext | true,
  options: StartTlsOptions = {},
): Awaitable<Transport> {
  if (!(transport instanceof SocketTransport)) {
    throw new TypeError(
      `startTls() needs a stream transport made by this library, got ${formatValue(transport)}`,
    );
  }
  checkOptions(options, "startTls()", START_TLS_OPTIONS);
  if (transport.isClosing()) throw new ValueError("startTls(): the transport is closing");
  const context = sslContextOf(sslcontext, "startTls()")!;
  const timeout = handshakeTimeoutOf(options.sslHandshakeTimeout);
  const owner = transport._owner();
  const raw: Socket = transport._detach();
  let secure: tls.TLSSocket;
  let event: string;
  if (options.serverSide) {
    secure = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: tls.createSecureContext(context),
      requestCert: context.requestCert ?? false,
      rejectUnauthorized: context.rejectUnauthorized ?? true,
      ALPNProtocols: context.ALPNProtocols,
    });
    event = "secure";
  } else {
    secure = tls.connect({
      ...clientTlsOptions(context, undefined, options.serverHostname),
      socket: raw,
    });
    event = "secureConnect";
  }
  return yield* awaitSocket(this, secure, event, timeout, () => {
    const upgraded = new SocketTransport(this, secure, protocol, { sslcontext: context }, owner);
    upgraded._start(false);
    return upgraded;
  });
}
