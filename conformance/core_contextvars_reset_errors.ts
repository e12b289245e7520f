/**
 * Port of core_contextvars_reset_errors.py: the error classes of a misused reset(). Virtual
 * clock (the Python program never waits).
 */

import * as asyncio from "../src/index.ts";

const first = new asyncio.ContextVar<string>("first");
const second = new asyncio.ContextVar<string>("second");

function* main(): asyncio.Coro<void> {
  const token = second.set("value");
  try {
    first.reset(token);
  } catch (error) {
    console.log("token of another variable:", (error as Error).name);
  }
  const ctx = asyncio.copyContext();
  const other = ctx.run(() => first.set("in ctx"));
  try {
    first.reset(other);
  } catch (error) {
    console.log("token of another context:", (error as Error).name);
  }
}

await asyncio.run(main(), { clock: "virtual" });
