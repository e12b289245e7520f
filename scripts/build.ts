/**
 * `npm run build`: compiles src/ to dist/ (ES modules, source maps, `.d.ts` with declaration
 * maps) with tsconfig.build.json, through the TypeScript compiler API so the declarations can
 * be trimmed on the way out.
 *
 * What the published types leave out:
 * - class and interface members whose names start with `_`: the project's convention for
 *   internal members (the loop's, the pool's and the primitives' hooks into each other). They
 *   stay in the JavaScript, where the library itself uses them; users never see them in their
 *   editor. Abstract `_` members stay (a subclass must implement them, as
 *   FlowControlProtocol's `_closedFuture`), and so do `protected` ones (what a subclass is given
 *   to use, as HandStepped's `_owner`). No exported name starts with `_` (the packaging
 *   test checks).
 * - anything marked `@internal` (`stripInternal`), for the rare internal name without `_`.
 *
 * Relative imports in the declarations end in `.js`, as in the JavaScript
 * (`rewriteRelativeImportExtensions` rewrites only the JavaScript).
 *
 * Then it makes every `bin` of package.json executable and checks that every file `exports`
 * and `bin` name exists, so a new subpath export that the build does not produce fails here.
 */

import { chmodSync, existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

function isInternalName(name: ts.PropertyName | undefined): boolean {
  if (name === undefined) return false;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text.startsWith("_");
  return false;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((modifier) => modifier.kind === kind) ?? false;
}

/**
 * Drops `_`-named members from the classes and interfaces of a declaration file, except abstract
 * ones and their implementations: a subclass must implement those, and a class whose
 * implementation were dropped would no longer satisfy its abstract base.
 */
function dropInternalMembers(
  checker: ts.TypeChecker,
): ts.TransformerFactory<ts.SourceFile | ts.Bundle> {
  const implementsAbstract = (member: ts.Node): boolean => {
    if (!ts.isClassElement(member) || member.name === undefined) return false;
    if (!hasModifier(member, ts.SyntaxKind.OverrideKeyword) || !ts.isClassLike(member.parent)) {
      return false;
    }
    const name = member.name.getText();
    const classType = checker.getTypeAtLocation(member.parent);
    if (!(classType.flags & ts.TypeFlags.Object)) return false;
    return checker
      .getBaseTypes(classType as ts.InterfaceType)
      .some((base) =>
        base
          .getProperty(name)
          ?.declarations?.some((declaration) =>
            hasModifier(declaration, ts.SyntaxKind.AbstractKeyword),
          ),
      );
  };
  const isInternalMember = (node: ts.Node): boolean => {
    if (!(ts.isClassElement(node) || ts.isTypeElement(node))) return false;
    if (ts.isConstructorDeclaration(node) || !isInternalName(node.name)) return false;
    const source = ts.getOriginalNode(node);
    return (
      !hasModifier(source, ts.SyntaxKind.AbstractKeyword) &&
      !hasModifier(source, ts.SyntaxKind.ProtectedKeyword) &&
      !implementsAbstract(source)
    );
  };
  return (context) => {
    const visit = (node: ts.Node): ts.VisitResult<ts.Node | undefined> => {
      if (ts.isClassDeclaration(node)) {
        return context.factory.updateClassDeclaration(
          node,
          node.modifiers,
          node.name,
          node.typeParameters,
          node.heritageClauses,
          node.members.filter((member) => !isInternalMember(member)),
        );
      }
      if (ts.isInterfaceDeclaration(node)) {
        return context.factory.updateInterfaceDeclaration(
          node,
          node.modifiers,
          node.name,
          node.typeParameters,
          node.heritageClauses,
          node.members.filter((member) => !isInternalMember(member)),
        );
      }
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier !== undefined &&
        ts.isStringLiteral(node.moduleSpecifier) &&
        /^\.\.?\/.*\.ts$/.test(node.moduleSpecifier.text)
      ) {
        const specifier = context.factory.createStringLiteral(
          node.moduleSpecifier.text.replace(/\.ts$/, ".js"),
        );
        return ts.isImportDeclaration(node)
          ? context.factory.updateImportDeclaration(
              node,
              node.modifiers,
              node.importClause,
              specifier,
              node.attributes,
            )
          : context.factory.updateExportDeclaration(
              node,
              node.modifiers,
              node.isTypeOnly,
              node.exportClause,
              specifier,
              node.attributes,
            );
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => (ts.isSourceFile(file) ? ts.visitEachChild(file, visit, context) : file);
  };
}

function report(diagnostics: readonly ts.Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  };
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}

function compile(): number {
  const configPath = join(ROOT, "tsconfig.build.json");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => report([diagnostic]),
  });
  if (config === undefined) throw new Error(`cannot read ${configPath}`);
  report(config.errors);
  rmSync(config.options.outDir!, { recursive: true, force: true });
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  report(ts.getPreEmitDiagnostics(program));
  const result = program.emit(undefined, undefined, undefined, undefined, {
    afterDeclarations: [dropInternalMembers(program.getTypeChecker())],
  });
  report(result.diagnostics);
  return config.fileNames.length;
}

/** Every file path named by `exports` (any condition, any depth) and `bin`. */
function packageTargets(manifest: { exports?: unknown; bin?: unknown }): string[] {
  const targets: string[] = [];
  const collect = (entry: unknown): void => {
    if (typeof entry === "string") targets.push(entry);
    else if (entry !== null && typeof entry === "object") Object.values(entry).forEach(collect);
  };
  collect(manifest.exports);
  collect(manifest.bin);
  return targets;
}

const modules = compile();
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  exports?: unknown;
  bin?: unknown;
};
const bins = typeof manifest.bin === "object" && manifest.bin !== null ? manifest.bin : {};
for (const bin of Object.values(bins)) chmodSync(resolve(ROOT, String(bin)), 0o755);
const missing = packageTargets(manifest).filter((target) => !existsSync(resolve(ROOT, target)));
if (missing.length > 0) {
  console.error(
    `build: package.json names files the build did not produce: ${missing.join(", ")}; ` +
      "every exports and bin target must be a file under dist/ compiled from src/",
  );
  process.exit(1);
}
console.log(`build: ${modules} modules compiled to dist/`);
