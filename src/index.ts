/**
 * asyncio-ts: Python's asyncio for TypeScript on Node.js. This module is the one public entry:
 * everything a user imports is named here.
 *
 * @example
 * ```ts
 * import * as asyncio from "asyncio-ts";
 *
 * function* main(): asyncio.Coro<void> {
 *   yield* asyncio.sleep(0.1);
 *   console.log("hello from a coroutine");
 * }
 * await asyncio.run(main());
 * ```
 */

// Puts the net, subprocess and executor methods on EventLoop's prototype.
import "./loopmethods.ts";

export { AsyncGen, type AsyncGenBody, asyncGenerator, type Emit, emit } from "./core/asyncgen.ts";
export { Context, ContextVar, copyContext, Token } from "./core/contextvars.ts";
export {
  type Awaitable,
  type AwaitedOf,
  type Coro,
  type CoroFunction,
  isCoroutine,
  isCoroutineFunction,
  type Suspend,
  type Yielded,
} from "./core/coroutines.ts";
export {
  type ClockKind,
  type EventLoopOptions,
  type ExceptionContext,
  type ExceptionHandler,
  getRunningLoop,
} from "./core/events.ts";
export {
  CancelledError,
  DeadlockError,
  InvalidStateError,
  isCancelledError,
  KeyboardInterrupt,
  LookupError,
  RuntimeError,
  rethrowIfCancelled,
  TimeoutError,
  ValueError,
} from "./core/exceptions.ts";
export { type DoneCallback, Future, isFuture } from "./core/futures.ts";
export { type Callback, Handle, TimerHandle } from "./core/handles.ts";
export { type Logger, setLogger } from "./core/log.ts";
export { EventLoop, newEventLoop } from "./core/loop.ts";
// The kernel's low-level primitives, for code that builds new primitives (docs/lowlevel.md).
export * as lowlevel from "./core/lowlevel.ts";
export { abortable, fromPromise } from "./core/promises.ts";
export {
  ConcurrentRunner,
  type ConcurrentRunOptions,
  Runner,
  type RunOptions,
  run,
} from "./core/runners.ts";
export { sleep } from "./core/sleep.ts";

// Defines the hook `asyncio-ts ps` calls through the inspector; nothing runs until it is called.
import "./inspect/snapshot.ts";

export {
  allTasks,
  createEagerTaskFactory,
  createTask,
  currentTask,
  eagerTaskFactory,
  ensureFuture,
  Task,
  type TaskConstructor,
  type TaskFactory,
  type TaskOptions,
} from "./core/tasks.ts";
export type { TraceOptions } from "./core/trace.ts";
export {
  BrokenExecutor,
  BrokenProcessPool,
  BrokenThreadPool,
  ExecutorQueueFull,
  UnsendableError,
  WorkerError,
  type WorkerExit,
} from "./executors/errors.ts";
export type {
  Executor,
  ExecutorStatistics,
  MapOptions,
  ShutdownOptions,
  ShutdownWait,
} from "./executors/executor.ts";
export type { PoolOptions } from "./executors/pool.ts";
export { ProcessPoolExecutor, type ProcessPoolOptions } from "./executors/processpool.ts";
export { ThreadPoolExecutor, type ThreadPoolOptions } from "./executors/threadpool.ts";
export { toThread } from "./executors/tothread.ts";
export { transfer } from "./executors/transfer.ts";
export {
  type AnyWorkFn,
  type WorkFn,
  type WorkFnOf,
  type WorkFunctionName,
  WorkModule,
  workModule,
} from "./executors/work.ts";
export { workSignal } from "./executors/worksignal.ts";
export type { ConnectionOptions, UnixConnectionOptions } from "./net/connect.ts";
export { DatagramEndpoint, type DatagramEndpointOptions } from "./net/datagram.ts";
export {
  type AddrInfo,
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  type GetaddrinfoOptions,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
  type SockAddr,
} from "./net/dns.ts";
export {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileNotFoundError,
  GaiError,
  IncompleteReadError,
  LimitOverrunError,
  OSError,
  PermissionError,
  ProcessLookupError,
  SSLCertVerificationError,
  SSLError,
} from "./net/errors.ts";
export { FlowControlProtocol } from "./net/flowcontrol.ts";
export type { ServerOptions, UnixServerOptions } from "./net/listen.ts";

export {
  BaseProtocol,
  BufferedProtocol,
  type DatagramAddress,
  DatagramProtocol,
  Protocol,
  SubprocessProtocol,
} from "./net/protocols.ts";
export { Server, ServerSocket, type ServerStatistics } from "./net/server.ts";
export { SocketTransport, type StreamProtocol } from "./net/sockettransport.ts";
export { type ClientConnectedCallback, StreamReaderProtocol } from "./net/streamprotocol.ts";
export { DEFAULT_LIMIT, StreamReader, type StreamReaderStatistics } from "./net/streamreader.ts";
export {
  openConnection,
  openUnixConnection,
  type StreamLimitOption,
  startServer,
  startUnixServer,
} from "./net/streams.ts";
export { StreamWriter } from "./net/streamwriter.ts";
export { SSL_HANDSHAKE_TIMEOUT, type SSLContext, type StartTlsOptions } from "./net/tls.ts";
export type {
  BaseTransport,
  DatagramTransport,
  ReadTransport,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from "./net/transports.ts";
export {
  AsCompleted,
  type AsCompletedOptions,
  asCompleted,
} from "./structure/ascompleted.ts";
export type { AwaitableLike, ResultOf } from "./structure/awaitables.ts";
export {
  type CallGraphOptions,
  captureCallGraph,
  type FutureCallGraph,
  formatCallGraph,
  futureAddToAwaitedBy,
  futureDiscardFromAwaitedBy,
  printCallGraph,
} from "./structure/callgraph.ts";
export {
  type AsyncContextManager,
  asyncContextManager,
  type EnteredOf,
  GeneratorContextManager,
  GeneratorExit,
  type UsingResult,
  using,
} from "./structure/contextmanagers.ts";
export { type ErrorClass, type ErrorMatcher, ExceptionGroup } from "./structure/exceptiongroups.ts";
export {
  GatheringFuture,
  type GatherOptions,
  type GatherResults,
  type GatherSettled,
  gather,
} from "./structure/gather.ts";
export { shield } from "./structure/shield.ts";
export { TaskGroup } from "./structure/taskgroups.ts";
export { Timeout, timeout, timeoutAt } from "./structure/timeouts.ts";
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  wait,
} from "./structure/wait.ts";
export { waitFor } from "./structure/waitfor.ts";

export { Process, SubprocessStreamProtocol } from "./subprocess/process.ts";
export {
  createSubprocessExec,
  createSubprocessShell,
  type ProcessOptions,
} from "./subprocess/subprocess.ts";
export {
  ChildProcessTransport,
  DEVNULL,
  PIPE,
  STDOUT,
  type StdioOption,
  type SubprocessOptions,
  type SubprocessProtocolLike,
} from "./subprocess/transport.ts";
export {
  Barrier,
  type BarrierState,
  type BarrierStatistics,
  BrokenBarrierError,
} from "./sync/barrier.ts";
export { Condition, type ConditionStatistics } from "./sync/condition.ts";
export { Event, type EventStatistics } from "./sync/event.ts";
export { type Comparator, pythonCompare } from "./sync/heap.ts";
export { Lock, type LockStatistics } from "./sync/lock.ts";
export {
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  type QueueStatistics,
} from "./sync/queues.ts";
export { BoundedSemaphore, Semaphore, type SemaphoreStatistics } from "./sync/semaphore.ts";
