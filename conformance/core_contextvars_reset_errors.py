"""ContextVar.reset() with a token from another variable, or from another context, raises
ValueError (a token used twice raises RuntimeError)."""

import asyncio
import contextvars

first = contextvars.ContextVar("first")
second = contextvars.ContextVar("second")


async def main():
    token = second.set("value")
    try:
        first.reset(token)
    except (ValueError, RuntimeError) as exc:
        print("token of another variable:", type(exc).__name__)
    ctx = contextvars.copy_context()
    other = ctx.run(first.set, "in ctx")
    try:
        first.reset(other)
    except (ValueError, RuntimeError) as exc:
        print("token of another context:", type(exc).__name__)


asyncio.run(main())
