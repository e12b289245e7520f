/**
 * The Redis connection of executors and hosts: a `redis://` / `rediss://` URL or ioredis
 * options, turned into the options BullMQ passes to ioredis; and the wait for a first
 * connection, bounded in time so an unreachable Redis gives a ConnectionError, not a hang.
 */

import type { Redis, RedisOptions } from "ioredis";
import { formatValue } from "../core/format.ts";
import { ConnectionError } from "../net/errors.ts";

/**
 * Where Redis is: a URL (`redis://user:pass@host:6379/0`, `rediss://` for TLS) or ioredis
 * options (`{ host, port, password, tls, … }`).
 *
 * @example
 * ```ts
 * const connection: RedisConnection = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
 * ```
 */
export type RedisConnection = string | RedisOptions;

/** ioredis options for `connection`; a URL is taken apart, options are copied. */
export function redisOptions(connection: RedisConnection, what: string): RedisOptions {
  if (typeof connection === "string") {
    let url: URL;
    try {
      url = new URL(connection);
    } catch {
      throw new TypeError(
        `${what} must be a Redis URL (redis://host:port) or ioredis options, got ${formatValue(connection)}`,
      );
    }
    if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
      throw new TypeError(
        `${what} must be a redis:// or rediss:// URL, got ${formatValue(connection)}`,
      );
    }
    const options: RedisOptions = {
      host: url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
      port: url.port === "" ? 6379 : Number(url.port),
    };
    if (url.username !== "") options.username = decodeURIComponent(url.username);
    if (url.password !== "") options.password = decodeURIComponent(url.password);
    const db = url.pathname.replace(/^\//, "");
    if (db !== "") {
      if (!/^\d+$/.test(db)) {
        throw new TypeError(`${what}: the database in ${formatValue(connection)} must be a number`);
      }
      options.db = Number(db);
    }
    if (url.protocol === "rediss:") options.tls = {};
    return options;
  }
  if (connection === null || typeof connection !== "object") {
    throw new TypeError(
      `${what} must be a Redis URL (redis://host:port) or ioredis options, got ${formatValue(connection)}`,
    );
  }
  return { ...connection };
}

/** `redis://host:port` for messages (no password). */
export function describeRedis(options: RedisOptions): string {
  return `${options.tls ? "rediss" : "redis"}://${options.host ?? "127.0.0.1"}:${options.port ?? 6379}`;
}

/**
 * Resolves when `ready` does; rejects with a ConnectionError naming `where` and the last
 * connection error when it has not within `seconds` (real time).
 */
export function connectWithin(
  ready: Promise<unknown>,
  seconds: number,
  where: string,
  lastError: () => unknown,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      const cause = lastError();
      const code = (cause as { code?: unknown } | undefined)?.code;
      reject(
        new ConnectionError(
          `cannot reach Redis at ${where} within ${seconds} seconds${cause instanceof Error ? ` (${cause.message})` : ""}: start it (redis-server) or pass the right connection`,
          { cause, ...(typeof code === "string" ? { code } : {}) },
        ),
      );
    }, seconds * 1000);
    ready.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(
          new ConnectionError(
            `cannot connect to Redis at ${where}: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          ),
        );
      },
    );
  });
}

/** Quits `redis` and resolves once its socket is closed, so no handle outlives the executor. */
export function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return Promise.resolve();
  return new Promise<void>((resolve) => {
    redis.once("end", () => resolve());
    // QUIT needs a live connection; one still trying to connect is just dropped.
    if (redis.status === "ready") redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  });
}
