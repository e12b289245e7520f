/**
 * The raw Node anchor of the echo_server workload: a `net` server that writes back every
 * chunk it receives, measured the same way as asyncio-ts's (round-trips per server
 * CPU-second, the client in another process).
 */

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { Measurement } from "../harness/workload.ts";

/** @internal Where the client script is, and how to run it. */
export const CLIENT = fileURLToPath(new URL("./echo_client.ts", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs the client against `port`; resolves with its JSON result. */
export function runClient(
  port: number,
  connections: number,
  rounds: number,
  size: number,
): Promise<{ roundtrips: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", CLIENT, String(port), String(connections), String(rounds), String(size)],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`echo client exited with ${code}`));
      else resolve(JSON.parse(output.trim().split("\n").at(-1)!));
    });
  });
}

/** The Measurement from the client's result and the server's CPU time. */
export function measurement(
  result: { roundtrips: number; seconds: number },
  cpu: NodeJS.CpuUsage,
): Measurement {
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    value: result.roundtrips / cpuSeconds,
    detail: {
      server_cpu_s: cpuSeconds,
      user_s: cpu.user / 1e6,
      system_s: cpu.system / 1e6,
      wall_s: result.seconds,
      rt_per_wall_s: result.roundtrips / result.seconds,
    },
  };
}

export async function nodeNet(
  connections: number,
  rounds: number,
  size: number,
): Promise<Measurement> {
  const server = createServer({ noDelay: true }, (socket) => {
    socket.on("data", (chunk) => socket.write(chunk));
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const started = process.cpuUsage();
  const result = await runClient(port, connections, rounds, size);
  const cpu = process.cpuUsage(started);
  server.close();
  return measurement(result, cpu);
}
