/**
 * How workers load code. A worker starts from the library's worker entry: compiled JavaScript
 * in an installed package, so plain `node` starts it with no loader (fast). When the
 * application runs TypeScript through tsx (found in `process.execArgv`), workers get tsx only
 * when they need it: registered before the entry when the library itself runs from its
 * TypeScript sources (this repository), otherwise only on the first TypeScript work module a
 * worker loads, so JavaScript work starts as fast as without tsx.
 *
 * tsx registers its hooks only on a process's main thread, so workers (threads and processes
 * alike) register them through tsx's `register()` API; a child process whose entry is
 * TypeScript gets tsx's `--import` flag instead. Other loaders' flags (`--import`, `--loader`,
 * `--require`) are passed on as they are.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** What a pool's workers need to load the parent's kind of code. */
export interface WorkerLoader {
  /** URL of tsx's `register()` API when the parent runs under tsx (workers call it). */
  readonly tsxApi: string | null;
  /** tsx's loader when the parent runs under tsx: a child process's `--import` flag. */
  readonly tsxImport: string | null;
  /** Flags for workers (threads and processes): loaders other than tsx. */
  readonly execArgv: readonly string[];
  /** Whether workers can load `.ts` modules (a loader, or Node's own type stripping). */
  readonly typeScript: boolean;
}

const LOADER_FLAGS = new Set(["--import", "--loader", "--experimental-loader", "--require", "-r"]);
const TYPESCRIPT_LOADER = /(^|[\\/@])(tsx|ts-node|swc-node|esbuild-register|esbuild-kit)([\\/]|$)/;
const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx"]);

/**
 * Reads the loader flags of `execArgv` (by default the running process's): what workers must
 * get to load the same code.
 */
export function detectLoader(
  execArgv: readonly string[] = process.execArgv,
  cwd: string = process.cwd(),
): WorkerLoader {
  const flags: { flag: string; value: string }[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const argument = execArgv[index]!;
    const equals = argument.indexOf("=");
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    if (!LOADER_FLAGS.has(flag)) continue;
    const value = equals > 0 ? argument.slice(equals + 1) : execArgv[++index];
    if (value !== undefined) flags.push({ flag, value });
  }
  let tsx: { loader: string; api: string } | null = null;
  const others: string[] = [];
  let typeScript = nativeTypeScript();
  for (const { flag, value } of flags) {
    if (isTsx(value)) {
      tsx ??= resolveTsx(value, cwd);
      if (tsx !== null) continue;
    }
    if (TYPESCRIPT_LOADER.test(value)) typeScript = true;
    others.push(flag, value);
  }
  if (tsx !== null) typeScript = true;
  return { tsxApi: tsx?.api ?? null, tsxImport: tsx?.loader ?? null, execArgv: others, typeScript };
}

/** True when `url` names a TypeScript module (which workers can load only with a loader). */
export function isTypeScriptModule(url: string): boolean {
  const path = url.startsWith("file:") ? fileURLToPath(url) : url;
  return TYPESCRIPT_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * The worker entry module: `workerentry.ts` beside this file when the library runs as
 * TypeScript, `workerentry.js` when it was compiled.
 */
export function workerEntry(): URL {
  const here = fileURLToPath(import.meta.url);
  return new URL(`./workerentry${extname(here)}`, import.meta.url);
}

function isTsx(specifier: string): boolean {
  return /(^|[\\/])tsx([\\/]|$)/.test(specifier) || specifier === "tsx";
}

/** tsx's loader and register API, resolved from where the parent's flag points. */
function resolveTsx(specifier: string, cwd: string): { loader: string; api: string } | null {
  const bare =
    !specifier.startsWith(".") && !specifier.startsWith("/") && !/^[a-z]+:/i.test(specifier);
  const base = bare ? pathToFileURL(`${cwd}/`).href : specifierURL(specifier, cwd);
  try {
    const require = createRequire(base);
    const manifestPath = require.resolve("tsx/package.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      exports?: Record<string, unknown>;
    };
    return {
      loader: pathToFileURL(require.resolve("tsx")).href,
      api: new URL(esmExport(manifest.exports?.["./esm/api"]), pathToFileURL(manifestPath)).href,
    };
  } catch {
    return null;
  }
}

/** The ESM file of a package.json `exports` entry (`{ import: { default } }` or a string). */
function esmExport(entry: unknown): string {
  if (typeof entry === "string") return entry;
  if (entry !== null && typeof entry === "object") {
    const conditions = entry as Record<string, unknown>;
    return esmExport(conditions.import ?? conditions.default);
  }
  throw new TypeError("no ESM entry in the package's exports");
}

function specifierURL(specifier: string, cwd: string): string {
  if (/^[a-z]+:/i.test(specifier)) return specifier;
  return pathToFileURL(specifier.startsWith("/") ? specifier : `${cwd}/${specifier}`).href;
}

/** Node 22.6+ can strip types itself (`process.features.typescript`). */
function nativeTypeScript(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}
