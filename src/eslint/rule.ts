/**
 * What every rule of the plugin shares: the rule factory (with each rule's documentation
 * address), the type helper, and how a fix names a library function in the file being linted
 * (through its `import * as asyncio` namespace or a named import).
 */

import { ESLintUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type ts from "typescript";
import { AsyncioTypes } from "./types.ts";

/** Extra documentation every rule of the plugin carries. */
export interface AsyncioRuleDocs {
  /** Part of `configs.recommended`. */
  recommended: boolean;
  /** Needs type information (parserOptions.projectService). */
  requiresTypeChecking: true;
}

export const createRule = ESLintUtils.RuleCreator<AsyncioRuleDocs>(
  (name) => `https://github.com/asyncio-ts/asyncio-ts/blob/main/docs/lint.md#${name}`,
);

/** The type helper for the file `context` lints; a clear error when types are not enabled. */
export function asyncioTypes(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
): AsyncioTypes {
  return new AsyncioTypes(ESLintUtils.getParserServices(context));
}

/**
 * How code in this file names the library's export `name`: `asyncio.name` through a namespace
 * import of the library, `name` (or its local alias) through a named import, or null when the
 * file imports neither (a fix would need an import, so it is not offered).
 */
export function libraryName(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  name: string,
): string | null {
  const services = ESLintUtils.getParserServices(context);
  const checker = services.program.getTypeChecker();
  for (const statement of context.sourceCode.ast.body) {
    if (statement.type !== "ImportDeclaration") continue;
    const module = checker.getSymbolAtLocation(
      services.esTreeNodeToTSNodeMap.get(statement.source) as ts.Node,
    );
    if (module === undefined) continue;
    const exported = checker.getExportsOfModule(module).map((symbol) => symbol.getName());
    // The library is the module that exports `name` beside createTask, whatever its path.
    if (!exported.includes(name) || !exported.includes("createTask")) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === "ImportNamespaceSpecifier") return `${specifier.local.name}.${name}`;
      if (specifier.type === "ImportSpecifier" && importedName(specifier) === name) {
        return specifier.local.name;
      }
    }
  }
  return null;
}

function importedName(specifier: TSESTree.ImportSpecifier): string {
  return specifier.imported.type === "Identifier"
    ? specifier.imported.name
    : specifier.imported.value;
}

/** The nearest function around `node`, or null at module level. */
export function enclosingFunction(node: TSESTree.Node): TSESTree.FunctionLike | null {
  for (let current = node.parent; current != null; current = current.parent) {
    if (
      current.type === "FunctionDeclaration" ||
      current.type === "FunctionExpression" ||
      current.type === "ArrowFunctionExpression"
    ) {
      return current;
    }
  }
  return null;
}
