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
    `${LIBRARY}function* main(lock: asyncio.Lock, queue: asyncio.Queue<number>): asyncio.Coro<void> { yield* lock.acquire(); yield* queue.get(); }`,
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
      // Waiting methods declared Awaitable<T> (no next() in their type) are still awaitables.
      code: `${LIBRARY}function* main(lock: asyncio.Lock) {\n  yield lock.acquire();\n}`,
      output: `${LIBRARY}function* main(lock: asyncio.Lock) {\n  yield* lock.acquire();\n}`,
      errors: [{ messageId: "missingStar", line: 3, column: 3, data: { code: "lock.acquire()" } }],
    },
    {
      code: `${LIBRARY}function* main(queue: asyncio.Queue<string>): asyncio.Coro<void> { yield queue.get(); }`,
      output: `${LIBRARY}function* main(queue: asyncio.Queue<string>): asyncio.Coro<void> { yield* queue.get(); }`,
      errors: [{ messageId: "missingStar", data: { code: "queue.get()" } }],
    },
    {
      code: `${LIBRARY}function* main(reader: asyncio.StreamReader) { yield reader.readline(); }`,
      output: `${LIBRARY}function* main(reader: asyncio.StreamReader) { yield* reader.readline(); }`,
      errors: [{ messageId: "missingStar", data: { code: "reader.readline()" } }],
    },
    {
      // A generator declared Awaitable<T> is a coroutine: a yielded Promise in it is reported.
      code: `${LIBRARY}class Store { *load(): asyncio.Awaitable<void> { yield* asyncio.sleep(0); yield Promise.resolve(1); } }`,
      errors: [
        {
          messageId: "yieldedPromise",
          suggestions: [
            {
              messageId: "wrapInFromPromise",
              output: `${LIBRARY}class Store { *load(): asyncio.Awaitable<void> { yield* asyncio.sleep(0); yield* asyncio.fromPromise(Promise.resolve(1)); } }`,
            },
          ],
        },
      ],
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
