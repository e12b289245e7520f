"""Async generators driven by hand: anext/asend/athrow/aclose, finally blocks that await,
a generator already running, and what is left after it finishes."""

import asyncio


async def echo():
    received = None
    try:
        while True:
            received = yield f"got {received}"
    except ValueError as exc:
        print("echo caught ValueError", exc)
        yield "after the throw"
    finally:
        print("echo finally starts")
        await asyncio.sleep(0.01)
        print("echo finally awaited")


async def emits_in_finally():
    try:
        yield 1
    finally:
        print("emits_in_finally: finally tries to yield")
        yield 2


async def slow():
    await asyncio.sleep(0.01)
    yield "slow value"


async def send_and_throw():
    gen = echo()
    print(await gen.asend(None))
    print(await gen.asend("x"))
    print(await anext(gen))
    print(await gen.athrow(ValueError("v")))
    try:
        await anext(gen)
    except StopAsyncIteration:
        print("exhausted: StopAsyncIteration")
    try:
        await anext(gen)
    except StopAsyncIteration:
        print("again: StopAsyncIteration")


async def explicit_aclose():
    gen = echo()
    print(await anext(gen))
    await gen.aclose()
    print("aclose returned")
    await gen.aclose()
    print("second aclose does nothing")
    try:
        await anext(gen)
    except StopAsyncIteration:
        print("after aclose: StopAsyncIteration")


async def aclose_before_start():
    gen = echo()
    await gen.aclose()
    print("closing a generator that never started runs nothing")


async def yield_while_closing():
    gen = emits_in_finally()
    print(await anext(gen))
    try:
        await gen.aclose()
    except RuntimeError:
        print("aclose raised RuntimeError")


async def send_before_start():
    gen = echo()
    try:
        await gen.asend("too early")
    except TypeError:
        print("asend of a value to a just-started generator: TypeError")
    await gen.aclose()


async def throw_before_start():
    gen = echo()
    try:
        await gen.athrow(ValueError("early"))
    except ValueError as exc:
        print("athrow before start re-raised ValueError", exc)
    try:
        await anext(gen)
    except StopAsyncIteration:
        print("then: StopAsyncIteration")


async def already_running():
    gen = slow()
    first = asyncio.create_task(anext(gen))
    await asyncio.sleep(0)
    try:
        await anext(gen)
    except RuntimeError:
        print("a second anext while the first waits: RuntimeError")
    print("first anext ->", await first)


async def main():
    for section in [send_and_throw, explicit_aclose, aclose_before_start, yield_while_closing,
                    send_before_start, throw_before_start, already_running]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
