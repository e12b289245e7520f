/**
 * The tracing-on rows of the spawn and switch workloads: asyncio-ts with a trace timeline
 * recorded into a ring of the last events (a full stream of a million steps would be hundreds
 * of megabytes of disk writes, measuring the disk). The file is written at loop close, after
 * the timed region, and removed.
 */

import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TraceOptions } from "../../src/index.ts";

/** Events the ring keeps: enough for the last few thousand steps. */
export const TRACE_RING_EVENTS = 100_000;

/** Runs `body` with trace options for a temporary file, then removes the file. */
export async function withTraceRing<T>(body: (trace: TraceOptions) => Promise<T>): Promise<T> {
  const path = join(tmpdir(), `asyncio-ts-bench-trace-${process.pid}.json`);
  try {
    return await body({ path, lastEvents: TRACE_RING_EVENTS });
  } finally {
    rmSync(path, { force: true });
  }
}
