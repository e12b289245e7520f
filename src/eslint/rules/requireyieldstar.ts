/**
 * require-yield-star: `yield x` without the star hands `x` to the Task instead of waiting on
 * it (a TypeError at run time). tsc catches it where the coroutine's type is written out; this
 * rule catches it in coroutines whose type is inferred, too. Autofix: add the star (a Promise
 * gets a suggestion to wrap it with fromPromise instead).
 */

import type { TSESTree } from "@typescript-eslint/utils";
import { asyncioTypes, createRule, enclosingFunction, libraryName } from "../rule.ts";

export const requireYieldStar = createRule({
  name: "require-yield-star",
  meta: {
    type: "problem",
    docs: {
      description: "Require yield* (not yield) to await an awaitable in a coroutine",
      recommended: true,
      requiresTypeChecking: true,
    },
    fixable: "code",
    hasSuggestions: true,
    messages: {
      missingStar:
        "yield without a star hands {{code}} to the Task instead of awaiting it: write yield* {{code}}.",
      yieldedPromise:
        "A Promise cannot be yielded in a coroutine: write yield* asyncio.fromPromise({{code}}).",
      wrapInFromPromise: "Wrap it: yield* {{wrapped}}",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const types = asyncioTypes(context);
    const source = context.sourceCode;
    return {
      YieldExpression(node: TSESTree.YieldExpression) {
        if (node.delegate || node.argument === null) return;
        const argument = node.argument;
        const type = types.typeOf(argument);
        const code = source.getText(argument);
        if (types.isAwaitable(type)) {
          context.report({
            node,
            messageId: "missingStar",
            data: { code },
            fix: (fixer) => fixer.replaceText(node, `yield* ${code}`),
          });
          return;
        }
        if (!types.isThenable(type)) return;
        const fn = enclosingFunction(node);
        if (fn === null || !types.isCoroutineGenerator(fn)) return;
        const fromPromise = libraryName(context, "fromPromise");
        const wrapped = `${fromPromise}(${code})`;
        context.report({
          node,
          messageId: "yieldedPromise",
          data: { code },
          suggest:
            fromPromise === null
              ? []
              : [
                  {
                    messageId: "wrapInFromPromise",
                    data: { wrapped },
                    fix: (fixer) => fixer.replaceText(node, `yield* ${wrapped}`),
                  },
                ],
        });
      },
    };
  },
});
