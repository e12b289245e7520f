/**
 * Helpers of the BullMQ tests: a real redis-server of their own on a free port of 127.0.0.1
 * (no persistence; stopped, restarted, killed by the tests), worker hosts as real child
 * processes (`node --import tsx src/cli/main.ts worker ...`), and the fixture work module.
 */

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import * as asyncio from "../../src/index.ts";
import type * as work from "./fixtures/work.ts";

export const FIXTURES = new URL("./fixtures/", import.meta.url);
export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const tasks = asyncio.workModule<typeof work>(new URL("./work.ts", FIXTURES));

/** Why these tests cannot run here, or null when redis-server is installed. */
export function redisMissing(): string | null {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error === undefined && probe.status === 0) return null;
  return "redis-server is not installed: the BullMQ tests need it; enable them with `apt-get install -y redis-server` (CI's .ci/run does it)";
}

/** A TCP port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Waits until `output()` matches `pattern`, or throws after `seconds` saying what was seen. */
async function waitForOutput(
  output: () => string,
  pattern: RegExp,
  seconds: number,
  what: string,
  exited: () => boolean,
): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!pattern.test(output())) {
    if (exited()) throw new Error(`${what} exited before it was ready; its output:\n${output()}`);
    if (performance.now() > deadline) {
      throw new Error(`${what} was not ready within ${seconds} s; its output:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A redis-server of the test's own, without persistence. */
export class RedisServer {
  readonly port: number;
  #process: ChildProcess | null = null;

  private constructor(port: number) {
    this.port = port;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.#launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async #launch(): Promise<void> {
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    let exited = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", () => {
      exited = true;
    });
    this.#process = child;
    await waitForOutput(
      () => output,
      /Ready to accept connections/,
      15,
      "redis-server",
      () => exited,
    );
  }

  /** Stops it (its data is gone: it keeps none). */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }

  /** Stops it and starts a fresh one on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#launch();
  }
}

/** A worker host process (`asyncio-ts worker`). */
export class Host {
  readonly process: ChildProcess;
  #output = "";

  private constructor(child: ChildProcess) {
    this.process = child;
    child.stdout!.on("data", (chunk: Buffer) => {
      this.#output += chunk.toString();
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      this.#output += chunk.toString();
    });
  }

  /** Starts `asyncio-ts worker --queue queue --connection url ...args` and waits until ready. */
  static async start(queue: string, url: string, args: string[] = []): Promise<Host> {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "worker",
        "--queue",
        queue,
        "--connection",
        url,
        "--root",
        fileURLToPath(FIXTURES),
        ...args,
      ],
      { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
    );
    const host = new Host(child);
    await waitForOutput(
      () => host.#output,
      /asyncio-ts worker: ready/,
      60,
      `worker host for ${queue}`,
      () => child.exitCode !== null || child.signalCode !== null,
    );
    return host;
  }

  get pid(): number {
    return this.process.pid!;
  }

  get output(): string {
    return this.#output;
  }

  /** Sends `signal` and waits for the exit; resolves to the exit code and signal. */
  async stop(
    signal: NodeJS.Signals = "SIGTERM",
  ): Promise<{ code: number | null; signal: string | null }> {
    const child = this.process;
    if (child.exitCode !== null || child.signalCode !== null) {
      return { code: child.exitCode, signal: child.signalCode };
    }
    const exited = once(child, "exit") as Promise<[number | null, string | null]>;
    child.kill(signal);
    const [code, by] = await exited;
    return { code, signal: by };
  }
}

/** Waits (real time) until `condition()` holds; fails after `seconds`. */
export function* until(condition: () => boolean, seconds = 10): asyncio.Coro<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${seconds} s`);
    yield* realSleep(0.01);
  }
}

/** Waits `seconds` of real time. */
export function* realSleep(seconds: number): asyncio.Coro<void> {
  yield* asyncio.fromPromise(new Promise((resolve) => setTimeout(resolve, seconds * 1000)));
}
