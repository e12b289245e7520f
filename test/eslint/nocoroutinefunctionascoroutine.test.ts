/** no-coroutine-function-as-coroutine: valid and invalid cases. */
import { noCoroutineFunctionAsCoroutine } from "../../src/eslint/rules/nocoroutinefunctionascoroutine.ts";
import { LIBRARY, ruleTester } from "./ruletester.ts";

const MAIN = `${LIBRARY}function* main(): asyncio.Coro<void> { yield* asyncio.sleep(0); }\nfunction* worker(id: number): asyncio.Coro<number> { return id; }\n`;

ruleTester().run("no-coroutine-function-as-coroutine", noCoroutineFunctionAsCoroutine, {
  valid: [
    `${MAIN}await asyncio.run(main());`,
    `${MAIN}function* parent(): asyncio.Coro<void> { yield* asyncio.gather(worker(1), worker(2)); }`,
    // Where a function is expected, a coroutine function is right.
    `${MAIN}function* parent(): asyncio.Coro<void> { yield* asyncio.using(new asyncio.Lock(), function* () { yield* main(); }); }`,
    `${MAIN}[1, 2].map(worker);`,
  ],
  invalid: [
    {
      code: `${MAIN}await asyncio.run(main);`,
      output: `${MAIN}await asyncio.run(main());`,
      errors: [
        { messageId: "notCalled", line: 4, column: 19, data: { code: "main", arguments: "" } },
      ],
    },
    {
      // It takes an argument: no autofix, the message says to call it.
      code: `${MAIN}function* parent(): asyncio.Coro<void> { asyncio.createTask(worker); yield* asyncio.sleep(0); }`,
      output: null,
      errors: [{ messageId: "notCalled", data: { code: "worker", arguments: "..." } }],
    },
    {
      code: `${MAIN}function* parent(): asyncio.Coro<void> { yield* asyncio.gather(main, main()); }`,
      output: `${MAIN}function* parent(): asyncio.Coro<void> { yield* asyncio.gather(main(), main()); }`,
      errors: [{ messageId: "notCalled", data: { code: "main", arguments: "" } }],
    },
  ],
});
