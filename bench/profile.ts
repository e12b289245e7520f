/**
 * Profiles asyncio-ts's implementation of one workload in this process: a CPU profile (self
 * time per function, garbage collection included) or an allocation profile (bytes allocated
 * per function, objects already collected included), printed as a top list. Use it to see
 * where a workload's time and memory go in src/core. A `dispatch` row with no file is the
 * in-process inspector's own cost (`node --cpu-prof` does not show it, but profiles start-up
 * and module loading too).
 *
 *   node --expose-gc --import tsx bench/profile.ts spawn            # CPU, top 25
 *   node --expose-gc --import tsx bench/profile.ts timers --alloc   # allocations
 *   node --expose-gc --import tsx bench/profile.ts spawn --out /tmp/spawn.cpuprofile
 *   node --expose-gc --import tsx bench/profile.ts echo_server --impl node-net   # an anchor
 */

import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatNumber } from "./harness/report.ts";
import { OURS, type Workload } from "./harness/workload.ts";

const ROOT_URL = pathToFileURL(`${dirname(dirname(fileURLToPath(import.meta.url)))}/`).href;

interface CallFrame {
  functionName: string;
  url: string;
}

/**
 * Where a function is, short: `#step src/core/tasks.ts` (tsx's transpiled lines do not match
 * the source's, so no line number).
 */
function where(frame: CallFrame): string {
  const url = frame.url.startsWith(ROOT_URL) ? frame.url.slice(ROOT_URL.length) : frame.url;
  const name = frame.functionName || "(anonymous)";
  return url === "" ? name : `${name} ${url}`;
}

function printTop(
  title: string,
  totals: Map<string, number>,
  unit: (value: number) => string,
  top: number,
): void {
  let sum = 0;
  for (const value of totals.values()) sum += value;
  console.log(`${title}: ${unit(sum)} in all`);
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, value] of rows) {
    console.log(
      `${unit(value).padStart(12)} ${((100 * value) / sum).toFixed(1).padStart(5)}%  ${key}`,
    );
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

function summarizeCpu(profile: CpuProfile, top: number): void {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const key = where(frames.get(profile.samples[i]!)!);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  printTop("self time", totals, (us) => `${(us / 1000).toFixed(1)} ms`, top);
}

interface AllocationNode {
  callFrame: CallFrame;
  selfSize: number;
  children: AllocationNode[];
}

function summarizeAllocations(head: AllocationNode, top: number): void {
  const totals = new Map<string, number>();
  const pending = [head];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.selfSize > 0) {
      const key = where(node.callFrame);
      totals.set(key, (totals.get(key) ?? 0) + node.selfSize);
    }
    pending.push(...node.children);
  }
  printTop("allocated", totals, (bytes) => `${(bytes / 1024).toFixed(0)} KiB`, top);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((arg) => !arg.startsWith("-"));
  if (name === undefined) {
    throw new Error(
      "usage: bench/profile.ts <workload> [--impl ID] [--alloc] [--top N] [--out FILE]",
    );
  }
  const option = (flag: string) => {
    const index = args.indexOf(flag);
    return index < 0 ? undefined : args[index + 1];
  };
  const top = Number(option("--top") ?? 25);
  const out = option("--out");
  const allocations = args.includes("--alloc");
  const caseUrl = pathToFileURL(
    join(dirname(fileURLToPath(import.meta.url)), "cases", `${name}.ts`),
  );
  const workload = ((await import(caseUrl.href)) as { default: Workload }).default;
  const id = option("--impl") ?? OURS;
  const ours = workload.implementations.find((impl) => impl.id === id);
  if (ours === undefined || ours.kind !== "node")
    throw new Error(`${name} has no Node implementation with id ${id}`);

  const session = new Session();
  session.connect();
  if (allocations) {
    await session.post("HeapProfiler.enable");
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: 64,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  } else {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
  }
  const measurement = await ours.run();
  const figure = `${formatNumber(measurement.value)} ${workload.unit}`;
  console.log(`${workload.title}: ${figure} (while profiled, so slower than in the bench)`);
  if (allocations) {
    const { profile } = await session.post("HeapProfiler.stopSampling");
    if (out !== undefined) writeFileSync(out, JSON.stringify(profile));
    summarizeAllocations(profile.head as AllocationNode, top);
  } else {
    const { profile } = await session.post("Profiler.stop");
    if (out !== undefined) writeFileSync(out, JSON.stringify(profile));
    summarizeCpu(profile as CpuProfile, top);
  }
  session.disconnect();
}

await main();
process.exit(0);
