/**
 * The public API is exactly what src/index.ts names (asyncio's `__all__` check): adding or
 * removing a public name is a deliberate change to this list, and every name is defined. The
 * classes and functions are functions, every loop has the methods the upper layers install,
 * and the error classes read well and sit in the right hierarchy.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import * as asyncio from "../src/index.ts";

const PUBLIC_NAMES = [
  "AF_INET",
  "AF_INET6",
  "AF_UNSPEC",
  "ALL_COMPLETED",
  "AsCompleted",
  "AsyncGen",
  "Barrier",
  "BaseProtocol",
  "BoundedSemaphore",
  "BrokenBarrierError",
  "BrokenExecutor",
  "BrokenPipeError",
  "BrokenProcessPool",
  "BrokenThreadPool",
  "BufferedProtocol",
  "CancelledError",
  "ChildProcessTransport",
  "ConcurrentRunner",
  "Condition",
  "ConnectionAbortedError",
  "ConnectionError",
  "ConnectionRefusedError",
  "ConnectionResetError",
  "Context",
  "ContextVar",
  "DEFAULT_LIMIT",
  "DEVNULL",
  "DatagramEndpoint",
  "DatagramProtocol",
  "DeadlockError",
  "Event",
  "EventLoop",
  "ExceptionGroup",
  "ExecutorQueueFull",
  "FIRST_COMPLETED",
  "FIRST_EXCEPTION",
  "FileNotFoundError",
  "FlowControlProtocol",
  "Future",
  "GaiError",
  "GatheringFuture",
  "GeneratorContextManager",
  "GeneratorExit",
  "Handle",
  "IncompleteReadError",
  "InvalidStateError",
  "KeyboardInterrupt",
  "LifoQueue",
  "LimitOverrunError",
  "Lock",
  "LookupError",
  "NI_NUMERICHOST",
  "NI_NUMERICSERV",
  "OSError",
  "PIPE",
  "PermissionError",
  "PriorityQueue",
  "Process",
  "ProcessLookupError",
  "ProcessPoolExecutor",
  "Protocol",
  "Queue",
  "QueueEmpty",
  "QueueFull",
  "QueueShutDown",
  "Runner",
  "RuntimeError",
  "SOCK_DGRAM",
  "SOCK_RAW",
  "SOCK_STREAM",
  "SSLCertVerificationError",
  "SSLError",
  "SSL_HANDSHAKE_TIMEOUT",
  "STDOUT",
  "Semaphore",
  "Server",
  "ServerSocket",
  "SocketTransport",
  "StreamReader",
  "StreamReaderProtocol",
  "StreamWriter",
  "SubprocessProtocol",
  "SubprocessStreamProtocol",
  "Task",
  "TaskGroup",
  "ThreadPoolExecutor",
  "Timeout",
  "TimeoutError",
  "TimerHandle",
  "Token",
  "UnsendableError",
  "ValueError",
  "WorkModule",
  "WorkerError",
  "abortable",
  "allTasks",
  "asCompleted",
  "asyncContextManager",
  "asyncGenerator",
  "captureCallGraph",
  "copyContext",
  "createEagerTaskFactory",
  "createSubprocessExec",
  "createSubprocessShell",
  "createTask",
  "currentTask",
  "eagerTaskFactory",
  "emit",
  "ensureFuture",
  "formatCallGraph",
  "fromPromise",
  "futureAddToAwaitedBy",
  "futureDiscardFromAwaitedBy",
  "gather",
  "getRunningLoop",
  "isCancelledError",
  "isCoroutine",
  "isCoroutineFunction",
  "isFuture",
  "lowlevel",
  "newEventLoop",
  "openConnection",
  "openUnixConnection",
  "printCallGraph",
  "pythonCompare",
  "rethrowIfCancelled",
  "run",
  "setLogger",
  "shield",
  "sleep",
  "startServer",
  "startUnixServer",
  "timeout",
  "timeoutAt",
  "toThread",
  "transfer",
  "using",
  "wait",
  "waitFor",
  "workModule",
  "workSignal",
];

it("src/index.ts exports exactly the public names", () => {
  assert.deepEqual(Object.keys(asyncio).sort(), [...PUBLIC_NAMES].sort());
});

it("every public name is defined", () => {
  for (const name of PUBLIC_NAMES) {
    assert.notEqual((asyncio as Record<string, unknown>)[name], undefined, name);
  }
});

it("the classes and functions of sync and executors are functions", () => {
  const names = [
    "Barrier",
    "BoundedSemaphore",
    "BrokenBarrierError",
    "Condition",
    "Event",
    "LifoQueue",
    "Lock",
    "PriorityQueue",
    "Queue",
    "QueueEmpty",
    "QueueFull",
    "QueueShutDown",
    "Semaphore",
    "pythonCompare",
    "BrokenExecutor",
    "BrokenProcessPool",
    "BrokenThreadPool",
    "ExecutorQueueFull",
    "ProcessPoolExecutor",
    "ThreadPoolExecutor",
    "UnsendableError",
    "WorkModule",
    "WorkerError",
    "toThread",
    "transfer",
    "workModule",
    "workSignal",
  ];
  for (const name of names) {
    assert.equal(typeof (asyncio as Record<string, unknown>)[name], "function", name);
  }
});

it("every loop has the net, subprocess and executor methods", () => {
  const methods = [
    "createConnection",
    "createDatagramEndpoint",
    "createUnixConnection",
    "createServer",
    "createUnixServer",
    "getaddrinfo",
    "getnameinfo",
    "startTls",
    "subprocessExec",
    "subprocessShell",
    "addSignalHandler",
    "removeSignalHandler",
    "runInExecutor",
    "setDefaultExecutor",
    "shutdownDefaultExecutor",
  ];
  for (const method of methods) {
    assert.equal(
      typeof (asyncio.EventLoop.prototype as unknown as Record<string, unknown>)[method],
      "function",
      method,
    );
  }
});

it("the queue and barrier errors read well", () => {
  for (const ErrorClass of [asyncio.QueueEmpty, asyncio.QueueFull, asyncio.QueueShutDown]) {
    const error = new ErrorClass("message");
    assert.ok(error instanceof Error);
    assert.equal(error.name, ErrorClass.name);
    assert.equal(String(error), `${ErrorClass.name}: message`);
  }
  assert.ok(new asyncio.BrokenBarrierError("x") instanceof asyncio.RuntimeError);
});

it("the executor errors read well and sit in the right hierarchy", () => {
  const broken = new asyncio.BrokenProcessPool("worker died", {
    exitCode: null,
    signal: "SIGKILL",
  });
  assert.ok(broken instanceof asyncio.BrokenExecutor);
  assert.ok(broken instanceof asyncio.RuntimeError);
  assert.equal(String(broken), "BrokenProcessPool: worker died");
  assert.equal(broken.signal, "SIGKILL");
  assert.ok(new asyncio.BrokenThreadPool("x") instanceof asyncio.BrokenExecutor);
  assert.ok(new asyncio.ExecutorQueueFull("x") instanceof asyncio.RuntimeError);
  const unsendable = new asyncio.UnsendableError("argument 1 cannot be sent");
  assert.ok(unsendable instanceof TypeError);
  assert.equal(String(unsendable), "UnsendableError: argument 1 cannot be sent");
  assert.equal(asyncio.workSignal().aborted, false, "outside a worker the signal never aborts");
});
