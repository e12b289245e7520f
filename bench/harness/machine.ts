/**
 * A description of the machine a run measured: cores, CPU, memory, kernel, Node and the
 * anchors' versions, for the head of bench/RESULTS.md.
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
