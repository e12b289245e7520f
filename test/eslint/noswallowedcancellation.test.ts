/** no-swallowed-cancellation: valid and invalid cases. */
import { noSwallowedCancellation } from "../../src/eslint/rules/noswallowedcancellation.ts";
import { LIBRARY, ruleTester } from "./ruletester.ts";

const STEP = `${LIBRARY}function* step(): asyncio.Coro<void> { yield* asyncio.sleep(1); }\n`;

ruleTester().run("no-swallowed-cancellation", noSwallowedCancellation, {
  valid: [
    `${STEP}function* main(): asyncio.Coro<void> { try { yield* step(); } catch (e) { asyncio.rethrowIfCancelled(e); console.log(e); } }`,
    `${STEP}function* main(): asyncio.Coro<void> { try { yield* step(); } catch (e) { if (!(e instanceof RangeError)) throw e; } }`,
    // Nothing in the try waits, so no cancellation can arrive there.
    `${STEP}function* main(): asyncio.Coro<void> { try { JSON.parse("{"); } catch { console.log("bad"); } yield* step(); }`,
    // Not a coroutine.
    `function* numbers() { try { yield 1; } catch { } }`,
    `async function main() { try { await Promise.resolve(); } catch { } }`,
  ],
  invalid: [
    {
      code: `${STEP}function* main(): asyncio.Coro<void> {\n  try {\n    yield* step();\n  } catch (e) {\n    console.log(e);\n  }\n}`,
      errors: [
        {
          messageId: "swallowed",
          line: 6,
          data: { error: "e" },
          suggestions: [
            {
              messageId: "addRethrow",
              data: { call: "asyncio.rethrowIfCancelled(e);" },
              output: `${STEP}function* main(): asyncio.Coro<void> {\n  try {\n    yield* step();\n  } catch (e) {\n    asyncio.rethrowIfCancelled(e); console.log(e);\n  }\n}`,
            },
          ],
        },
      ],
    },
    {
      code: `${STEP}function* main(): asyncio.Coro<void> { try { yield* step(); } catch (error) {} }`,
      errors: [
        {
          messageId: "swallowed",
          suggestions: [
            {
              messageId: "addRethrow",
              output: `${STEP}function* main(): asyncio.Coro<void> { try { yield* step(); } catch (error) { asyncio.rethrowIfCancelled(error); } }`,
            },
          ],
        },
      ],
    },
    {
      // A throw inside a nested function does not rethrow; a catch without a binding cannot be
      // given the call (no name for the error), so only the message says what to write.
      code: `${STEP}function* main(): asyncio.Coro<void> { try { yield* step(); } catch { setTimeout(() => { throw new Error("later"); }); } }`,
      errors: [{ messageId: "swallowed", data: { error: "error" }, suggestions: [] }],
    },
  ],
});
