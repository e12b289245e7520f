/**
 * no-coroutine-function-as-coroutine: `run(main)`, `createTask(worker)`, `gather(a, b)`: a
 * coroutine function passed where a coroutine object belongs (a TypeError at run time).
 * Autofix: call it, when it takes no arguments; otherwise the message says to call it.
 */

import type { TSESTree } from "@typescript-eslint/utils";
import type ts from "typescript";
import { asyncioTypes, createRule } from "../rule.ts";

export const noCoroutineFunctionAsCoroutine = createRule({
  name: "no-coroutine-function-as-coroutine",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow passing a coroutine function where a coroutine object is expected",
      recommended: true,
      requiresTypeChecking: true,
    },
    fixable: "code",
    messages: {
      notCalled:
        "'{{code}}' is a coroutine function, but a coroutine object is expected here: call it, as in {{code}}({{arguments}}).",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const types = asyncioTypes(context);
    const source = context.sourceCode;
    function check(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      for (const argument of node.arguments) {
        if (argument.type === "SpreadElement") continue;
        const type = types.typeOf(argument);
        if (!types.isCoroutineFunction(type)) continue;
        const contextual = types.contextualTypeOf(argument);
        const expected =
          contextual === undefined ? undefined : (types.elementTypeOf(contextual) ?? contextual);
        // Where a function is accepted too (a callback, a factory), passing one is right.
        if (expected === undefined || !types.isAwaitable(expected)) continue;
        if (expected.getCallSignatures().length > 0 || acceptsFunction(expected)) continue;
        const code = source.getText(argument);
        const callable = types.takesNoArguments(type);
        context.report({
          node: argument,
          messageId: "notCalled",
          data: { code, arguments: callable ? "" : "..." },
          fix: callable ? (fixer) => fixer.insertTextAfter(argument, "()") : null,
        });
      }
    }
    return { CallExpression: check, NewExpression: check };
  },
});

function acceptsFunction(type: ts.Type): boolean {
  return type.isUnion() && type.types.some((member) => member.getCallSignatures().length > 0);
}
