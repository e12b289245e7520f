/**
 * The subprocess transport (asyncio's base_subprocess): a Node child process with its stdin,
 * stdout and stderr pipes as SocketTransports, reporting to a SubprocessProtocol.
 *
 * The process's exit (Node's 'exit' event) is reported at once, whether or not its pipes are
 * closed: a grandchild that inherited the pipes cannot hold `wait()` hostage. The protocol's
 * `connectionLost` comes once the process has exited and every pipe is closed.
 *
 * Node cannot point a child's stderr at its stdout pipe, so `stderr: STDOUT` gives the child
 * a second pipe whose bytes are delivered as stdout's (fd 1); the order between the two is
 * the order they reach this process.
 */

import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";
import { constants } from "node:os";
import type { Coro } from "../core/coroutines.ts";
import { ValueError } from "../core/exceptions.ts";
import { formatValue, inspectSymbol } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import {
  awaitForeign,
  checkClosed,
  closeAtLoopClose,
  releaseAtLoopClose,
} from "../core/lowlevel.ts";
import { osErrorFrom, ProcessLookupError } from "../net/errors.ts";
import { Protocol, type SubprocessProtocol } from "../net/protocols.ts";
import { SocketTransport } from "../net/sockettransport.ts";
import {
  callProtocol,
  type ReadTransport,
  type SubprocessTransport,
  type WriteTransport,
} from "../net/transports.ts";

/**
 * A pipe to the child (Python's `subprocess.PIPE`).
 *
 * @example
 * ```ts
 * const proc = yield* asyncio.createSubprocessExec("cat", { stdin: asyncio.PIPE, stdout: asyncio.PIPE });
 * ```
 */
export const PIPE = -1;
/**
 * For `stderr`: into the same stream as stdout (Python's `subprocess.STDOUT`).
 *
 * @example
 * ```ts
 * const proc = yield* asyncio.createSubprocessShell("make", { stdout: asyncio.PIPE, stderr: asyncio.STDOUT });
 * ```
 */
export const STDOUT = -2;
/**
 * Nothing: reads see EOF, writes are dropped (Python's `subprocess.DEVNULL`).
 *
 * @example
 * ```ts
 * const proc = yield* asyncio.createSubprocessExec("noisy-tool", { stdout: asyncio.DEVNULL });
 * ```
 */
export const DEVNULL = -3;

/** Where a child's standard stream goes: PIPE, DEVNULL, STDOUT (stderr only), a file descriptor, or null to inherit. */
export type StdioOption = typeof PIPE | typeof STDOUT | typeof DEVNULL | number | null | undefined;

/** Options of the subprocess functions. */
export interface SubprocessOptions {
  stdin?: StdioOption;
  stdout?: StdioOption;
  stderr?: StdioOption;
  /** Working directory of the child. */
  cwd?: string;
  /** Environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Start the child in a new process group (so a signal to the group reaches its children). */
  detached?: boolean;
}

/** The protocol callbacks a subprocess transport calls. */
export type SubprocessProtocolLike = Pick<
  SubprocessProtocol,
  | "connectionMade"
  | "connectionLost"
  | "pauseWriting"
  | "resumeWriting"
  | "pipeDataReceived"
  | "pipeConnectionLost"
  | "processExited"
>;

/** Hands a pipe's events to the child process transport (asyncio's *SubprocessPipeProto). */
class PipeProtocol extends Protocol {
  readonly #owner: ChildProcessTransport;
  readonly #fd: number;

  constructor(owner: ChildProcessTransport, fd: number) {
    super();
    this.#owner = owner;
    this.#fd = fd;
  }

  override dataReceived(data: Buffer): void {
    this.#owner._protocol.pipeDataReceived(this.#fd, data);
  }

  override connectionLost(error: unknown): void {
    this.#owner._pipeLost(this.#fd, error);
  }

  override pauseWriting(): void {
    this.#owner._protocol.pauseWriting();
  }

  override resumeWriting(): void {
    this.#owner._protocol.resumeWriting();
  }
}

/**
 * A running child process as a transport. `loop.subprocessExec` and `subprocessShell` make
 * one; `createSubprocessExec` wraps one in a {@link Process}.
 *
 * @example
 * ```ts
 * const [transport, protocol] = yield* loop.subprocessExec(() => new MyProtocol(), "ls", ["-l"]);
 * console.log(transport.getPid());
 * ```
 */
export class ChildProcessTransport implements SubprocessTransport {
  /** @internal */ readonly _loop: EventLoop;
  /** @internal */ _protocol: SubprocessProtocolLike;
  readonly #child: ChildProcess;
  readonly #pipes = new Map<number, SocketTransport>();
  /** Every pipe, the merged stderr one included. */
  readonly #allPipes: SocketTransport[] = [];
  /** Open pipes per reported fd (stdout counts twice when stderr is merged into it). */
  readonly #openPipes = new Map<number, number>();
  #returncode: number | null = null;
  #exitWaiters: Future<number>[] = [];
  #closed = false;
  #finished = false;

  /** @internal Made once the child has spawned. */
  constructor(
    loop: EventLoop,
    child: ChildProcess,
    protocol: SubprocessProtocolLike,
    mergeStderr: boolean,
  ) {
    this._loop = loop;
    this.#child = child;
    this._protocol = protocol;
    const streams: [number, Socket | null, number][] = [
      [0, child.stdin as Socket | null, 0],
      [1, child.stdout as Socket | null, 1],
      [2, child.stderr as Socket | null, mergeStderr ? 1 : 2],
    ];
    for (const [fd, socket, reportedFd] of streams) {
      if (socket === null) continue;
      const pipe = new SocketTransport(
        loop,
        socket,
        new PipeProtocol(this, reportedFd),
        { pipe: socket },
        null,
      );
      pipe._readOnly = fd !== 0;
      this.#allPipes.push(pipe);
      if (fd === reportedFd) this.#pipes.set(fd, pipe);
      this.#openPipes.set(reportedFd, (this.#openPipes.get(reportedFd) ?? 0) + 1);
    }
    child.on("exit", this.#onExit);
    child.on("error", this.#onError);
    closeAtLoopClose(loop, this);
  }

  /**
   * @internal The loop closes with the transport open: close it (a running child is killed)
   * and let neither the child nor a grandchild holding its pipes keep Node alive.
   */
  _closeAtLoopClose(): void {
    this.close();
    this.#child.unref();
  }

  /** @internal Starts the pipes, then tells the protocol. */
  _start(): void {
    for (const pipe of this.#allPipes) pipe._start();
    this._protocol.connectionMade(this);
  }

  getPid(): number | undefined {
    return this.#child.pid;
  }

  getReturncode(): number | null {
    return this.#returncode;
  }

  getPipeTransport(fd: number): WriteTransport | ReadTransport | null {
    return this.#pipes.get(fd) ?? null;
  }

  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return name === "subprocess" ? this.#child : defaultValue;
  }

  isClosing(): boolean {
    return this.#closed;
  }

  getProtocol(): SubprocessProtocolLike {
    return this._protocol;
  }

  setProtocol(protocol: SubprocessProtocolLike): void {
    this._protocol = protocol;
  }

  /**
   * Sends `signal` to the child. Once the child has exited (and the transport saw it) or after
   * `close()`: ProcessLookupError, as asyncio's.
   */
  sendSignal(signal: NodeJS.Signals | number): void {
    checkSignal(signal);
    if (this.#closed) throw new ProcessLookupError("the process transport is closed");
    if (this.#returncode !== null) {
      throw new ProcessLookupError(
        `the process ${this.#child.pid} has exited (returncode ${this.#returncode})`,
      );
    }
    this.#child.kill(signal);
  }

  terminate(): void {
    this.sendSignal("SIGTERM");
  }

  kill(): void {
    this.sendSignal("SIGKILL");
  }

  /** Closes the pipes; a child still running is killed (as asyncio does). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const pipe of this.#allPipes) pipe.close();
    if (this.#returncode === null) this.#child.kill("SIGKILL");
  }

  /** @internal Waits for the child to exit; its return code. */
  *_wait(): Coro<number> {
    if (this.#returncode !== null) return this.#returncode;
    const waiter = this._loop.createFuture<number>();
    this.#exitWaiters.push(waiter);
    return yield* waiter;
  }

  /** @internal A pipe closed. */
  _pipeLost(fd: number, error: unknown): void {
    const left = (this.#openPipes.get(fd) ?? 1) - 1;
    this.#openPipes.set(fd, left);
    if (left === 0)
      callProtocol(this._loop, this, "pipeConnectionLost", () =>
        this._protocol.pipeConnectionLost(fd, error),
      );
    this.#tryFinish();
  }

  toString(): string {
    const parts = ["ChildProcessTransport", `pid=${this.#child.pid}`];
    if (this.#closed) parts.push("closed");
    parts.push(this.#returncode === null ? "running" : `returncode=${this.#returncode}`);
    return `<${parts.join(" ")}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  #onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    this.#returncode = code ?? -(constants.signals[signal as NodeJS.Signals] ?? 0);
    callProtocol(this._loop, this, "processExited", () => this._protocol.processExited());
    const waiters = this.#exitWaiters;
    this.#exitWaiters = [];
    for (const waiter of waiters) if (!waiter.done()) waiter.setResult(this.#returncode);
    this.#tryFinish();
  };

  #onError = (error: Error): void => {
    this._loop.callExceptionHandler({
      message: "child process error",
      exception: osErrorFrom(error),
      transport: this,
    });
  };

  #tryFinish(): void {
    if (this.#finished || this.#returncode === null) return;
    for (const open of this.#openPipes.values()) if (open > 0) return;
    this.#finished = true;
    releaseAtLoopClose(this._loop, this);
    callProtocol(this._loop, this, "connectionLost", () => this._protocol.connectionLost(null));
  }
}

const SIGNAL_NUMBERS = new Set<number>(Object.values(constants.signals));

/** A signal Node can send: TypeError for neither a name nor a number, ValueError for an unknown one. */
function checkSignal(signal: unknown): void {
  if (typeof signal === "string") {
    if (Object.hasOwn(constants.signals, signal)) return;
  } else if (typeof signal === "number") {
    if (SIGNAL_NUMBERS.has(signal)) return;
  } else {
    throw new TypeError(
      `sendSignal(signal): signal must be a name such as "SIGTERM" or its number, got ${formatValue(signal)}`,
    );
  }
  throw new ValueError(
    `sendSignal(signal): unknown signal ${formatValue(signal)}: use a name such as "SIGTERM" or its number`,
  );
}

/** @internal The stdio array for `spawn`, and whether stderr is merged into stdout. */
export function stdioFor(options: SubprocessOptions): {
  stdio: ("pipe" | "ignore" | "inherit" | number)[];
  merge: boolean;
} {
  const one = (value: StdioOption, name: string): "pipe" | "ignore" | "inherit" | number => {
    if (value === null || value === undefined) return "inherit";
    if (value === PIPE) return "pipe";
    if (value === DEVNULL) return "ignore";
    if (value === STDOUT) {
      if (name !== "stderr") throw new ValueError(`${name}: STDOUT can only be given for stderr`);
      return "pipe";
    }
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
    throw new ValueError(
      `${name} must be PIPE, DEVNULL, STDOUT (stderr only), a file descriptor or null, got ${formatValue(value)}`,
    );
  };
  const stdio = [
    one(options.stdin, "stdin"),
    one(options.stdout, "stdout"),
    one(options.stderr, "stderr"),
  ];
  const merge = options.stderr === STDOUT;
  if (merge && stdio[1] !== "pipe") {
    throw new ValueError(
      "stderr=STDOUT needs stdout=PIPE: Node cannot point stderr at an inherited stdout",
    );
  }
  return { stdio, merge };
}

/** @internal Spawns the child and waits until it runs (a missing program fails here). */
export function* spawnTransport(
  loop: EventLoop,
  protocolFactory: () => SubprocessProtocolLike,
  file: string,
  args: readonly string[],
  options: SubprocessOptions,
): Coro<[ChildProcessTransport, SubprocessProtocolLike]> {
  const { stdio, merge } = stdioFor(options);
  checkClosed(loop);
  const child = spawn(file, args, {
    stdio,
    cwd: options.cwd,
    env: options.env,
    detached: options.detached ?? false,
  });
  const future = loop.createFuture<[ChildProcessTransport, SubprocessProtocolLike]>();
  const onSpawn = () => {
    child.off("error", onError);
    if (future.done()) return;
    try {
      const protocol = protocolFactory();
      const transport = new ChildProcessTransport(loop, child, protocol, merge);
      transport._start();
      future.setResult([transport, protocol]);
    } catch (error) {
      child.kill("SIGKILL");
      future.setException(error);
    }
  };
  const onError = (error: Error) => {
    child.off("spawn", onSpawn);
    if (!future.done()) future.setException(osErrorFrom(error));
  };
  child.once("spawn", onSpawn);
  child.once("error", onError);
  try {
    return yield* awaitForeign(future);
  } catch (error) {
    // Cancelled (or failed) before a transport owns the child: kill it and close our ends of
    // its pipes, which a grandchild may hold open long after the child is gone.
    if (child.exitCode === null && child.pid !== undefined) child.kill("SIGKILL");
    for (const stream of child.stdio) stream?.destroy();
    child.unref();
    throw error;
  }
}
