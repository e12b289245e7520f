/**
 * Argument checks shared by the connect and listen functions: a host, a port, a Unix socket
 * path. Bad input fails at the call with an error that says what was wrong, before any
 * socket is made.
 */

import { ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";

/** @internal A host name or address to connect to. */
export function checkHost(host: unknown, where: string): string {
  if (typeof host !== "string" || host.length === 0) {
    throw new TypeError(
      `${where}: host must be a non-empty string such as "127.0.0.1" or "localhost", got ${formatValue(host)}`,
    );
  }
  return host;
}

/** @internal The hosts a server listens on: one, several, or null/undefined for all interfaces. */
export function checkListenHosts(host: unknown, where: string): (string | undefined)[] {
  if (host === null || host === undefined || host === "") return [undefined];
  if (Array.isArray(host)) {
    if (host.length === 0) throw new ValueError(`${where}: the list of hosts is empty`);
    return host.map((item) => checkHost(item, where));
  }
  return [checkHost(host, where)];
}

/**
 * @internal A port number: an integer (or a string of digits) from `min` (1 to connect, 0 to
 * listen on a free port) to 65535.
 */
export function checkPort(port: unknown, where: string, min: 0 | 1): number {
  const value = typeof port === "string" && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(
      `${where}: port must be an integer from ${min} to 65535, got ${formatValue(port)}`,
    );
  }
  if (value < min || value > 65535) {
    throw new ValueError(`${where}: port must be from ${min} to 65535, got ${value}`);
  }
  return value;
}

/** @internal A Unix socket path. */
export function checkPath(path: unknown, where: string): string {
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError(
      `${where}: path must be a non-empty string (a socket file path), got ${formatValue(path)}`,
    );
  }
  return path;
}

/** @internal A timeout in seconds: a positive number, or undefined for the default. */
export function checkTimeout(timeout: unknown, name: string, fallback: number): number {
  if (timeout === undefined || timeout === null) return fallback;
  if (typeof timeout !== "number" || !(timeout > 0)) {
    throw new ValueError(
      `${name} must be a positive number of seconds, got ${formatValue(timeout)}`,
    );
  }
  return timeout;
}
