/**
 * The package as users get it: `npm pack` (which builds dist/ through `prepack`), the tarball
 * installed into a fresh project outside the repository, and the programs in fixtures/ run with
 * plain `node`: JavaScript ESM, TypeScript compiled by `tsc` under strict settings (and checked
 * under `moduleResolution: "bundler"`), the same under tsx with TypeScript work, a
 * ProcessPoolExecutor, `require()` of the package and its command-line program.
 *
 * It takes about a minute, so it runs only through `npm run test:package` (which sets
 * ASYNCIO_TS_PACKAGE_TEST=1), in CI, not inside `npm test`. The install needs no network: the
 * package has no dependencies, and the TypeScript compiler, @types/node and tsx come from this
 * repository's node_modules by absolute path.
 */

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const MODULES = realpathSync(join(ROOT, "node_modules"));
const ENABLED = process.env.ASYNCIO_TS_PACKAGE_TEST === "1";
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
/** Generous: the machine is shared, and a build or an install can take a while. */
const STEP_TIMEOUT_MS = 120_000;

const APP_LINES = [
  "exports: no internal names",
  "queue: 1 2 3",
  "timeout: TimeoutError",
  "stream: HELLO OVER TCP",
  "thread: 144",
  "lowlevel: true true",
];

/** The consumer's compiler settings: the strictest a user is likely to have. */
const STRICT = {
  target: "ES2022",
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  skipLibCheck: false,
  types: ["node"],
  typeRoots: [join(MODULES, "@types")],
};

if (!ENABLED) {
  console.error("package test: SKIPPED (slow; run it with `npm run test:package`)");
}

async function node(cwd: string, ...args: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, args, { cwd, timeout: STEP_TIMEOUT_MS });
  return stdout.trim().split("\n");
}

function tsc(cwd: string, project: string): Promise<unknown> {
  const compiler = join(MODULES, "typescript", "bin", "tsc");
  return run(process.execPath, [compiler, "-p", project], { cwd, timeout: STEP_TIMEOUT_MS }).catch(
    (error: { stdout?: string }) => {
      throw new Error(`tsc -p ${project} failed:\n${error.stdout ?? String(error)}`);
    },
  );
}

describe("the packed package", { skip: !ENABLED && "run it with `npm run test:package`" }, () => {
  let work: string;
  let app: string;
  let packed: { filename: string; files: { path: string; mode: number }[] };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "asyncio-ts-package-"));
    const { stdout } = await run(NPM, ["pack", "--json", "--pack-destination", work], {
      cwd: ROOT,
      timeout: STEP_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    // npm prints the prepack build's output first; the JSON report is the rest.
    packed = (JSON.parse(stdout.slice(stdout.indexOf("\n[") + 1)) as (typeof packed)[])[0]!;
    app = join(work, "app");
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    await run(
      NPM,
      [
        "install",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
        join(work, packed.filename),
      ],
      { cwd: app, timeout: STEP_TIMEOUT_MS },
    );
    for (const file of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, file), join(app, file));
  });

  after(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("holds the compiled library, its types and sources, the license, and nothing else", () => {
    const paths = packed.files.map((file) => file.path);
    for (const required of [
      "LICENSE",
      "README.md",
      "package.json",
      "dist/index.js",
      "dist/index.js.map",
      "dist/index.d.ts",
      "dist/index.d.ts.map",
      "dist/executors/workerentry.js",
      "dist/cli/main.js",
      "src/index.ts",
    ]) {
      assert.ok(paths.includes(required), `the package lacks ${required}`);
    }
    const stray = paths.filter(
      (path) =>
        !/^(dist|src)\//.test(path) && !["LICENSE", "README.md", "package.json"].includes(path),
    );
    assert.deepEqual(stray, []);
    const bin = packed.files.find((file) => file.path === "dist/cli/main.js")!;
    assert.equal(bin.mode & 0o111, 0o111, "dist/cli/main.js is executable");
  });

  it("publishes no internal members in its types but the hooks subclasses and lowlevel callers implement", () => {
    const installed = join(app, "node_modules", "asyncio-ts", "dist");
    const member =
      /^\s+(?:(?:readonly|protected|private|public|static|abstract|get|set) )*(_\w+)/gm;
    const found = new Set<string>();
    for (const file of readdirSync(installed, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".d.ts")) continue;
      for (const match of readFileSync(join(installed, file), "utf8").matchAll(member)) {
        found.add(match[1]!);
      }
    }
    // Kept on purpose: the hooks a subclass implements (a transport's `_closedFuture`, a
    // hand-stepped awaitable's `_begin` and `_call`) or is given (a hand-stepped awaitable's
    // `_owner`, `_drivenByHand` and `_abandon`), and the method lowlevel's closeAtLoopClose()
    // requires of a resource.
    assert.deepEqual([...found].sort(), [
      "_abandon",
      "_begin",
      "_call",
      "_closeAtLoopClose",
      "_closedFuture",
      "_drivenByHand",
      "_owner",
    ]);
  });

  it("runs a JavaScript program with plain node", async () => {
    assert.deepEqual(await node(app, "app.mjs"), APP_LINES);
  });

  it("compiles a TypeScript program with tsc under strict settings and runs it with plain node", async () => {
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          ...STRICT,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          outDir: "out",
        },
        files: ["app.ts", "work.ts"],
      }),
    );
    await tsc(app, "tsconfig.json");
    assert.deepEqual(await node(app, "out/app.js"), APP_LINES);
  });

  it("type-checks the same program under moduleResolution bundler", async () => {
    writeFileSync(
      join(app, "tsconfig.bundler.json"),
      JSON.stringify({
        compilerOptions: {
          ...STRICT,
          module: "Preserve",
          moduleResolution: "bundler",
          noEmit: true,
        },
        files: ["app.ts", "work.ts", "lazy.ts"],
      }),
    );
    await tsc(app, "tsconfig.bundler.json");
  });

  it("runs the TypeScript program under tsx, workers loading TypeScript work only when needed", async () => {
    symlinkSync(join(MODULES, "tsx"), join(app, "node_modules", "tsx"), "dir");
    assert.deepEqual(await node(app, "--import", "tsx", "app.ts"), APP_LINES);
    assert.deepEqual(await node(app, "--import", "tsx", "lazy.ts"), [
      "thread: tsx before TypeScript work false, square 25, tsx after true",
      "process: tsx before TypeScript work false, square 25, tsx after true",
    ]);
  });

  it("runs a ProcessPoolExecutor's work in child processes", async () => {
    assert.deepEqual(await node(app, "processes.mjs"), ["process: 81, in another process: true"]);
  });

  it("can be loaded with require() (Node's require of ES modules)", async () => {
    assert.deepEqual(await node(app, "require.cjs"), ["require: coroutine done"]);
  });

  it("installs the asyncio-ts program", async () => {
    const program = join(app, "node_modules", ".bin", "asyncio-ts");
    const { stdout } = await run(program, ["--help"], { cwd: app, timeout: STEP_TIMEOUT_MS });
    assert.match(stdout, /^usage: asyncio-ts <command>/);
  });
});
