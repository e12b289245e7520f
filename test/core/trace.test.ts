/**
 * The trace timeline (core/trace.ts): no validator exists offline, so these tests check the
 * Chrome Trace Event structure themselves (valid JSON, begins and ends pair up and nest per
 * track, flows pair up and sit inside slices, per-track timestamps never go backwards) and
 * that a known program's tasks, waits and arrows are there.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as asyncio from "../../src/index.ts";
import { tasks as work } from "../executors/helpers.ts";
import { runVirtual } from "../helpers.ts";

interface TraceEvent {
  name?: string;
  cat?: string;
  ph: string;
  ts?: number;
  pid: number;
  tid: number;
  id?: number;
  bp?: string;
  args?: Record<string, unknown>;
}

interface Slice {
  name: string;
  tid: number;
  begin: number;
  end: number;
  args?: Record<string, unknown>;
}

interface Flow {
  name: string;
  fromTid: number;
  toTid: number;
}

const folder = mkdtempSync(join(tmpdir(), "asyncio-ts-trace-"));
after(() => rmSync(folder, { recursive: true, force: true }));
let fileCount = 0;
const tracePath = () => join(folder, `trace-${++fileCount}.json`);

/** Parses a trace and checks its structure; returns its slices, flows and track names. */
function readTrace(path: string): {
  slices: Slice[];
  flows: Flow[];
  tracks: Map<string, number>;
  instants: TraceEvent[];
} {
  const events = JSON.parse(readFileSync(path, "utf8")) as TraceEvent[];
  assert.ok(Array.isArray(events), "a trace is a JSON array of events");
  const stacks = new Map<
    number,
    { name: string; begin: number; args?: Record<string, unknown> }[]
  >();
  const lastTs = new Map<number, number>();
  const slices: Slice[] = [];
  const flowStarts = new Map<number, { name: string; tid: number }>();
  const flowEnds = new Map<number, number>();
  const tracks = new Map<string, number>();
  const instants: TraceEvent[] = [];
  for (const event of events) {
    if (event.ph === "M") {
      if (event.name === "thread_name") tracks.set(String(event.args?.name), event.tid);
      continue;
    }
    assert.equal(typeof event.ts, "number", `every timed event has a ts: ${JSON.stringify(event)}`);
    const ts = event.ts!;
    assert.ok(ts >= (lastTs.get(event.tid) ?? 0), `timestamps go backwards on track ${event.tid}`);
    lastTs.set(event.tid, ts);
    const stack = stacks.get(event.tid) ?? [];
    stacks.set(event.tid, stack);
    if (event.ph === "B") stack.push({ name: event.name!, begin: ts, args: event.args });
    else if (event.ph === "E") {
      const open = stack.pop();
      assert.ok(open !== undefined, `an end without a begin on track ${event.tid}`);
      assert.equal(event.name, open.name, "slices nest: an end closes the innermost begin");
      slices.push({ name: open.name, tid: event.tid, begin: open.begin, end: ts, args: open.args });
    } else if (event.ph === "s") {
      assert.ok(stack.length > 0, "a flow starts inside a slice");
      assert.ok(!flowStarts.has(event.id!), `flow ${event.id} starts twice`);
      flowStarts.set(event.id!, { name: event.name!, tid: event.tid });
    } else if (event.ph === "f") {
      assert.equal(event.bp, "e", "a flow end binds to its enclosing slice");
      assert.ok(stack.length > 0, "a flow ends inside a slice");
      assert.ok(!flowEnds.has(event.id!), `flow ${event.id} ends twice`);
      flowEnds.set(event.id!, event.tid);
    } else {
      assert.equal(event.ph, "i", `unexpected phase ${event.ph}`);
      instants.push(event);
    }
  }
  for (const [tid, stack] of stacks) assert.equal(stack.length, 0, `track ${tid} has open slices`);
  assert.deepEqual([...flowStarts.keys()].sort(), [...flowEnds.keys()].sort(), "flows pair up");
  const flows = [...flowStarts].map(([id, start]) => ({
    name: start.name,
    fromTid: start.tid,
    toTid: flowEnds.get(id)!,
  }));
  return { slices, flows, tracks, instants };
}

function* child(): asyncio.Coro<string> {
  yield* asyncio.sleep(1);
  return "done";
}

/** main creates `child` and waits for it; then waits on a future a timer callback completes. */
function* known(): asyncio.Coro<void> {
  const task = asyncio.createTask(child(), { name: "child" });
  assert.equal(yield* task, "done");
  const loop = asyncio.getRunningLoop();
  const future = loop.createFuture<number>();
  loop.callLater(0.5, function settle() {
    future.setResult(1);
  });
  yield* future;
}

describe("trace timeline", () => {
  it("is written for a ConcurrentRunner's loop too", async () => {
    const path = tracePath();
    const runner = new asyncio.ConcurrentRunner({ trace: path });
    await runner.run(
      (function* () {
        yield* asyncio.sleep(0);
      })(),
      { name: "request" },
    );
    await runner.close();
    assert.ok(readTrace(path).tracks.has("request"));
  });

  it("records a track per task, step slices, waits and the arrows of a known program", async () => {
    const path = tracePath();
    await runVirtual(
      (function* () {
        yield* asyncio.createTask(known(), { name: "main" });
      })(),
      { trace: path },
    );
    const { slices, flows, tracks } = readTrace(path);
    const main = tracks.get("main")!;
    const childTid = tracks.get("child")!;
    const loopTid = tracks.get("event loop")!;
    assert.ok(main !== undefined && childTid !== undefined && loopTid !== undefined);
    assert.equal(slices.filter((s) => s.tid === childTid && s.name === "step").length, 2);
    assert.equal(slices.filter((s) => s.tid === main && s.name === "step").length, 3);
    const mainWaits = slices.filter((s) => s.tid === main && s.name === "wait");
    assert.deepEqual(
      mainWaits.map((s) => s.args?.on),
      ["Task 'child'", "Future"],
    );
    assert.deepEqual(
      slices.filter((s) => s.tid === childTid && s.name === "wait").map((s) => s.args?.on),
      ["SleepFuture"],
    );
    assert.ok(slices.some((s) => s.tid === loopTid && s.name === "settle"));
    assert.ok(slices.some((s) => s.tid === loopTid && s.name === "iteration"));
    const has = (name: string, from: number, to: number) =>
      flows.some((f) => f.name === name && f.fromTid === from && f.toTid === to);
    assert.ok(has("created", main, childTid), "an arrow from main to the task it creates");
    assert.ok(has("wakes", childTid, main), "an arrow from child's last step to main it wakes");
    assert.ok(has("wakes", loopTid, main), "an arrow from the timer callback to main");
  });

  it("puts executor items on the worker's track, with arrows from the submitter and to the woken task", async () => {
    const path = tracePath();
    const pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      await asyncio.run(
        (function* () {
          const first = pool.submit(work.fn("fib"), 10);
          const second = pool.submit(work.fn("fib"), 12);
          assert.deepEqual([yield* first, yield* second], [55, 144]);
        })(),
        { trace: path },
      );
    } finally {
      await pool.shutdown();
    }
    const { slices, flows, tracks } = readTrace(path);
    const [workerTrack, workerTid] = [...tracks].find(([name]) =>
      name.startsWith("ThreadPoolExecutor worker thread"),
    )!;
    assert.ok(workerTrack);
    const items = slices.filter((s) => s.tid === workerTid && s.name === "work");
    assert.deepEqual(
      items.map((s) => s.args?.work),
      ["fib (work.ts)", "fib (work.ts)"],
    );
    const mainTid = tracks.get("Task-1") ?? [...tracks].find(([n]) => n.startsWith("Task-"))![1];
    assert.equal(
      flows.filter((f) => f.name === "submits" && f.fromTid === mainTid && f.toTid === workerTid)
        .length,
      2,
    );
    assert.ok(
      flows.some((f) => f.name === "wakes" && f.fromTid === workerTid && f.toTid === mainTid),
    );
  });

  it("marks slow callbacks and task steps, and Node's wake-ups, on the loop's track", async () => {
    const path = tracePath();
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        loop.slowCallbackDuration = 0.01;
        loop.callSoon(function slowCallback() {
          busy(20);
        });
        yield* asyncio.sleep(0);
        busy(20);
        yield* asyncio.sleep(0);
      })(),
      { trace: path },
    );
    const { instants, tracks } = readTrace(path);
    const loopTid = tracks.get("event loop")!;
    const slow = instants.filter((e) => e.name === "slow callback");
    assert.deepEqual(
      slow.map((e) => e.tid),
      [loopTid, loopTid],
    );
    assert.equal(slow[0]!.args?.what, "slowCallback");
    assert.match(String(slow[1]!.args?.what), /^step of Task-\d+$/);
    assert.ok(slow.every((e) => Number(e.args?.seconds) >= 0.01));
    assert.ok(instants.some((e) => e.name === "wake-up" && e.tid === loopTid));
  });

  it("keeps only the last events with lastEvents, still well formed", async () => {
    const path = tracePath();
    await runVirtual(
      (function* () {
        for (let i = 0; i < 50; i++) {
          yield* asyncio.createTask(child(), { name: `child-${i}` });
        }
      })(),
      { trace: { path, lastEvents: 40 } },
    );
    const { slices } = readTrace(path);
    const events = JSON.parse(readFileSync(path, "utf8")) as TraceEvent[];
    assert.ok(events.filter((e) => e.ph !== "M").length <= 40);
    assert.ok(slices.length > 0);
  });

  it("records a loop without a change to the program through ASYNCIO_TS_TRACE", () => {
    const path = tracePath();
    const script = `
      import * as asyncio from ${JSON.stringify(fileURLToPath(new URL("../../src/index.ts", import.meta.url)))};
      await asyncio.run((function* () { yield* asyncio.sleep(0.01); })());
    `;
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { env: { ...process.env, ASYNCIO_TS_TRACE: path }, encoding: "utf8", timeout: 30_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    const { tracks, slices } = readTrace(path);
    assert.ok(tracks.has("event loop"));
    assert.ok(slices.some((s) => s.name === "wait" && s.args?.on === "SleepFuture"));
  });

  function* nothing(): asyncio.Coro<void> {}

  it("finishes the file when the program calls process.exit() in a task step", () => {
    const path = tracePath();
    const script = `
      import * as asyncio from ${JSON.stringify(fileURLToPath(new URL("../../src/index.ts", import.meta.url)))};
      await asyncio.run((function* () {
        yield* asyncio.createTask((function* () { yield* asyncio.sleep(0.01); })(), { name: "child" });
        asyncio.createTask((function* () { yield* asyncio.sleep(3600); })(), { name: "sleeper" });
        yield* asyncio.sleep(0.01);
        process.exit(3);
      })(), { trace: ${JSON.stringify(path)} });
    `;
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    assert.equal(result.status, 3, result.stderr);
    const { tracks, slices } = readTrace(path);
    assert.ok(tracks.has("child"));
    assert.ok(slices.some((s) => s.name === "iteration"));
    assert.ok(slices.some((s) => s.tid === tracks.get("sleeper") && s.name === "wait"));
  });

  it("refuses a bad trace option with a clear error and writes nothing", async () => {
    await assert.rejects(
      runVirtual(nothing(), { trace: { path: "" } }),
      /trace expects a file path/,
    );
    await assert.rejects(
      runVirtual(nothing(), { trace: { path: tracePath(), lastEvents: 0 } }),
      /lastEvents must be a positive whole number/,
    );
    await assert.rejects(
      runVirtual(nothing(), { trace: 7 as never }),
      /trace expects a file path or \{ path, lastEvents\? \}/,
    );
  });
});
