/** no-floating-coroutine: valid and invalid cases. */
import { noFloatingCoroutine } from "../../src/eslint/rules/nofloatingcoroutine.ts";
import { LIBRARY, ruleTester } from "./ruletester.ts";

const SAVE = `${LIBRARY}function* save(): asyncio.Coro<void> { yield* asyncio.sleep(0.1); }\n`;

ruleTester().run("no-floating-coroutine", noFloatingCoroutine, {
  valid: [
    `${SAVE}function* main(): asyncio.Coro<void> { yield* save(); }`,
    `${SAVE}function* main(): asyncio.Coro<void> { asyncio.createTask(save()); yield* asyncio.sleep(0); }`,
    `${SAVE}function* main(): asyncio.Coro<void> { const pending = save(); yield* pending; }`,
    `${SAVE}export const exported = save();`,
    // A Future is running (or settled) already; dropping one loses nothing.
    `${SAVE}function* main(): asyncio.Coro<void> { asyncio.getRunningLoop().createFuture(); yield* asyncio.sleep(0); }`,
    // An ordinary generator is not a coroutine.
    `function* numbers() { yield 1; }\nfunction main() { numbers(); }`,
    `${SAVE}async function main() { await asyncio.run(save()); }`,
    // Waiting methods typed Awaitable<T> (not a generator type) are awaited or handed on.
    `${LIBRARY}function* main(queue: asyncio.Queue<number>): asyncio.Coro<void> { yield* queue.get(); asyncio.createTask(queue.get()); }`,
    `${LIBRARY}function* main(lock: asyncio.Lock): asyncio.Coro<void> { const held = lock.acquire(); yield* held; }`,
  ],
  invalid: [
    {
      code: `${SAVE}function* main(): asyncio.Coro<void> {\n  save();\n  yield* asyncio.sleep(0.1);\n}`,
      errors: [
        {
          messageId: "floating",
          line: 4,
          column: 3,
          data: { code: "save()" },
          suggestions: [
            {
              messageId: "addYieldStar",
              data: { code: "save()" },
              output: `${SAVE}function* main(): asyncio.Coro<void> {\n  yield* save();\n  yield* asyncio.sleep(0.1);\n}`,
            },
          ],
        },
      ],
    },
    {
      code: `${SAVE}function* main(): asyncio.Coro<void> { asyncio.sleep(1); }`,
      errors: [
        {
          messageId: "floating",
          suggestions: [
            {
              messageId: "addYieldStar",
              output: `${SAVE}function* main(): asyncio.Coro<void> { yield* asyncio.sleep(1); }`,
            },
          ],
        },
      ],
    },
    {
      // Outside a coroutine there is no yield* to suggest.
      code: `${SAVE}function later() { save(); }`,
      errors: [{ messageId: "floating", suggestions: [] }],
    },
    {
      code: `${SAVE}function* main(): asyncio.Coro<void> { const saving = save(); yield* asyncio.sleep(0); }`,
      errors: [{ messageId: "unused", data: { name: "saving" } }],
    },
    {
      // Found by type, whatever the name: a method returning an inferred coroutine.
      code: `${LIBRARY}class Store { *flush() { yield* asyncio.sleep(0); return 1; } }\nfunction* main(store: Store): asyncio.Coro<void> { store.flush(); }`,
      errors: [
        {
          messageId: "floating",
          suggestions: [
            {
              messageId: "addYieldStar",
              output: `${LIBRARY}class Store { *flush() { yield* asyncio.sleep(0); return 1; } }\nfunction* main(store: Store): asyncio.Coro<void> { yield* store.flush(); }`,
            },
          ],
        },
      ],
    },
    {
      // A primitive's acquire() does nothing until awaited either.
      code: `${LIBRARY}function* main(lock: asyncio.Lock): asyncio.Coro<void> { lock.acquire(); }`,
      errors: [
        {
          messageId: "floating",
          suggestions: [
            {
              messageId: "addYieldStar",
              output: `${LIBRARY}function* main(lock: asyncio.Lock): asyncio.Coro<void> { yield* lock.acquire(); }`,
            },
          ],
        },
      ],
    },
    {
      // queue.get() is declared Awaitable<T>, which has no next(): still found by type.
      code: `${LIBRARY}function* main(queue: asyncio.Queue<number>): asyncio.Coro<void> {\n  queue.get();\n}`,
      errors: [
        {
          messageId: "floating",
          line: 3,
          column: 3,
          data: { code: "queue.get()" },
          suggestions: [
            {
              messageId: "addYieldStar",
              output: `${LIBRARY}function* main(queue: asyncio.Queue<number>): asyncio.Coro<void> {\n  yield* queue.get();\n}`,
            },
          ],
        },
      ],
    },
    {
      // A generator method declared Awaitable<T> (reader.read()), dropped.
      code: `${LIBRARY}function* main(reader: asyncio.StreamReader): asyncio.Coro<void> { reader.read(10); }`,
      errors: [
        {
          messageId: "floating",
          suggestions: [
            {
              messageId: "addYieldStar",
              output: `${LIBRARY}function* main(reader: asyncio.StreamReader): asyncio.Coro<void> { yield* reader.read(10); }`,
            },
          ],
        },
      ],
    },
    {
      code: `${LIBRARY}function later(lock: asyncio.Lock) { lock.acquire(); }`,
      errors: [{ messageId: "floating", data: { code: "lock.acquire()" }, suggestions: [] }],
    },
    {
      code: `${LIBRARY}function* main(queue: asyncio.Queue<number>): asyncio.Coro<void> { const item = queue.get(); yield* asyncio.sleep(0); }`,
      errors: [{ messageId: "unused", data: { name: "item" } }],
    },
    {
      // A user's own method declared Awaitable<T>, as the library's are.
      code: `${LIBRARY}class Store { *flush(): asyncio.Awaitable<number> { yield* asyncio.sleep(0); return 1; } }\nfunction* main(store: Store): asyncio.Coro<void> { store.flush(); }`,
      errors: [
        {
          messageId: "floating",
          suggestions: [
            {
              messageId: "addYieldStar",
              output: `${LIBRARY}class Store { *flush(): asyncio.Awaitable<number> { yield* asyncio.sleep(0); return 1; } }\nfunction* main(store: Store): asyncio.Coro<void> { yield* store.flush(); }`,
            },
          ],
        },
      ],
    },
  ],
});
