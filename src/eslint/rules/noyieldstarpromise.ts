/**
 * no-yield-star-promise: `yield* promise` in a coroutine fails at run time ("is not
 * iterable"): a Promise is not an asyncio awaitable. Suggests `yield* asyncio.fromPromise(p)`
 * (a suggestion, as the wrapped Promise keeps running if the task is cancelled).
 */

import type { TSESTree } from "@typescript-eslint/utils";
import { asyncioTypes, createRule, libraryName } from "../rule.ts";

export const noYieldStarPromise = createRule({
  name: "no-yield-star-promise",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow yield* on a Promise or thenable; wrap it with fromPromise",
      recommended: true,
      requiresTypeChecking: true,
    },
    hasSuggestions: true,
    messages: {
      promise:
        "yield* cannot wait on a Promise ({{code}} is not an asyncio awaitable): write yield* asyncio.fromPromise({{code}}).",
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
        if (!node.delegate || node.argument === null) return;
        const type = types.typeOf(node.argument);
        // A Future or Task is thenable and awaitable: yield* is right for it.
        if (!types.isThenable(type) || types.isAwaitable(type)) return;
        const code = source.getText(node.argument);
        const fromPromise = libraryName(context, "fromPromise");
        const wrapped = `${fromPromise}(${code})`;
        context.report({
          node: node.argument,
          messageId: "promise",
          data: { code },
          suggest:
            fromPromise === null
              ? []
              : [
                  {
                    messageId: "wrapInFromPromise",
                    data: { wrapped },
                    fix: (fixer) => fixer.replaceText(node.argument!, wrapped),
                  },
                ],
        });
      },
    };
  },
});
