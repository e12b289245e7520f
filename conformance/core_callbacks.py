"""Callback and timer ordering: call_soon is FIFO; timers run by deadline (a deadline in the
past first); a cancelled handle never runs; what a callback schedules runs on the next
iteration, and a 0-delay timer it schedules after that."""

import asyncio


def log(*parts):
    print(*parts)


async def call_soon_fifo():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    for name in ["a", "b", "c"]:
        loop.call_soon(log, "call_soon", name)
    loop.call_soon(log, "call_soon with args", 1, 2)
    cancelled = loop.call_soon(log, "never runs")
    cancelled.cancel()
    log("cancelled handle:", cancelled.cancelled())
    loop.call_soon(done.set_result, None)
    await done


async def call_later_order():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_later(0.3, log, "timer 300ms")
    loop.call_later(0.1, log, "timer 100ms")
    loop.call_later(0.2, log, "timer 200ms")
    skipped = loop.call_later(0.15, log, "cancelled timer never runs")
    loop.call_later(0, log, "timer 0ms")
    loop.call_at(loop.time() - 1, log, "call_at in the past: before the 0ms timer")
    loop.call_at(loop.time() + 0.25, log, "call_at 250ms")
    loop.call_soon(log, "call_soon runs before any timer")
    skipped.cancel()
    log("cancelled timer:", skipped.cancelled())
    loop.call_later(0.4, done.set_result, None)
    await done


async def what_a_callback_schedules():
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def first():
        log("first: schedules a callback and a 0-delay timer")
        loop.call_soon(log, "scheduled by first: next iteration")
        loop.call_later(0, log, "0-delay timer scheduled by first: after that callback")

    loop.call_soon(first)
    loop.call_soon(log, "second: same iteration as first")
    loop.call_later(0.1, done.set_result, None)
    await done


async def main():
    for section in [call_soon_fifo, call_later_order, what_a_callback_schedules]:
        log(f"== {section.__name__}")
        await section()
    log("== end")


asyncio.run(main())
