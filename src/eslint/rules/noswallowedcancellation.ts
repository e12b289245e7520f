/**
 * no-swallowed-cancellation: in JavaScript `catch (e)` catches everything, CancelledError
 * included (Python's `except Exception` does not). A catch around a `yield*` in a coroutine
 * that neither rethrows nor calls `rethrowIfCancelled` stops the task's cancellation. Suggests
 * starting the catch with `asyncio.rethrowIfCancelled(e)`.
 */

import type { TSESTree } from "@typescript-eslint/utils";
import { asyncioTypes, createRule, enclosingFunction, libraryName } from "../rule.ts";

export const noSwallowedCancellation = createRule({
  name: "no-swallowed-cancellation",
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow catch blocks in coroutines that can swallow CancelledError without rethrowing it",
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      swallowed:
        "This catch can swallow CancelledError (cancellation arrives at the yield* in its try), and the task would carry on: begin it with asyncio.rethrowIfCancelled({{error}}), or rethrow what it does not handle.",
      addRethrow: "Begin the catch with {{call}}",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const types = asyncioTypes(context);
    return {
      CatchClause(node: TSESTree.CatchClause) {
        const tryStatement = node.parent;
        const fn = enclosingFunction(node);
        if (fn === null || !types.isCoroutineGenerator(fn)) return;
        if (!suspends(tryStatement.block)) return;
        if (rethrows(node.body)) return;
        const errorName = node.param?.type === "Identifier" ? node.param.name : null;
        const rethrowIfCancelled = libraryName(context, "rethrowIfCancelled");
        const call =
          errorName !== null && rethrowIfCancelled !== null
            ? `${rethrowIfCancelled}(${errorName});`
            : null;
        context.report({
          node,
          messageId: "swallowed",
          data: { error: errorName ?? "error" },
          suggest:
            call === null
              ? []
              : [
                  {
                    messageId: "addRethrow",
                    data: { call },
                    fix: (fixer) => {
                      const first = node.body.body[0];
                      return first === undefined
                        ? fixer.replaceText(node.body, `{ ${call} }`)
                        : fixer.insertTextBefore(first, `${call} `);
                    },
                  },
                ],
        });
      },
    };
  },
});

/** Does `node` wait (a yield or yield* of its own, not in a nested function)? */
function suspends(node: TSESTree.Node): boolean {
  return someDescendant(node, (child) => child.type === "YieldExpression");
}

/** Does the catch body throw, or call rethrowIfCancelled, anywhere outside nested functions? */
function rethrows(body: TSESTree.BlockStatement): boolean {
  return someDescendant(
    body,
    (child) =>
      child.type === "ThrowStatement" ||
      (child.type === "CallExpression" && calleeName(child.callee) === "rethrowIfCancelled"),
  );
}

function calleeName(callee: TSESTree.Expression): string | null {
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression" && callee.property.type === "Identifier") {
    return callee.property.name;
  }
  return null;
}

/** Walks `node`'s own code (not nested functions) for a node matching `test`. */
function someDescendant(node: TSESTree.Node, test: (node: TSESTree.Node) => boolean): boolean {
  if (test(node)) return true;
  for (const [key, value] of Object.entries(node)) {
    if (key === "parent") continue;
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (!isNode(child) || isFunction(child)) continue;
      if (someDescendant(child, test)) return true;
    }
  }
  return false;
}

function isNode(value: unknown): value is TSESTree.Node {
  return (
    typeof value === "object" && value !== null && typeof (value as TSESTree.Node).type === "string"
  );
}

function isFunction(node: TSESTree.Node): boolean {
  return (
    node.type === "FunctionDeclaration" ||
    node.type === "FunctionExpression" ||
    node.type === "ArrowFunctionExpression"
  );
}
