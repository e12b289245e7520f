/**
 * Runs one Node implementation of one workload in this (fresh) process and prints its
 * Measurement as the last line of stdout. bench/run.ts starts it as
 * `node --expose-gc --import tsx bench/child.ts <case file> <implementation id>`.
 */

import { pathToFileURL } from "node:url";
import type { Workload } from "./harness/workload.ts";

const [caseFile, implementationId] = process.argv.slice(2);
if (caseFile === undefined || implementationId === undefined) {
  throw new Error("usage: node --expose-gc --import tsx bench/child.ts <case file> <id>");
}
const workload = ((await import(pathToFileURL(caseFile).href)) as { default: Workload }).default;
const implementation = workload.implementations.find((impl) => impl.id === implementationId);
if (implementation === undefined || implementation.kind !== "node") {
  throw new Error(`${workload.name} has no Node implementation ${implementationId}`);
}
const measurement = await implementation.run();
process.stdout.write(`${JSON.stringify(measurement)}\n`, () => process.exit(0));
