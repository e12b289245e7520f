/**
 * Everything in src/ outside the core (sync, structure, net, subprocess, executors, bullmq,
 * inspect, cli, eslint and the top-level modules) uses the core only through its public API and
 * core/lowlevel.ts (DESIGN §11). This test reads those sources with the TypeScript checker and
 * fails on any property access that resolves to a core member whose name starts with "_" or
 * that is marked @internal, and on any import of a core name marked @internal from a module
 * other than lowlevel.ts. The program is built from every entry the package has (its exports,
 * its bin and the CLI's subcommands, which main.ts loads by dynamic import) and the worker
 * entry the executors start by URL, and must hold every source file.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const coreDir = path.join(root, "src", "core") + path.sep;
/** lowlevel.ts, and handstepped.ts, whose "_" methods are the hooks its subclasses fill. */
const lowlevelFiles = [path.join(coreDir, "lowlevel.ts"), path.join(coreDir, "handstepped.ts")];

/** The source files the package's users and its workers start from. */
function entries(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    exports: Record<string, string | { default?: string }>;
    bin: Record<string, string>;
  };
  const built = [
    ...Object.values(manifest.exports).map((target) =>
      typeof target === "string" ? target : (target.default ?? ""),
    ),
    ...Object.values(manifest.bin),
  ].filter((file) => file.startsWith("./dist/") && file.endsWith(".js"));
  const fromManifest = built.map((file) =>
    path.join(root, "src", `${file.slice("./dist/".length, -".js".length)}.ts`),
  );
  const loadedAtRunTime = [
    "cli/worker.ts",
    "cli/ps.ts",
    "cli/pstree.ts",
    "executors/workerentry.ts",
  ];
  return [...fromManifest, ...loadedAtRunTime.map((file) => path.join(root, "src", file))];
}

/** Every TypeScript file under src/, absolute. */
function sourceFiles(): string[] {
  return readdirSync(path.join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(root, "src", file))
    .sort();
}

function isInternal(declaration: ts.Declaration): boolean {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "internal");
}

function coreDeclarations(
  symbol: ts.Symbol | undefined,
  checker: ts.TypeChecker,
): ts.Declaration[] {
  if (symbol === undefined) return [];
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return (target.declarations ?? []).filter((d) => d.getSourceFile().fileName.startsWith(coreDir));
}

function importsLowlevel(node: ts.ImportSpecifier): boolean {
  const specifier = node.parent.parent.parent.moduleSpecifier;
  return ts.isStringLiteral(specifier) && specifier.text.endsWith("/core/lowlevel.ts");
}

/**
 * `super._describe()` inside an override of `_describe`: a subclass of Future extending the
 * hook its printed form is made by, not reaching into another object.
 */
function overridesViaSuper(node: ts.Node): boolean {
  if (!ts.isPropertyAccessExpression(node) || node.expression.kind !== ts.SyntaxKind.SuperKeyword) {
    return false;
  }
  let method: ts.Node = node;
  while (!ts.isMethodDeclaration(method) && method.parent !== undefined) method = method.parent;
  return (
    ts.isMethodDeclaration(method) &&
    ts.isIdentifier(method.name) &&
    method.name.text === node.name.text
  );
}

/** Every place an upper layer touches core's private API, as "file:line: what". */
function violations(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const file of program.getSourceFiles()) {
    const relative = path.relative(path.join(root, "src"), file.fileName);
    if (relative.startsWith("..") || relative.split(path.sep)[0] === "core") continue;
    const report = (node: ts.Node, what: string) => {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${relative}:${line + 1}: ${what}`);
    };
    const visit = (node: ts.Node): void => {
      const member = ts.isPropertyAccessExpression(node)
        ? node.name
        : ts.isQualifiedName(node)
          ? node.right
          : null;
      if (member !== null && ts.isIdentifier(member)) {
        const name = member.text;
        const declarations = coreDeclarations(checker.getSymbolAtLocation(member), checker);
        if (
          !overridesViaSuper(node) &&
          declarations.length > 0 &&
          declarations.every((d) => !lowlevelFiles.includes(d.getSourceFile().fileName)) &&
          (name.startsWith("_") || declarations.some(isInternal))
        ) {
          report(node, `member ${name} of core`);
        }
      }
      if (ts.isImportSpecifier(node) && !importsLowlevel(node)) {
        const declarations = coreDeclarations(checker.getSymbolAtLocation(node.name), checker);
        if (
          declarations.some(
            (d) => !lowlevelFiles.includes(d.getSourceFile().fileName) && isInternal(d),
          )
        ) {
          report(node, `internal core name ${node.name.text} imported`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/** A program of `rootFiles`; `extra` adds files that exist only in memory (path → text). */
function programOf(rootFiles: string[], extra: Record<string, string> = {}): ts.Program {
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists } = host;
  host.fileExists = (name) => name in extra || fileExists.call(host, name);
  host.getSourceFile = (name, language, ...rest) =>
    name in extra
      ? ts.createSourceFile(name, extra[name]!, language)
      : getSourceFile.call(host, name, language, ...rest);
  return ts.createProgram([...rootFiles, ...Object.keys(extra)], parsed.options, host);
}

it("the layers above the core touch no private member or internal name of it", () => {
  const program = programOf(entries());
  const inProgram = new Set(program.getSourceFiles().map((file) => file.fileName));
  for (const file of ["bullmq/executor.ts", "inspect/snapshot.ts", "cli/ps.ts", "eslint/rule.ts"]) {
    assert.ok(inProgram.has(path.join(root, "src", file)), `${file} is checked`);
  }
  assert.deepEqual(
    sourceFiles().filter((file) => !inProgram.has(file)),
    [],
    "a source file no entry reaches: list it in entries()",
  );
  assert.deepEqual(violations(program), []);
});

it("the check finds an upper layer reading a future's fields or importing a core internal", () => {
  const probe = path.join(root, "src", "sync", "probe.ts");
  const program = programOf([path.join(root, "src", "core", "loop.ts")], {
    [probe]: [
      'import { captureStack } from "../core/handles.ts";',
      'import type { Future } from "../core/futures.ts";',
      'import { stateOf } from "../core/lowlevel.ts";',
      "export const state = (future: Future<unknown>) => [future._state, stateOf(future), captureStack];",
    ].join("\n"),
  });
  assert.deepEqual(violations(program), [
    "sync/probe.ts:1: internal core name captureStack imported",
    "sync/probe.ts:4: member _state of core",
  ]);
});

it("the check covers the layers added after the first five, and the top-level modules", () => {
  const probes = {
    [path.join(root, "src", "inspect", "probe.ts")]: [
      'import { liveLoops } from "../core/events.ts";',
      'import type { EventLoop } from "../core/loop.ts";',
      "export const probe = (loop: EventLoop) => [liveLoops, loop._ready.length];",
    ].join("\n"),
    [path.join(root, "src", "probe.ts")]: [
      'import type { Task } from "../src/core/tasks.ts";',
      "export const probe = (task: Task<unknown>) => task._coro;",
    ].join("\n"),
  };
  const program = programOf([path.join(root, "src", "core", "loop.ts")], probes);
  assert.deepEqual(violations(program), [
    "inspect/probe.ts:1: internal core name liveLoops imported",
    "inspect/probe.ts:3: member _ready of core",
    "probe.ts:2: member _coro of core",
  ]);
});
