/** require-yield-star: valid and invalid cases. */
import { requireYieldStar } from "../../src/eslint/rules/requireyieldstar.ts";
import { LIBRARY, ruleTester } from "./ruletester.ts";

const CHILD = `${LIBRARY}function* child(): asyncio.Coro<number> { return 1; }\n`;

ruleTester().run("require-yield-star", requireYieldStar, {
  valid: [
    `${CHILD}function* main(): asyncio.Coro<void> { yield* child(); yield; }`,
    // An ordinary generator yields what it likes.
    `function* numbers() { yield 1; yield Promise.resolve(2); }`,
    `function* promises(): Generator<Promise<number>> { yield Promise.resolve(2); }`,
  ],
  invalid: [
    {
      code: `${CHILD}function* main() {\n  yield* asyncio.sleep(0);\n  yield child();\n}`,
      output: `${CHILD}function* main() {\n  yield* asyncio.sleep(0);\n  yield* child();\n}`,
      errors: [{ messageId: "missingStar", line: 5, column: 3, data: { code: "child()" } }],
    },
    {
      code: `${CHILD}function* main(future: asyncio.Future<number>) { yield future; }`,
      output: `${CHILD}function* main(future: asyncio.Future<number>) { yield* future; }`,
      errors: [{ messageId: "missingStar", data: { code: "future" } }],
    },
    {
      code: `${CHILD}function* main() { yield* child(); yield fetch("/a"); }`,
      errors: [
        {
          messageId: "yieldedPromise",
          data: { code: 'fetch("/a")' },
          suggestions: [
            {
              messageId: "wrapInFromPromise",
              data: { wrapped: 'asyncio.fromPromise(fetch("/a"))' },
              output: `${CHILD}function* main() { yield* child(); yield* asyncio.fromPromise(fetch("/a")); }`,
            },
          ],
        },
      ],
    },
    {
      // A named import is what the suggestion uses.
      code: 'import { fromPromise as wrap, sleep } from "../../../src/index.ts";\nfunction* main() { yield* sleep(0); yield Promise.resolve(1); }',
      errors: [
        {
          messageId: "yieldedPromise",
          suggestions: [
            {
              messageId: "wrapInFromPromise",
              output:
                'import { fromPromise as wrap, sleep } from "../../../src/index.ts";\nfunction* main() { yield* sleep(0); yield* wrap(Promise.resolve(1)); }',
            },
          ],
        },
      ],
    },
    {
      // Without an import to name fromPromise by, the message alone says what to write.
      code: 'import { sleep } from "../../../src/index.ts";\nfunction* main() { yield* sleep(0); yield Promise.resolve(1); }',
      errors: [{ messageId: "yieldedPromise", suggestions: [] }],
    },
  ],
});
