/**
 * Name resolution (asyncio's loop.getaddrinfo and loop.getnameinfo) on Node's `dns.lookup`
 * and `dns.lookupService`, which use the system resolver as Python's socket functions do.
 * Results have Python's shape: `[family, type, proto, canonname, sockaddr]` tuples with the
 * Linux constant values, so ported code can compare them.
 */

import { lookup, lookupService } from "node:dns/promises";
import { isIP } from "node:net";
import type { Awaitable } from "../core/coroutines.ts";
import { ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { EventLoop } from "../core/loop.ts";
import { fromPromise } from "../core/promises.ts";
import { checkInteger, checkOptions } from "../core/validate.ts";
import { checkHost } from "./addresses.ts";
import { osErrorFrom } from "./errors.ts";

/**
 * Any address family (Python's `socket.AF_UNSPEC`).
 *
 * @example
 * ```ts
 * yield* loop.getaddrinfo("localhost", 80, { family: asyncio.AF_UNSPEC });
 * ```
 */
export const AF_UNSPEC = 0;
/**
 * IPv4 (`socket.AF_INET`).
 *
 * @example
 * ```ts
 * yield* loop.getaddrinfo("localhost", 80, { family: asyncio.AF_INET });
 * ```
 */
export const AF_INET = 2;
/**
 * IPv6 (`socket.AF_INET6`).
 *
 * @example
 * ```ts
 * yield* loop.getaddrinfo("localhost", 80, { family: asyncio.AF_INET6 });
 * ```
 */
export const AF_INET6 = 10;
/**
 * A stream socket: TCP (`socket.SOCK_STREAM`).
 *
 * @example
 * ```ts
 * yield* loop.getaddrinfo("localhost", 80, { type: asyncio.SOCK_STREAM });
 * ```
 */
export const SOCK_STREAM = 1;
/**
 * A datagram socket: UDP (`socket.SOCK_DGRAM`).
 *
 * @example
 * ```ts
 * yield* loop.getaddrinfo("localhost", 53, { type: asyncio.SOCK_DGRAM });
 * ```
 */
export const SOCK_DGRAM = 2;
/**
 * A raw socket (`socket.SOCK_RAW`).
 *
 * @example
 * ```ts
 * yield* loop.getaddrinfo("localhost", 0, { type: asyncio.SOCK_RAW });
 * ```
 */
export const SOCK_RAW = 3;
/**
 * getnameinfo: return the address, not a host name (`socket.NI_NUMERICHOST`).
 *
 * @example
 * ```ts
 * yield* loop.getnameinfo(["127.0.0.1", 80], asyncio.NI_NUMERICHOST);   // ["127.0.0.1", "http"]
 * ```
 */
export const NI_NUMERICHOST = 1;
/**
 * getnameinfo: return the port number, not a service name (`socket.NI_NUMERICSERV`).
 *
 * @example
 * ```ts
 * yield* loop.getnameinfo(["127.0.0.1", 80], asyncio.NI_NUMERICSERV);   // ["localhost", "80"]
 * ```
 */
export const NI_NUMERICSERV = 2;

const PROTO_OF_TYPE: Record<number, number> = { [SOCK_STREAM]: 6, [SOCK_DGRAM]: 17, [SOCK_RAW]: 0 };

/** A socket address: `[host, port]` for IPv4, `[host, port, flowinfo, scopeId]` for IPv6. */
export type SockAddr =
  | [host: string, port: number]
  | [host: string, port: number, flowinfo: number, scopeId: number];

/** One result of `getaddrinfo`: Python's `(family, type, proto, canonname, sockaddr)`. */
export type AddrInfo = [
  family: number,
  type: number,
  proto: number,
  canonname: string,
  sockaddr: SockAddr,
];

/** Options of `loop.getaddrinfo`. */
export interface GetaddrinfoOptions {
  /** AF_INET, AF_INET6 or AF_UNSPEC (default). */
  family?: number;
  /** SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, or 0 (default) for all three. */
  type?: number;
  /** A protocol number to keep only (6 TCP, 17 UDP), or 0 (default). */
  proto?: number;
}

const GETADDRINFO_OPTIONS = ["family", "type", "proto"] as const;

function checkServicePort(port: unknown, where: string): number {
  if (port === null || port === undefined) return 0;
  const value = typeof port === "string" && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 65535)
    return value;
  throw new ValueError(
    `${where}: port must be a number from 0 to 65535 (service names such as "http" are not looked up), got ${formatValue(port)}`,
  );
}

/**
 * Resolves `host` (null: the loopback addresses) and returns one entry per address and
 * socket type, as Python's `socket.getaddrinfo`.
 *
 * Cancel safety: the lookup runs on in Node's thread pool; its result is dropped.
 *
 * @example
 * ```ts
 * const infos = yield* loop.getaddrinfo("localhost", 8080, { type: asyncio.SOCK_STREAM });
 * const [, , , , [address, port]] = infos[0]!;
 * ```
 */
export function* getaddrinfo(
  this: EventLoop,
  host: string | null,
  port: number | string | null,
  options: GetaddrinfoOptions = {},
): Awaitable<AddrInfo[]> {
  const where = "getaddrinfo()";
  checkOptions(options, where, GETADDRINFO_OPTIONS);
  const portNumber = checkServicePort(port, where);
  const family = options.family ?? AF_UNSPEC;
  if (family !== AF_UNSPEC && family !== AF_INET && family !== AF_INET6) {
    throw new ValueError(
      `${where}: family must be AF_UNSPEC, AF_INET or AF_INET6, got ${formatValue(family)}`,
    );
  }
  const type = options.type ?? 0;
  if (type !== 0 && PROTO_OF_TYPE[type] === undefined) {
    throw new ValueError(
      `${where}: type must be 0, SOCK_STREAM, SOCK_DGRAM or SOCK_RAW, got ${formatValue(type)}`,
    );
  }
  const nodeFamily = family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0;
  let addresses: { address: string; family: number }[];
  if (host === null) {
    addresses = [
      { address: "::1", family: 6 },
      { address: "127.0.0.1", family: 4 },
    ].filter((entry) => nodeFamily === 0 || entry.family === nodeFamily);
  } else {
    const name = checkHost(host, where);
    try {
      addresses = yield* fromPromise(lookup(name, { all: true, family: nodeFamily }), this);
    } catch (error) {
      throw osErrorFrom(error);
    }
  }
  const types = type === 0 ? [SOCK_STREAM, SOCK_DGRAM, SOCK_RAW] : [type];
  const results: AddrInfo[] = [];
  for (const { address, family: addressFamily } of addresses) {
    for (const socketType of types) {
      const proto = PROTO_OF_TYPE[socketType]!;
      if (options.proto && options.proto !== proto) continue;
      const sockaddr: SockAddr =
        addressFamily === 6 ? [address, portNumber, 0, 0] : [address, portNumber];
      results.push([addressFamily === 6 ? AF_INET6 : AF_INET, socketType, proto, "", sockaddr]);
    }
  }
  return results;
}

/**
 * The host name and service name of a socket address, as Python's `socket.getnameinfo`
 * (`NI_NUMERICHOST` / `NI_NUMERICSERV` keep the address or port as given).
 *
 * Cancel safety: the lookup runs on in Node's thread pool; its result is dropped.
 *
 * @example
 * ```ts
 * const [host, service] = yield* loop.getnameinfo(["127.0.0.1", 80]);   // ["localhost", "http"]
 * ```
 */
export function* getnameinfo(
  this: EventLoop,
  sockaddr: SockAddr,
  flags = 0,
): Awaitable<[host: string, service: string]> {
  const where = "getnameinfo()";
  checkInteger(flags, where, "flags", 0);
  if (!Array.isArray(sockaddr) || sockaddr.length < 2) {
    throw new TypeError(`${where}: sockaddr must be [host, port], got ${formatValue(sockaddr)}`);
  }
  const address = checkHost(sockaddr[0], where);
  if (isIP(address) === 0)
    throw new ValueError(`${where}: the host must be an IP address, got ${formatValue(address)}`);
  const port = checkServicePort(sockaddr[1], where);
  const numericHost = (flags & NI_NUMERICHOST) !== 0;
  const numericService = (flags & NI_NUMERICSERV) !== 0;
  if (numericHost && numericService) return [address, String(port)];
  let found: { hostname: string; service: string };
  try {
    found = yield* fromPromise(lookupService(address, port), this);
  } catch (error) {
    throw osErrorFrom(error);
  }
  return [numericHost ? address : found.hostname, numericService ? String(port) : found.service];
}
