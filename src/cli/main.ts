#!/usr/bin/env node
/**
 * The `asyncio-ts` command-line program: one entry that dispatches to a subcommand. Each
 * subcommand lives in its own module beside this one and is loaded only when named, so
 * `asyncio-ts ps` never loads what `asyncio-ts worker` needs.
 *
 * @example
 * ```sh
 * npx asyncio-ts --help
 * ```
 */

import { realpathSync } from "node:fs";

/** What a subcommand module exports: its entry, which returns the process's exit status. */
export interface Subcommand {
  main(args: readonly string[]): Promise<number>;
}

interface SubcommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Subcommand>;
}

/** The subcommands, by name. */
const SUBCOMMANDS: Readonly<Record<string, SubcommandEntry>> = {
  worker: {
    summary: "run jobs of a BullMQExecutor's queue (a BullMQ worker host)",
    load: () => import("./worker.ts"),
  },
  ps: {
    summary: "list the tasks of a running process (what each waits on, who awaits it)",
    load: () => import("./ps.ts"),
  },
  pstree: {
    summary: "draw the await tree of a running process's tasks",
    load: () => import("./pstree.ts"),
  },
};

function usage(): string {
  const names = Object.keys(SUBCOMMANDS);
  const width = Math.max(0, ...names.map((name) => name.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${SUBCOMMANDS[name]!.summary}`);
  return [
    "usage: asyncio-ts <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run `asyncio-ts <command> --help` for a command's options.",
  ].join("\n");
}

/** Runs the program with `args` (without node and the script); resolves to the exit status. */
export async function main(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (entry === undefined) {
    console.error(`asyncio-ts: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  return command.main(rest);
}

// Run only as the program itself (npm's bin link resolves to this file), not when imported.
const script = process.argv[1];
if (script !== undefined && realpathSync(script) === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2));
}
