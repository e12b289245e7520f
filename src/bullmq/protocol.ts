/**
 * What an executor and its worker hosts agree on: the shape of a job's data (a portable work
 * identity, a module path relative to a root both sides are given, plus the export name and
 * the JSON arguments), the Redis channel that carries remote cancels, how an error thrown on a
 * host travels in BullMQ's `failedReason`, and the strict JSON check that refuses arguments
 * JSON would silently change.
 */

import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatValue } from "../core/format.ts";
import { WorkerError } from "../executors/errors.ts";
import { deserializeError, type SentError, serializeError } from "../executors/protocol.ts";
import type { AnyWorkFn } from "../executors/work.ts";

/** A job's data: module (relative to the root, `/`-separated), export name, arguments. */
export interface JobData {
  module: string;
  name: string;
  args: unknown[];
  /** True when `args` is a list of argument lists (`map` with `chunksize`). */
  chunk?: boolean;
}

/** The pub/sub channel on which executors tell hosts which running jobs to stop. */
export function cancelChannel(prefix: string, queue: string): string {
  return `${prefix}:${queue}:asyncio-ts:cancel`;
}

/** A directory as a `file:` URL ending in `/`, from a URL, a URL string or a path. */
export function rootURL(root: URL | string, what: string): URL {
  let url: URL;
  if (root instanceof URL) url = root;
  else if (typeof root === "string" && root !== "") {
    url = /^file:/i.test(root) ? new URL(root) : pathToFileURL(root);
  } else {
    throw new TypeError(
      `${what} must be a directory (a path or a file: URL), got ${formatValue(root)}`,
    );
  }
  if (url.protocol !== "file:") {
    throw new TypeError(`${what} must be a file: URL or a path, got ${url.href}`);
  }
  return url.href.endsWith("/") ? url : new URL(`${url.href}/`);
}

/**
 * The portable name of `work`'s module: its path relative to `root`. Work outside the root
 * cannot be named for another host, so it is refused with a message saying what to do.
 */
export function portableModule(work: AnyWorkFn, root: URL): string {
  if (!work.module.startsWith("file:")) {
    throw new TypeError(
      `work ${work.name} lives at ${work.module}: a BullMQExecutor sends only modules under its root (${root.href}), as paths the hosts resolve against their own --root`,
    );
  }
  const path = relative(fileURLToPath(root), fileURLToPath(work.module));
  if (path === "" || path.startsWith("..") || isAbsolute(path)) {
    throw new TypeError(
      `work ${work.name} lives at ${work.module}, outside the executor's root ${root.href}: hosts resolve work relative to their --root, so pass a root that contains the module (the option 'root')`,
    );
  }
  return path.split(sep).join("/");
}

/**
 * Where a host finds the module a job names: `module` resolved against the host's root. A
 * path that climbs out of the root is refused.
 */
export function resolveModule(module: string, root: URL): URL {
  if (
    typeof module !== "string" ||
    module === "" ||
    module.startsWith("/") ||
    module.split("/").includes("..")
  ) {
    throw new TypeError(
      `the job names the module ${formatValue(module)}: a host runs only modules inside its root (${root.href})`,
    );
  }
  return new URL(module, root);
}

/**
 * Why `value` does not survive JSON unchanged (`argument 2.items[3] is a Map`), or null when
 * it does: JSON drops functions and undefined, turns Map, Set, Date, NaN and class instances
 * into something else, and throws on BigInt and cycles.
 */
export function findNonJSON(value: unknown, path: string, seen = new Set<object>()): string | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : `${path} is ${value}, which JSON turns into null`;
    case "object": {
      if (value === null) return null;
      if (seen.has(value)) return `${path} refers back to itself (a cycle), which JSON cannot hold`;
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          for (let index = 0; index < value.length; index++) {
            const item = value[index];
            if (item === undefined)
              return `${path}[${index}] is undefined, which JSON turns into null`;
            const found = findNonJSON(item, `${path}[${index}]`, seen);
            if (found !== null) return found;
          }
          return null;
        }
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const name = (value as object).constructor?.name ?? "an unknown class";
          return `${path} is an object of class ${name}, which JSON does not keep`;
        }
        for (const key of Object.keys(value)) {
          const item = (value as Record<string, unknown>)[key];
          if (item === undefined) continue;
          const found = findNonJSON(item, `${path}.${key}`, seen);
          if (found !== null) return found;
        }
        return null;
      } finally {
        seen.delete(value);
      }
    }
    case "undefined":
      return `${path} is undefined, which JSON turns into null`;
    case "function":
      return `${path} is the function ${value.name || "(anonymous)"}, which JSON cannot hold`;
    default:
      return `${path} is a ${typeof value}, which JSON cannot hold`;
  }
}

/** Marks where the machine-readable error starts in a `failedReason`. */
const ERROR_MARK = "\n--asyncio-ts error--\n";

/**
 * The `failedReason` for `error`: a readable first line (`ValueError: bad input`, what
 * dashboards show) followed by the error taken apart, as JSON, so the executor rebuilds it.
 */
export function encodeFailure(error: unknown): string {
  const sent = jsonSafe(serializeError(error));
  const headline =
    sent.error === true ? `${sent.name}: ${sent.message}` : `thrown: ${formatValue(sent.value)}`;
  return `${headline}${ERROR_MARK}${JSON.stringify(sent)}`;
}

/**
 * The error a `failedReason` describes: the original class for built-ins, a WorkerError
 * carrying the original name, message, stack and cause otherwise. A reason written by BullMQ
 * itself (a job that stalled too often) becomes a WorkerError with that message.
 */
export function decodeFailure(failedReason: string): unknown {
  const mark = failedReason.indexOf(ERROR_MARK);
  if (mark >= 0) {
    try {
      return deserializeError(JSON.parse(failedReason.slice(mark + ERROR_MARK.length)));
    } catch {
      // Not ours after all: fall through to the plain message.
    }
  }
  return new WorkerError(failedReason);
}

/** The parts of a SentError that JSON keeps unchanged (the rest is dropped, not mangled). */
function jsonSafe(sent: SentError): SentError {
  if (sent.error !== true) {
    return findNonJSON(sent.value, "value") === null
      ? sent
      : { error: false, value: formatValue(sent.value, 200) };
  }
  let props: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(sent.props ?? {})) {
    if (findNonJSON(value, key) !== null) continue;
    props ??= {};
    props[key] = value;
  }
  return { ...sent, props, cause: sent.cause === null ? null : jsonSafe(sent.cause) };
}
