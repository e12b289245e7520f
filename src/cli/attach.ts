/**
 * How `asyncio-ts ps` and `pstree` reach a live process: check the pid, make sure port 9229
 * is free (or already the target's own inspector), open the target's inspector with
 * `process._debugProcess(pid)` (what SIGUSR1 does), verify through it that the answer comes
 * from that pid, call the snapshot hook the library defines (src/inspect/snapshot.ts), read
 * the tasks' coroutine function names, and close the inspector again at once. The inspector
 * answers from its own thread, so this works while the target's loop is stuck in CPU work.
 *
 * Every failure becomes an `AttachError` with a message for the user and an exit status.
 */

import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { get } from "node:http";
import { basename } from "node:path";
import type { ProcessSnapshot } from "../inspect/snapshot.ts";
import { WebSocketClient } from "./websocket.ts";

/** The inspector's port when the target opens it on SIGUSR1 (Node's default). */
export const INSPECTOR_PORT = 9229;
const HOST = "127.0.0.1";
/** How long the target's own timer waits before closing the inspector if we cannot. */
const TARGET_CLOSE_AFTER_MS = 5000;
/** The longest wait for any one answer. */
const ANSWER_TIMEOUT_MS = 5000;
/** The most tasks whose coroutine names are looked up (one inspector round trip each). */
const MAX_NAMED_COROUTINES = 200;
const HOOK_EXPRESSION = 'globalThis[Symbol.for("asyncio-ts.inspect")]';

/** A failure to report: `message` for the user, `status` for the exit code. */
export class AttachError extends Error {
  readonly status: number;
  constructor(message: string, status = 1) {
    super(message);
    this.name = "AttachError";
    this.status = status;
  }
}

/** A snapshot plus what only the inspector can tell: each task's coroutine function name. */
export interface Inspection {
  snapshot: ProcessSnapshot;
  coroutineNames: Map<number, string>;
}

interface InspectorTarget {
  webSocketDebuggerUrl?: string;
}

/** Reads the target's snapshot through its inspector; closes the inspector if it opened it. */
export async function inspectProcess(pid: number, port = INSPECTOR_PORT): Promise<Inspection> {
  checkProcess(pid);
  const already = await listTargets(port);
  let opened = false;
  if (already === "refused") {
    try {
      (process as unknown as { _debugProcess(pid: number): void })._debugProcess(pid);
    } catch (error) {
      throw new AttachError(`cannot signal process ${pid}: ${(error as Error).message}`);
    }
    opened = true;
  } else if (already === "not-inspector") {
    throw portTaken(port, "a program that is not a Node.js inspector");
  }
  const targets = already === "refused" ? await waitForInspector(pid, port) : already;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new AttachError(`the inspector on port ${port} lists no target`);
  let socket: WebSocketClient;
  try {
    socket = await WebSocketClient.connect(url, ANSWER_TIMEOUT_MS);
  } catch (error) {
    throw new AttachError(`cannot connect to the inspector at ${url}: ${(error as Error).message}`);
  }
  const session = new Session(socket);
  let verified = false;
  try {
    const answeringPid = await session.evaluate("process.pid", true);
    if (answeringPid !== pid) {
      // Someone else's inspector holds the port: never close or touch it.
      opened = false;
      throw portTaken(port, `the inspector of process ${String(answeringPid)}`);
    }
    verified = true;
    const closeAfterMs = opened ? TARGET_CLOSE_AFTER_MS : 0;
    const snapshot = (await session.evaluate(
      `${HOOK_EXPRESSION}?.snapshot({ closeAfterMs: ${closeAfterMs} }) ?? null`,
      true,
    )) as ProcessSnapshot | null;
    if (snapshot === null) {
      throw new AttachError(
        `process ${pid} does not use asyncio-ts (or has not imported it yet): no task to show`,
      );
    }
    if (snapshot.version !== 1) {
      throw new AttachError(
        `process ${pid} runs a version of asyncio-ts whose snapshot (version ${snapshot.version}) this asyncio-ts cannot read: use the same version`,
      );
    }
    const coroutineNames = await readCoroutineNames(session);
    return { snapshot, coroutineNames };
  } finally {
    if (opened && verified) await session.closeInspector();
    socket.close();
  }
}

/** Refuses a pid that is not a running Node.js process this user may inspect. */
function checkProcess(pid: number): void {
  if (pid === process.pid) throw new AttachError("asyncio-ts cannot inspect itself", 2);
  try {
    process.kill(pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ESRCH") throw new AttachError(`no process has pid ${pid} (has it exited?)`);
    if (code === "EPERM") {
      throw new AttachError(
        `process ${pid} belongs to another user: run asyncio-ts as that user to inspect it`,
      );
    }
    throw new AttachError(`cannot reach process ${pid}: ${(error as Error).message}`);
  }
  // SIGUSR1 ends most programs that are not Node: look before signalling, where Linux lets us.
  const program = programOf(pid);
  if (program !== null && !/node/i.test(basename(program)) && program !== process.execPath) {
    throw new AttachError(
      `process ${pid} runs ${program}, not Node.js: asyncio-ts inspects Node.js processes only`,
    );
  }
}

/**
 * The program `pid` runs, from /proc: its executable, else its command line's first word, else
 * its command name. Null where there is no /proc (macOS): then nothing can be checked. A
 * process /proc says nothing about is refused rather than signalled blind.
 */
function programOf(pid: number): string | null {
  if (!existsSync("/proc/self")) return null;
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {}
  try {
    const first = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    if (first) return first;
  } catch {}
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {}
  throw new AttachError(`cannot tell which program process ${pid} runs, so it is not signalled`);
}

function portTaken(port: number, holder: string): AttachError {
  return new AttachError(
    `port ${port} on ${HOST} is held by ${holder}, so the target's inspector cannot open there; free the port and try again`,
  );
}

/** The inspector's target list on `port`, "refused" when nothing listens, or "not-inspector". */
function listTargets(port: number): Promise<InspectorTarget[] | "refused" | "not-inspector"> {
  return new Promise((resolve) => {
    const request = get({ host: HOST, port, path: "/json/list", timeout: 1000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => {
        try {
          const parsed = JSON.parse(body) as unknown;
          resolve(Array.isArray(parsed) ? (parsed as InspectorTarget[]) : "not-inspector");
        } catch {
          resolve("not-inspector");
        }
      });
      response.on("error", () => resolve("not-inspector"));
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "ECONNREFUSED" ? "refused" : "not-inspector"),
    );
  });
}

/** Polls until the target's inspector answers, or explains why it did not. */
async function waitForInspector(pid: number, port: number): Promise<InspectorTarget[]> {
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    const targets = await listTargets(port);
    if (Array.isArray(targets)) return targets;
    if (targets === "not-inspector")
      throw portTaken(port, "a program that is not a Node.js inspector");
    if (Date.now() > deadline) {
      throw new AttachError(
        `the inspector of process ${pid} did not open on ${HOST}:${port} (was it started with --disable-sigusr1 or another --inspect-port?)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Names the snapshot's coroutines from their `[[GeneratorFunction]]`, which only the inspector sees. */
async function readCoroutineNames(session: Session): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  const holder = (await session.call("Runtime.evaluate", {
    expression: `${HOOK_EXPRESSION}.coroutines()`,
  })) as { result: { objectId?: string } };
  if (holder.result.objectId === undefined) return names;
  const entries = (await session.call("Runtime.getProperties", {
    objectId: holder.result.objectId,
    ownProperties: true,
  })) as { result: { name: string; value?: { objectId?: string } }[] };
  for (const entry of entries.result.slice(0, MAX_NAMED_COROUTINES)) {
    const objectId = entry.value?.objectId;
    if (objectId === undefined) continue;
    const properties = (await session.call("Runtime.getProperties", {
      objectId,
      ownProperties: true,
    })) as { internalProperties?: { name: string; value?: { description?: string } }[] };
    const fn = properties.internalProperties?.find((p) => p.name === "[[GeneratorFunction]]");
    const match = fn?.value?.description?.match(/^(?:async\s+)?function\s*\*\s*([^\s(]*)/);
    if (match) names.set(Number(entry.name), match[1] || "<anonymous>");
  }
  await session.call("Runtime.releaseObjectGroup", { objectGroup: "asyncio-ts" });
  return names;
}

/** Chrome DevTools Protocol calls over one WebSocket, answered by id. */
class Session {
  readonly #socket: WebSocketClient;
  #nextId = 1;

  constructor(socket: WebSocketClient) {
    this.#socket = socket;
  }

  async call(method: string, params: Record<string, unknown>): Promise<unknown> {
    const id = this.#nextId++;
    const withGroup =
      method === "Runtime.evaluate" ? { objectGroup: "asyncio-ts", ...params } : params;
    this.#socket.send(JSON.stringify({ id, method, params: withGroup }));
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const remaining = deadline - Date.now();
      const message = await withTimeout(this.#socket.receive(), remaining, method);
      const parsed = JSON.parse(message) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (parsed.id !== id) continue;
      if (parsed.error)
        throw new AttachError(`the inspector refused ${method}: ${parsed.error.message}`);
      return parsed.result;
    }
  }

  /** Evaluates `expression` in the target and returns its value (JSON-copied). */
  async evaluate(expression: string, byValue: boolean): Promise<unknown> {
    const answer = (await this.call("Runtime.evaluate", {
      expression,
      returnByValue: byValue,
    })) as { result: { value?: unknown }; exceptionDetails?: { text: string } };
    if (answer.exceptionDetails) {
      throw new AttachError(`evaluating in the target failed: ${answer.exceptionDetails.text}`);
    }
    return answer.result.value;
  }

  /**
   * Closes the target's inspector from inside (it drops this connection, so no answer comes),
   * after disarming the hook's fallback timer. `require` is the inspector's command-line API,
   * there whether or not the target uses asyncio-ts.
   */
  async closeInspector(): Promise<void> {
    this.#socket.send(
      JSON.stringify({
        id: this.#nextId++,
        method: "Runtime.evaluate",
        params: {
          expression: `${HOOK_EXPRESSION}?.release(); require("node:inspector").close();`,
          includeCommandLineAPI: true,
        },
      }),
    );
    try {
      await withTimeout(drain(this.#socket), ANSWER_TIMEOUT_MS, "closing the inspector");
    } catch {
      // The connection ends either way; the hook's timer closes the inspector if this did not.
    }
  }
}

/** Reads messages until the connection ends. */
async function drain(socket: WebSocketClient): Promise<void> {
  for (;;) {
    try {
      await socket.receive();
    } catch {
      return;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AttachError(`the target did not answer ${what} in time`)),
      Math.max(0, ms),
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The shared entry of `ps` and `pstree`: parses `PID` (and `--help`), inspects the process
 * and prints what `render` makes of it; failures print one line and give their exit status.
 */
export async function runInspectCommand(
  command: string,
  summary: string,
  args: readonly string[],
  render: (inspection: Inspection, pid: number) => string,
): Promise<number> {
  const usage = `usage: asyncio-ts ${command} PID\n\n${summary}`;
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    return 0;
  }
  const [pidText, ...extra] = args;
  const pid = Number(pidText);
  if (pidText === undefined || extra.length > 0 || !/^\d+$/.test(pidText) || pid <= 0) {
    console.error(
      `asyncio-ts ${command}: expected one process id, got ${args.length === 0 ? "nothing" : JSON.stringify(args.join(" "))}\n\n${usage}`,
    );
    return 2;
  }
  // Ctrl-C or a kill while the target's inspector is open would leave it open: finish first
  // (every step has a time limit), then report the interruption.
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const inspection = await inspectProcess(pid);
    if (interrupted !== null) {
      console.error(
        `asyncio-ts ${command}: interrupted by ${interrupted}; the inspector is closed`,
      );
      return 130;
    }
    console.log(render(inspection, pid));
    return 0;
  } catch (error) {
    if (error instanceof AttachError) {
      console.error(`asyncio-ts ${command}: ${error.message}`);
      return error.status;
    }
    console.error(`asyncio-ts ${command}: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
