/**
 * A description of the machine a run measured: cores, CPU, memory, kernel, Node and the
 * anchors' versions, and what the primitives every loop leans on cost here (a clock read, a
 * turn of Node's event loop), for the head of bench/RESULTS.md.
 */

import { readFileSync } from "node:fs";
import os from "node:os";
import { pythonVersions } from "./python.ts";

function packageVersion(name: string): string {
  try {
    const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

export function describeMachine(): string[] {
  const cpus = os.cpus();
  const memoryGiB = os.totalmem() / 2 ** 30;
  return [
    `cores: ${os.availableParallelism()} (${cpus[0]?.model.trim() ?? "unknown CPU"})`,
    `memory: ${memoryGiB.toFixed(1)} GiB`,
    `kernel: ${os.type()} ${os.release()} (${os.arch()})`,
    `node: ${process.version}, V8 ${process.versions.v8}; effection ${packageVersion("effection")}, tsx ${packageVersion("tsx")}`,
    ...pythonVersions().map((line) => `python ${line}`),
  ];
}

/**
 * What a clock read (`performance.now()`) and one turn of Node's event loop (`setImmediate`,
 * an I/O poll included) cost on this machine: virtual machines make both dearer, which moves
 * every ratio against an event-loop-bound anchor.
 */
export async function measurePrimitiveCosts(): Promise<string> {
  const reads = 200_000;
  let started = performance.now();
  for (let i = 0; i < reads; i++) performance.now();
  const clockNs = ((performance.now() - started) * 1e6) / reads;
  const turns = 20_000;
  started = performance.now();
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
  const turnUs = ((performance.now() - started) * 1e3) / turns;
  return `primitive costs: performance.now() ${clockNs.toFixed(0)} ns, one setImmediate turn ${turnUs.toFixed(1)} us`;
}
