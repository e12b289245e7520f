/** no-yield-star-promise: valid and invalid cases. */
import { noYieldStarPromise } from "../../src/eslint/rules/noyieldstarpromise.ts";
import { LIBRARY, ruleTester } from "./ruletester.ts";

ruleTester().run("no-yield-star-promise", noYieldStarPromise, {
  valid: [
    `${LIBRARY}function* main(): asyncio.Coro<number> { return yield* asyncio.fromPromise(Promise.resolve(1)); }`,
    // A Task is thenable and awaitable: yield* is right for it.
    `${LIBRARY}function* child(): asyncio.Coro<number> { return 1; }\nfunction* main(): asyncio.Coro<number> { return yield* asyncio.createTask(child()); }`,
    `function* inner() { yield 1; }\nfunction* outer() { yield* inner(); yield* [1, 2]; }`,
  ],
  invalid: [
    {
      code: `${LIBRARY}async function load(): Promise<number> { return 1; }\nfunction* main() { yield* asyncio.sleep(0); return yield* load(); }`,
      errors: [
        {
          messageId: "promise",
          line: 3,
          data: { code: "load()" },
          suggestions: [
            {
              messageId: "wrapInFromPromise",
              data: { wrapped: "asyncio.fromPromise(load())" },
              output: `${LIBRARY}async function load(): Promise<number> { return 1; }\nfunction* main() { yield* asyncio.sleep(0); return yield* asyncio.fromPromise(load()); }`,
            },
          ],
        },
      ],
    },
    {
      code: `${LIBRARY}function* main(pending: PromiseLike<string>) { yield* asyncio.sleep(0); yield* pending; }`,
      errors: [
        {
          messageId: "promise",
          suggestions: [
            {
              messageId: "wrapInFromPromise",
              output: `${LIBRARY}function* main(pending: PromiseLike<string>) { yield* asyncio.sleep(0); yield* asyncio.fromPromise(pending); }`,
            },
          ],
        },
      ],
    },
  ],
});
