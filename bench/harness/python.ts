/**
 * The Python anchors: CPython's asyncio on Debian's python3 (3.11) and on pyenv's 3.13, and
 * uvloop (Debian's python3-uvloop, installed for /usr/bin/python3 only). A missing interpreter
 * or module makes its row a "skipped" note, never a failure.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { PythonImplementation } from "./workload.ts";

export const DEBIAN_PYTHON = "/usr/bin/python3";
export const PYENV_PYTHON = "/root/.pyenv/versions/3.13.0/bin/python3";

/**
 * The three Python rows of a workload: `script` (relative to bench/) runs with
 * `--loop asyncio|uvloop` followed by `args`.
 */
export function pythonAnchors(script: string, args: string[] = []): PythonImplementation[] {
  return [
    {
      kind: "python",
      id: "asyncio-3.11",
      label: "CPython 3.11 asyncio (Debian)",
      interpreter: DEBIAN_PYTHON,
      script,
      args: ["--loop", "asyncio", ...args],
    },
    {
      kind: "python",
      id: "uvloop",
      label: "uvloop (CPython 3.11 Debian)",
      interpreter: DEBIAN_PYTHON,
      script,
      args: ["--loop", "uvloop", ...args],
      requires: "uvloop",
    },
    {
      kind: "python",
      id: "asyncio-3.13",
      label: "CPython 3.13 asyncio (pyenv)",
      interpreter: PYENV_PYTHON,
      script,
      args: ["--loop", "asyncio", ...args],
    },
  ];
}

const probes = new Map<string, string | null>();

/**
 * Why `impl` cannot run here (no interpreter, no module), or null when it can. The answer is
 * cached per interpreter and module.
 */
export function pythonUnavailable(impl: PythonImplementation): string | null {
  const key = `${impl.interpreter}\0${impl.requires ?? ""}`;
  const cached = probes.get(key);
  if (cached !== undefined) return cached;
  let reason: string | null = null;
  if (!existsSync(impl.interpreter)) {
    reason = `${impl.interpreter} not found`;
  } else if (impl.requires !== undefined) {
    const probe = spawnSync(impl.interpreter, ["-c", `import ${impl.requires}`], {
      encoding: "utf8",
    });
    if (probe.status !== 0) {
      reason = `${impl.interpreter} has no ${impl.requires} module (Debian: apt-get install python3-${impl.requires})`;
    }
  }
  probes.set(key, reason);
  return reason;
}

/** `python --version` and, when present, uvloop's version, for the machine description. */
export function pythonVersions(): string[] {
  const lines: string[] = [];
  for (const interpreter of [DEBIAN_PYTHON, PYENV_PYTHON]) {
    if (!existsSync(interpreter)) {
      lines.push(`${interpreter}: not found`);
      continue;
    }
    const probe = spawnSync(
      interpreter,
      [
        "-c",
        "import sys\ntry:\n import uvloop; u = ' + uvloop ' + uvloop.__version__\nexcept ImportError: u = ''\nprint(sys.version.split()[0] + u)",
      ],
      { encoding: "utf8" },
    );
    lines.push(`${interpreter}: CPython ${probe.stdout.trim()}`);
  }
  return lines;
}
