/**
 * How workers load code: the loader flags read from `execArgv` (tsx under its several
 * spellings, other loaders, none), TypeScript module detection, the clear error for a
 * TypeScript module when no loader runs, and naming work by module URL.
 */

import assert from "node:assert/strict";
import { realpathSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { detectLoader, isTypeScriptModule, workerEntry } from "../../src/executors/loader.ts";
import * as asyncio from "../../src/index.ts";
import { failure, runMain, tasks } from "./helpers.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
// Where Node resolves tsx: its real path (node_modules may be a link).
const tsxRoot = realpathSync(`${root}node_modules/tsx`);
const tsxLoader = pathToFileURL(`${tsxRoot}/dist/loader.mjs`).href;
const tsxApi = pathToFileURL(`${tsxRoot}/dist/esm/api/index.mjs`).href;
/** Node 22.18+ strips types itself: TypeScript work modules then load without a loader. */
const NATIVE_TYPESCRIPT = Boolean((process.features as { typescript?: unknown }).typescript);

describe("detectLoader", () => {
  it("finds tsx as `--import tsx`, `--import=tsx` and as tsx's own CLI passes it", () => {
    const cli = ["--require", `${tsxRoot}/dist/preflight.cjs`, "--import", tsxLoader];
    for (const execArgv of [["--import", "tsx"], ["--import=tsx"], cli]) {
      assert.deepEqual(detectLoader(execArgv, root), {
        tsxApi,
        tsxImport: tsxLoader,
        execArgv: [],
        typeScript: true,
      });
    }
  });

  it("passes other loaders' flags on as they are", () => {
    const loader = detectLoader(["--require", "dotenv/config", "--loader=ts-node/esm"], root);
    assert.equal(loader.tsxApi, null);
    assert.equal(loader.tsxImport, null);
    assert.deepEqual(loader.execArgv, ["--require", "dotenv/config", "--loader", "ts-node/esm"]);
    assert.equal(loader.typeScript, true);
  });

  it("gives plain JavaScript workers no loader when the parent runs without one", () => {
    assert.deepEqual(detectLoader(["--expose-gc", "--max-old-space-size=100"], root), {
      tsxApi: null,
      tsxImport: null,
      execArgv: [],
      typeScript: NATIVE_TYPESCRIPT,
    });
  });
});

describe("modules", () => {
  it("tells TypeScript modules by their extension", () => {
    assert.equal(isTypeScriptModule("file:///app/work.ts"), true);
    assert.equal(isTypeScriptModule("file:///app/work.mts"), true);
    assert.equal(isTypeScriptModule("file:///app/work.mjs"), false);
    assert.equal(isTypeScriptModule("/app/work.js"), false);
  });

  it("starts workers from the entry beside the library, in the library's own language", () => {
    assert.match(workerEntry().href, /\/src\/executors\/workerentry\.ts$/);
  });

  it("refuses TypeScript work at once when workers would have no loader", {
    skip:
      NATIVE_TYPESCRIPT &&
      "this Node strips TypeScript types itself: workers load .ts without a loader",
  }, async () => {
    const saved = process.execArgv;
    let pool: asyncio.ThreadPoolExecutor;
    try {
      process.execArgv = [];
      pool = new asyncio.ThreadPoolExecutor({ maxWorkers: 1 });
    } finally {
      process.execArgv = saved;
    }
    const error = await runMain(() => failure(() => pool.submit(tasks.fn("add"), 1, 2)));
    assert.ok(error instanceof TypeError);
    assert.match(
      (error as Error).message,
      /^cannot run add \(work\.ts\) in a worker: it is a TypeScript module and this process runs without a TypeScript loader/,
    );
    assert.equal(pool.statistics().workersStarted, 0);
    await pool.shutdown();
  });

  it("names work by absolute URL: URL objects, file URLs and absolute paths", () => {
    const url = new URL("./fixtures/work.ts", import.meta.url);
    const fromPath = asyncio.workModule<object>(fileURLToPath(url));
    assert.equal(fromPath.url, url.href);
    assert.equal(asyncio.workModule<object>(url.href).url, url.href);
    const fib = tasks.fn("fib");
    assert.equal(fib.module, url.href);
    assert.equal(fib.name, "fib");
    assert.equal(tasks.fn("fib"), fib, "one WorkFn per export");
    assert.equal(String(fib), "<WorkFn fib in work.ts>");
    assert.equal(String(tasks), `<WorkModule ${url.href}>`);
    assert.throws(
      () => asyncio.workModule("work.ts"),
      /needs an absolute location.*new URL\("work\.ts", import\.meta\.url\)/,
    );
    assert.throws(() => tasks.fn("" as "fib"), /expects an export name/);
  });
});
