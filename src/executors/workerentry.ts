/**
 * The program a pool's worker runs, in a worker thread or a child process: it loads work
 * modules on demand (each once), runs one item at a time, and sends back the result or the
 * error (see protocol.ts). It imports only the few small modules it needs, not the whole library.
 *
 * Cancellation: an `abort` message aborts the running item's signal (`workSignal()`); a work
 * function that does not stop is terminated by the pool after its grace period.
 *
 * tsx: when the parent runs under tsx and this entry was not started with it (the compiled
 * library), tsx's hooks are registered just before the first TypeScript work module is
 * imported; JavaScript work never pays for them (see loader.ts).
 */

import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, type TransferListItem, workerData } from "node:worker_threads";
import { UnsendableError } from "./errors.ts";
import { isTypeScriptModule } from "./loader.ts";
import type { FromWorker, ThreadWorkerData, ToWorker, WorkCall } from "./protocol.ts";
import { describeKind, serializeError } from "./protocol.ts";
import { collectTransfers } from "./transfer.ts";
import { type SignalSource, setSignalSource } from "./worksignal.ts";

type Send = (message: FromWorker, transfer: TransferListItem[]) => void;
type Work = (...args: unknown[]) => unknown;

const send: Send = isMainThread
  ? (message) => {
      process.send!(message);
    }
  : (message, transfer) => parentPort!.postMessage(message, transfer);

const NO_TRANSFER: TransferListItem[] = [];
const modules = new Map<string, Promise<Record<string, unknown>>>();
const functions = new Map<string, Work>();

/** The signal of the running item, made only when the work asks for it or is aborted. */
class RunningItem implements SignalSource {
  readonly id: number;
  #controller: AbortController | null = null;

  constructor(id: number) {
    this.id = id;
  }

  signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  abort(): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(
      new DOMException("the task waiting for this work was cancelled", "AbortError"),
    );
  }
}

let running: RunningItem | null = null;

/** tsx's register API when this worker registers tsx's hooks itself, on first need. */
const lateTsxApi: string | null = isMainThread
  ? (process.argv[2] ?? null)
  : (workerData as ThreadWorkerData).tsxFirst
    ? null
    : (workerData as ThreadWorkerData).tsxApi;
let tsxRegistered: Promise<void> | null = null;

function importModule(url: string): Promise<Record<string, unknown>> {
  if (lateTsxApi === null || !isTypeScriptModule(url)) {
    return import(url) as Promise<Record<string, unknown>>;
  }
  tsxRegistered ??= import(lateTsxApi).then((api: { register: () => unknown }) => {
    api.register();
  });
  return tsxRegistered.then(() => import(url) as Promise<Record<string, unknown>>);
}

function loadModule(url: string): Promise<Record<string, unknown>> {
  let loading = modules.get(url);
  if (loading === undefined) {
    loading = importModule(url);
    modules.set(url, loading);
    loading.catch(() => modules.delete(url));
  }
  return loading;
}

async function loadFunction(module: string, name: string): Promise<Work> {
  const key = `${module}\0${name}`;
  const cached = functions.get(key);
  if (cached !== undefined) return cached;
  let namespace: Record<string, unknown>;
  try {
    namespace = await loadModule(module);
  } catch (error) {
    throw unloadableModule(module, name, error);
  }
  if (!Object.hasOwn(namespace, name)) {
    const exported = Object.keys(namespace).filter((key) => typeof namespace[key] === "function");
    throw new ReferenceError(
      `module ${module} has no export named "${name}"; its exported functions are: ${exported.join(", ") || "(none)"}`,
    );
  }
  const work = namespace[name];
  if (typeof work !== "function") {
    throw new TypeError(
      `export "${name}" of module ${module} is ${describeKind(work)}, not a function: only exported functions can run in a worker`,
    );
  }
  functions.set(key, work as Work);
  return work as Work;
}

/**
 * The error for a work module that cannot be loaded: it names the user's module and the export
 * wanted, not this entry module that imported it (the pool adds where `workModule()` was called).
 */
function unloadableModule(module: string, name: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const withoutImporter = reason.replace(/ imported from \S*workerentry\.[cm]?[jt]s\b/, "");
  const path = module.startsWith("file:") ? fileURLToPath(module) : module;
  const unloadable = new Error(
    `the work module ${path} cannot be loaded for its export "${name}": ${withoutImporter}; check the URL given to workModule()`,
    { cause: error },
  );
  return Object.assign(unloadable, {
    workModule: module,
    ...(error instanceof Error && "code" in error ? { code: error.code } : {}),
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

function finish(id: number, value: unknown): void {
  if (running?.id === id) {
    running = null;
    setSignalSource(null);
  }
  try {
    send({ kind: "done", id, value }, collectTransfers([value]));
  } catch (error) {
    const message = `the result (${describeKind(value)}) cannot be sent back from the worker: ${error instanceof Error ? error.message : String(error)}; return plain data`;
    fail(id, new UnsendableError(message));
  }
}

function fail(id: number, error: unknown): void {
  if (running?.id === id) {
    running = null;
    setSignalSource(null);
  }
  send({ kind: "failed", id, error: serializeError(error) }, NO_TRANSFER);
}

function call(work: Work, args: unknown[], chunk: boolean): unknown {
  if (!chunk) return work(...args);
  const results = (args as unknown[][]).map((itemArgs) => work(...itemArgs));
  return results.some(isThenable) ? Promise.all(results) : results;
}

function invoke(id: number, work: Work, args: unknown[], chunk: boolean): void {
  let result: unknown;
  try {
    result = call(work, args, chunk);
  } catch (error) {
    fail(id, error);
    return;
  }
  if (isThenable(result)) {
    result.then(
      (value) => finish(id, value),
      (error: unknown) => fail(id, error),
    );
  } else {
    finish(id, result);
  }
}

function run(message: Extract<ToWorker, { kind: "run" }>): void {
  const { id, module, name, args, chunk } = message;
  running = new RunningItem(id);
  setSignalSource(running);
  const cached = functions.get(`${module}\0${name}`);
  if (cached !== undefined) {
    invoke(id, cached, args, chunk);
    return;
  }
  loadFunction(module, name).then(
    (work) => invoke(id, work, args, chunk),
    (error: unknown) => fail(id, error),
  );
}

async function start(initializer: WorkCall | null): Promise<void> {
  try {
    if (initializer !== null) {
      const work = await loadFunction(initializer.module, initializer.name);
      await work(...initializer.args);
    }
  } catch (error) {
    send({ kind: "startFailed", error: serializeError(error) }, NO_TRANSFER);
    process.exit(1);
  }
  send({ kind: "ready" }, NO_TRANSFER);
}

function onMessage(message: ToWorker): void {
  switch (message.kind) {
    case "run":
      run(message);
      return;
    case "abort":
      if (running?.id === message.id) running.abort();
      return;
    case "start":
      void start(message.initializer);
      return;
    case "exit":
      process.exit(0);
  }
}

if (isMainThread) {
  process.on("message", onMessage);
  process.on("disconnect", () => process.exit(0));
} else {
  parentPort!.on("message", onMessage);
}
