/**
 * Process (asyncio/subprocess.py): a child process with stream pipes. Its stdin is a
 * StreamWriter, its stdout and stderr StreamReaders, fed by SubprocessStreamProtocol from the
 * child process transport.
 *
 * `wait()` returns when the child exits, even if a grandchild still holds its pipes (asyncio
 * waits for the pipes too, and hangs there). `communicate()` writes, reads both outputs and
 * waits at once, so a child that fills one pipe while we write to another cannot deadlock.
 */

import type { Awaitable, Coro } from "../core/coroutines.ts";
import { inspectSymbol } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import { BrokenPipeError, ConnectionResetError } from "../net/errors.ts";
import { FlowControlProtocol } from "../net/flowcontrol.ts";
import { StreamReader } from "../net/streamreader.ts";
import { StreamWriter } from "../net/streamwriter.ts";
import type { Transport } from "../net/transports.ts";
import { gather } from "../structure/gather.ts";
import type { ChildProcessTransport } from "./transport.ts";

/**
 * The protocol that turns a child's pipes into streams (asyncio's SubprocessStreamProtocol).
 *
 * @example
 * ```ts
 * const [transport, protocol] = yield* loop.subprocessExec(
 *   () => new asyncio.SubprocessStreamProtocol(asyncio.DEFAULT_LIMIT, loop), "echo", ["hi"]);
 * ```
 */
export class SubprocessStreamProtocol extends FlowControlProtocol {
  stdin: StreamWriter | null = null;
  stdout: StreamReader | null = null;
  stderr: StreamReader | null = null;
  readonly #limit: number;
  #transport: ChildProcessTransport | null = null;
  #processExited = false;
  readonly #pipeFds: number[] = [];
  readonly #stdinClosed: Future<void>;

  constructor(limit: number, loop: EventLoop) {
    super(loop);
    this.#limit = limit;
    this.#stdinClosed = loop.createFuture<void>();
  }

  override connectionMade(transport: ChildProcessTransport): void {
    this.#transport = transport;
    for (const fd of [1, 2]) {
      const pipe = transport.getPipeTransport(fd) as Transport | null;
      if (pipe === null) continue;
      const reader = new StreamReader({ limit: this.#limit, loop: this._loop });
      reader.setTransport(pipe);
      if (fd === 1) this.stdout = reader;
      else this.stderr = reader;
      this.#pipeFds.push(fd);
    }
    const stdin = transport.getPipeTransport(0) as Transport | null;
    if (stdin !== null) this.stdin = new StreamWriter(stdin, this, null);
  }

  pipeDataReceived(fd: number, data: Buffer): void {
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    reader?.feedData(data);
  }

  pipeConnectionLost(fd: number, error: unknown): void {
    if (fd === 0) {
      this.stdin?.close();
      this.connectionLost(error);
      if (error === null || error === undefined) this.#stdinClosed.setResult(undefined);
      else {
        this.#stdinClosed.setException(error);
        // Awaiting stdin.waitClosed() is optional: the error is not "never retrieved".
        this.#stdinClosed.exception();
      }
      return;
    }
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    if (reader !== null) {
      if (error === null || error === undefined) reader.feedEof();
      else reader.setException(error);
    }
    const index = this.#pipeFds.indexOf(fd);
    if (index >= 0) this.#pipeFds.splice(index, 1);
    this.#maybeCloseTransport();
  }

  processExited(): void {
    this.#processExited = true;
    this.#maybeCloseTransport();
  }

  /** What stdin's `waitClosed()` waits on (FlowControlProtocol's abstract member). */
  override _closedFuture(): Future<void> {
    return this.#stdinClosed;
  }

  #maybeCloseTransport(): void {
    if (this.#pipeFds.length === 0 && this.#processExited && this.#transport !== null) {
      this.#transport.close();
      this.#transport = null;
    }
  }
}

/**
 * A running child process, from `createSubprocessExec` or `createSubprocessShell`.
 *
 * @example
 * ```ts
 * const proc = yield* asyncio.createSubprocessExec("sort", { stdin: asyncio.PIPE, stdout: asyncio.PIPE });
 * const [out] = yield* proc.communicate("b\na\n");
 * console.log(out!.toString(), proc.returncode);   // "a\nb\n" 0
 * ```
 */
export class Process {
  readonly #transport: ChildProcessTransport;
  /** The child's stdin, when it is a PIPE. */
  readonly stdin: StreamWriter | null;
  /** The child's stdout, when it is a PIPE. */
  readonly stdout: StreamReader | null;
  /** The child's stderr, when it is a PIPE. */
  readonly stderr: StreamReader | null;
  /** The child's process id. */
  readonly pid: number;

  /** @internal Made by the subprocess functions. */
  constructor(transport: ChildProcessTransport, protocol: SubprocessStreamProtocol) {
    this.#transport = transport;
    this.stdin = protocol.stdin;
    this.stdout = protocol.stdout;
    this.stderr = protocol.stderr;
    this.pid = transport.getPid()!;
  }

  /** The exit code once the child has exited (minus the signal number if a signal ended it), else null. */
  get returncode(): number | null {
    return this.#transport.getReturncode();
  }

  /**
   * Waits for the child to exit and returns its exit code. Returns on exit even if a
   * grandchild still holds the pipes open.
   *
   * Cancel safety: only the wait ends; the child runs on.
   */
  *wait(): Awaitable<number> {
    return yield* this.#transport._wait();
  }

  /**
   * Sends `input` to stdin (then closes it), reads stdout and stderr to EOF, waits for the
   * child to exit, and returns `[stdout, stderr]` (null for a stream that is not a PIPE).
   * The three run at once, so no pipe can fill up and stall the others.
   *
   * Cancel safety: not safe to resume; output read so far is lost and the child runs on
   * (kill it in a `finally` if it must not).
   *
   * @example
   * ```ts
   * const [stdout, stderr] = yield* proc.communicate(Buffer.from("input"));
   * ```
   */
  *communicate(
    input?: Uint8Array | string | null,
  ): Awaitable<[stdout: Buffer | null, stderr: Buffer | null]> {
    const [, stdout, stderr] = yield* gather(
      this.stdin === null ? noop() : this.#feedStdin(input ?? null),
      this.stdout === null ? noop() : this.#readStream(1),
      this.stderr === null ? noop() : this.#readStream(2),
    );
    yield* this.wait();
    return [stdout ?? null, stderr ?? null];
  }

  /** Sends `signal` to the child (nothing happens if it has exited). */
  sendSignal(signal: NodeJS.Signals | number): void {
    this.#transport.sendSignal(signal);
  }

  /** Asks the child to stop (SIGTERM). */
  terminate(): void {
    this.#transport.terminate();
  }

  /** Kills the child (SIGKILL). */
  kill(): void {
    this.#transport.kill();
  }

  toString(): string {
    return `<Process ${this.pid}${this.returncode === null ? "" : ` returncode=${this.returncode}`}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  *#feedStdin(input: Uint8Array | string | null): Coro<undefined> {
    const stdin = this.stdin!;
    try {
      if (input !== null) stdin.write(input);
      yield* stdin.drain();
    } catch (error) {
      // As asyncio: a child that stopped reading is not communicate()'s error.
      if (!(error instanceof BrokenPipeError || error instanceof ConnectionResetError)) throw error;
    }
    stdin.close();
    return undefined;
  }

  *#readStream(fd: 1 | 2): Coro<Buffer> {
    const stream = fd === 1 ? this.stdout! : this.stderr!;
    const output = yield* stream.read();
    this.#transport.getPipeTransport(fd)?.close();
    return output;
  }
}

function* noop(): Coro<undefined> {
  return undefined;
}
