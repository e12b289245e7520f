/**
 * no-floating-coroutine: a coroutine object (or `sleep()`) that is made and dropped does
 * nothing, silently; Python warns "coroutine was never awaited" at run time, JavaScript cannot.
 * Reports an expression statement that makes one and a `const`/`let` holding one that is never
 * read.
 */

import type { TSESTree } from "@typescript-eslint/utils";
import { asyncioTypes, createRule, enclosingFunction } from "../rule.ts";

export const noFloatingCoroutine = createRule({
  name: "no-floating-coroutine",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow coroutine objects that are created and never awaited or run",
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      floating:
        "This coroutine is created and dropped, so it never runs: write yield* {{code}} to await it, or asyncio.createTask({{code}}) to run it concurrently.",
      unused:
        "The coroutine in '{{name}}' is never awaited or run, so it never runs: yield* it, or pass it to asyncio.createTask().",
      addYieldStar: "Await it: yield* {{code}}",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const types = asyncioTypes(context);
    const source = context.sourceCode;
    return {
      ExpressionStatement(node: TSESTree.ExpressionStatement) {
        const expression = node.expression;
        if (expression.type !== "CallExpression" && expression.type !== "NewExpression") return;
        if (!types.isLazyAwaitable(types.typeOf(expression))) return;
        const code = source.getText(expression);
        const inCoroutine = isInsideGenerator(node);
        context.report({
          node: expression,
          messageId: "floating",
          data: { code },
          suggest: inCoroutine
            ? [
                {
                  messageId: "addYieldStar",
                  data: { code },
                  fix: (fixer) => fixer.insertTextBefore(expression, "yield* "),
                },
              ]
            : [],
        });
      },
      VariableDeclarator(node: TSESTree.VariableDeclarator) {
        if (node.id.type !== "Identifier" || node.init === null) return;
        if (!types.isLazyAwaitable(types.typeOf(node.init))) return;
        const [variable] = source.getDeclaredVariables(node);
        if (variable === undefined) return;
        const read = variable.references.some((reference) => !reference.init);
        if (read || isExported(node)) return;
        context.report({ node: node.id, messageId: "unused", data: { name: node.id.name } });
      },
    };
  },
});

function isInsideGenerator(node: TSESTree.Node): boolean {
  const fn = enclosingFunction(node);
  return fn !== null && fn.type !== "ArrowFunctionExpression" && fn.generator;
}

function isExported(node: TSESTree.VariableDeclarator): boolean {
  return node.parent.parent?.type === "ExportNamedDeclaration";
}
