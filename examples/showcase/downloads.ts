/**
 * Showcase: a TaskGroup of simulated downloads. They progress side by side; one server fails
 * halfway, and at that moment the group cancels every other download (each one's `finally`
 * runs and says so), then the error comes out in an ExceptionGroup. No download outlives the
 * block, and the program goes on normally after handling the error.
 */

import * as asyncio from "../../src/index.ts";

interface Download {
  file: string;
  /** Size in chunks; one chunk takes `chunkSeconds`. */
  chunks: number;
  chunkSeconds: number;
  /** The chunk at which this server fails, if it does. */
  failsAt?: number;
}

const DOWNLOADS: Download[] = [
  { file: "video.mp4", chunks: 8, chunkSeconds: 0.2 },
  { file: "photos.zip", chunks: 5, chunkSeconds: 0.16 },
  { file: "dataset.csv", chunks: 6, chunkSeconds: 0.14, failsAt: 3 },
  { file: "notes.txt", chunks: 2, chunkSeconds: 0.1 },
];

class ServerError extends Error {
  override name = "ServerError";
}

function* download({ file, chunks, chunkSeconds, failsAt }: Download): asyncio.Coro<number> {
  const loop = asyncio.getRunningLoop();
  const started = loop.time();
  const stamp = () => `${(loop.time() - started).toFixed(2)}s`;
  let received = 0;
  try {
    for (let chunk = 1; chunk <= chunks; chunk++) {
      yield* asyncio.sleep(chunkSeconds);
      if (chunk === failsAt) throw new ServerError(`${file}: connection reset at chunk ${chunk}`);
      received = chunk;
      console.log(
        `  ${stamp()}  ${file.padEnd(12)} ${"#".repeat(chunk).padEnd(chunks)} ${chunk}/${chunks}`,
      );
    }
    console.log(`  ${stamp()}  ${file.padEnd(12)} complete`);
    return received;
  } catch (error) {
    if (asyncio.isCancelledError(error)) {
      console.log(`  ${stamp()}  ${file.padEnd(12)} cancelled after ${received}/${chunks} chunks`);
    } else {
      console.log(`  ${stamp()}  ${file.padEnd(12)} FAILED: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    console.log(`  ${stamp()}  ${file.padEnd(12)} connection closed`);
  }
}

/** Runs the downloads in a TaskGroup; one fails and the group stops the rest. */
export function* downloadsDemo(): asyncio.Coro<void> {
  const tasks: asyncio.Task<number>[] = [];
  try {
    yield* asyncio.using(new asyncio.TaskGroup(), function* (tg) {
      for (const spec of DOWNLOADS) tasks.push(tg.createTask(download(spec), { name: spec.file }));
      console.log(`  started ${tasks.length} downloads in one TaskGroup`);
    });
  } catch (error) {
    if (!(error instanceof asyncio.ExceptionGroup)) throw error;
    const [serverErrors, rest] = error.split(ServerError);
    if (rest !== null) throw rest;
    console.log(`  the group threw ${error}:`);
    for (const failure of serverErrors!.exceptions) console.log(`    ${failure}`);
  }
  const summary = tasks.map((task) =>
    task.cancelled() ? "cancelled" : task.exception() !== null ? "failed" : "done",
  );
  console.log(
    `  after the block: ${tasks.map((t, i) => `${t.getName()} ${summary[i]}`).join(", ")}`,
  );
  console.log(`  still running: ${tasks.filter((task) => !task.done()).length}`);
}
