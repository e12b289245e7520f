/**
 * Starting child processes: the loop-level `loop.subprocessExec` / `loop.subprocessShell`
 * (a transport and a SubprocessProtocol) and the stream-level `createSubprocessExec` /
 * `createSubprocessShell` (a {@link Process}), as asyncio's.
 */

import type { Awaitable } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { ValueError } from "../core/exceptions.ts";
import { formatValue } from "../core/format.ts";
import type { EventLoop } from "../core/loop.ts";
import { checkFunction, checkOptions } from "../core/validate.ts";
import { checkLimit } from "../net/streamreader.ts";
import type { StreamLimitOption } from "../net/streams.ts";
import { Process, SubprocessStreamProtocol } from "./process.ts";
import {
  type ChildProcessTransport,
  PIPE,
  type SubprocessOptions,
  type SubprocessProtocolLike,
  spawnTransport,
} from "./transport.ts";

/** The loop-level functions pipe every standard stream unless told otherwise, as asyncio's. */
function pipedByDefault(options: SubprocessOptions): SubprocessOptions {
  return {
    ...options,
    stdin: options.stdin === undefined ? PIPE : options.stdin,
    stdout: options.stdout === undefined ? PIPE : options.stdout,
    stderr: options.stderr === undefined ? PIPE : options.stderr,
  };
}

/** The stream-level functions inherit a standard stream that is not given, as asyncio's. */
function inheritedByDefault(options: SubprocessOptions): SubprocessOptions {
  return {
    ...options,
    stdin: options.stdin ?? null,
    stdout: options.stdout ?? null,
    stderr: options.stderr ?? null,
  };
}

function checkProgram(value: unknown, what: string, where: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`${where}: ${what} must be a non-empty string, got ${formatValue(value)}`);
  }
  return value;
}

function checkArgs(args: unknown, where: string): string[] {
  if (!Array.isArray(args))
    throw new TypeError(`${where}: args must be an array of strings, got ${formatValue(args)}`);
  for (const arg of args) {
    if (typeof arg !== "string")
      throw new TypeError(`${where}: every argument must be a string, got ${formatValue(arg)}`);
  }
  return args;
}

const SUBPROCESS_OPTIONS = [
  "stdin",
  "stdout",
  "stderr",
  "cwd",
  "env",
  "detached",
  "text",
  "encoding",
  "errors",
  "universalNewlines",
  "shell",
  "bufsize",
] as const;
const PROCESS_OPTIONS = [...SUBPROCESS_OPTIONS, "limit"] as const;

/**
 * Refuses unknown option names (TypeError) and, as asyncio does, the `subprocess.Popen`
 * options that would turn the byte pipes into text or the call into another one (ValueError).
 */
function checkSubprocessOptions(options: unknown, where: string, known: readonly string[]): void {
  checkOptions(options, where, known);
  const given = (options ?? {}) as Record<string, unknown>;
  const refuse = (name: string, allowed: string): never => {
    throw new ValueError(`${where}: ${name} must be ${allowed}, got ${formatValue(given[name])}`);
  };
  const bytesOnly = "(pipes carry bytes: decode them yourself)";
  if (given.universalNewlines) refuse("universalNewlines", `false ${bytesOnly}`);
  if (given.shell) refuse("shell", "false (createSubprocessShell runs a shell)");
  if (given.bufsize !== undefined && given.bufsize !== 0) refuse("bufsize", "0");
  if (given.text) refuse("text", `false ${bytesOnly}`);
  if (given.encoding != null) refuse("encoding", `null ${bytesOnly}`);
  if (given.errors != null) refuse("errors", `null ${bytesOnly}`);
}

/**
 * Runs `program` with `args` (no shell) and connects it to a protocol. `stdin`, `stdout` and
 * `stderr` default to PIPE (pass null to inherit), as asyncio's `loop.subprocess_exec`.
 *
 * Cancel safety: cancelling while it starts kills the child.
 *
 * @example
 * ```ts
 * const [transport, protocol] = yield* loop.subprocessExec(() => new Collect(), "ls", ["-l"], { stdout: asyncio.PIPE });
 * ```
 */
export function* subprocessExec<P extends SubprocessProtocolLike>(
  this: EventLoop,
  protocolFactory: () => P,
  program: string,
  args: readonly string[] = [],
  options: SubprocessOptions = {},
): Awaitable<[ChildProcessTransport, P]> {
  const where = "subprocessExec()";
  checkFunction(protocolFactory, where, "protocolFactory", "a function returning a protocol");
  const file = checkProgram(program, "program", where);
  const argv = checkArgs(args, where);
  checkSubprocessOptions(options, where, SUBPROCESS_OPTIONS);
  const [transport, protocol] = yield* spawnTransport(
    this,
    protocolFactory,
    file,
    argv,
    pipedByDefault(options),
  );
  return [transport, protocol as P];
}

/**
 * Runs `cmd` through `/bin/sh -c` and connects it to a protocol; the standard streams default
 * to PIPE as in {@link subprocessExec}.
 *
 * Cancel safety: cancelling while it starts kills the child.
 *
 * @example
 * ```ts
 * const [transport] = yield* loop.subprocessShell(() => new Collect(), "ls | wc -l", { stdout: asyncio.PIPE });
 * ```
 */
export function* subprocessShell<P extends SubprocessProtocolLike>(
  this: EventLoop,
  protocolFactory: () => P,
  cmd: string,
  options: SubprocessOptions = {},
): Awaitable<[ChildProcessTransport, P]> {
  const where = "subprocessShell()";
  checkFunction(protocolFactory, where, "protocolFactory", "a function returning a protocol");
  const command = checkProgram(cmd, "cmd", where);
  checkSubprocessOptions(options, where, SUBPROCESS_OPTIONS);
  const [transport, protocol] = yield* spawnTransport(
    this,
    protocolFactory,
    "/bin/sh",
    ["-c", command],
    pipedByDefault(options),
  );
  return [transport, protocol as P];
}

/** Options of `createSubprocessExec` and `createSubprocessShell`. */
export type ProcessOptions = SubprocessOptions & StreamLimitOption;

/**
 * Runs `program` with the given arguments (no shell); the last argument may be the options
 * (`stdin`, `stdout`, `stderr`: PIPE, DEVNULL, STDOUT; `cwd`, `env`, `limit`). A missing
 * program fails here with FileNotFoundError.
 *
 * Cancel safety: cancelling while it starts kills the child.
 *
 * @example
 * ```ts
 * const proc = yield* asyncio.createSubprocessExec("ls", "-l", "/tmp", { stdout: asyncio.PIPE });
 * const listing = yield* proc.stdout!.read();
 * console.log(yield* proc.wait());
 * ```
 */
export function* createSubprocessExec(
  program: string,
  ...argsAndOptions: [...string[], ProcessOptions] | string[]
): Awaitable<Process> {
  const last = argsAndOptions[argsAndOptions.length - 1];
  const hasOptions = last !== undefined && typeof last === "object" && last !== null;
  const options = (hasOptions ? last : {}) as ProcessOptions;
  const args = (hasOptions ? argsAndOptions.slice(0, -1) : argsAndOptions) as string[];
  const where = "createSubprocessExec()";
  checkProgram(program, "program", where);
  checkArgs(args, where);
  checkSubprocessOptions(options, where, PROCESS_OPTIONS);
  const loop = getRunningLoop();
  const { limit, ...rest } = options;
  const checkedLimit = checkLimit(limit);
  const [transport, protocol] = yield* subprocessExec.call(
    loop,
    () => new SubprocessStreamProtocol(checkedLimit, loop),
    program,
    args,
    inheritedByDefault(rest),
  );
  return new Process(transport, protocol as SubprocessStreamProtocol);
}

/**
 * Runs `cmd` through `/bin/sh -c`; as {@link createSubprocessExec}.
 *
 * Cancel safety: cancelling while it starts kills the child.
 *
 * @example
 * ```ts
 * const proc = yield* asyncio.createSubprocessShell("echo $HOME", { stdout: asyncio.PIPE });
 * const [out] = yield* proc.communicate();
 * ```
 */
export function* createSubprocessShell(
  cmd: string,
  options: ProcessOptions = {},
): Awaitable<Process> {
  const where = "createSubprocessShell()";
  checkProgram(cmd, "cmd", where);
  checkSubprocessOptions(options, where, PROCESS_OPTIONS);
  const loop = getRunningLoop();
  const { limit, ...rest } = options;
  const checkedLimit = checkLimit(limit);
  const [transport, protocol] = yield* subprocessShell.call(
    loop,
    () => new SubprocessStreamProtocol(checkedLimit, loop),
    cmd,
    inheritedByDefault(rest),
  );
  return new Process(transport, protocol as SubprocessStreamProtocol);
}
