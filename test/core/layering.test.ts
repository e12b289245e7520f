/**
 * The layers above the core (sync, structure, net, subprocess, executors) use it only through
 * its public API and core/lowlevel.ts (DESIGN §11). This test reads their sources with the
 * TypeScript checker and fails on any property access that resolves to a core member whose
 * name starts with "_" or that is marked @internal, and on any import of a core name marked
 * @internal from a module other than lowlevel.ts.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const coreDir = path.join(root, "src", "core") + path.sep;
/** lowlevel.ts, and handstepped.ts, whose "_" methods are the hooks its subclasses fill. */
const lowlevelFiles = [path.join(coreDir, "lowlevel.ts"), path.join(coreDir, "handstepped.ts")];
const UPPER_LAYERS = ["sync", "structure", "net", "subprocess", "executors"];

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
    if (!UPPER_LAYERS.includes(relative.split(path.sep)[0]!)) continue;
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

/** A program of `rootFile`; `extra` adds files that exist only in memory (path → text). */
function programOf(rootFile: string, extra: Record<string, string> = {}): ts.Program {
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists } = host;
  host.fileExists = (name) => name in extra || fileExists.call(host, name);
  host.getSourceFile = (name, language, ...rest) =>
    name in extra
      ? ts.createSourceFile(name, extra[name]!, language)
      : getSourceFile.call(host, name, language, ...rest);
  return ts.createProgram([rootFile, ...Object.keys(extra)], parsed.options, host);
}

it("upper layers touch no private member or internal name of the core", () => {
  const program = programOf(path.join(root, "src", "index.ts"));
  assert.deepEqual(violations(program), []);
});

it("the check finds an upper layer reading a future's fields or importing a core internal", () => {
  const probe = path.join(root, "src", "sync", "probe.ts");
  const program = programOf(path.join(root, "src", "core", "loop.ts"), {
    [probe]: [
      'import { logger } from "../core/log.ts";',
      'import type { Future } from "../core/futures.ts";',
      'import { stateOf } from "../core/lowlevel.ts";',
      "export const state = (future: Future<unknown>) => [future._state, stateOf(future), logger];",
    ].join("\n"),
  });
  assert.deepEqual(violations(program), [
    "sync/probe.ts:1: internal core name logger imported",
    "sync/probe.ts:4: member _state of core",
  ]);
});
