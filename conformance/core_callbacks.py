"""Callback and timer ordering: call_soon is FIFO; timers run by deadline; one loop iteration
runs the callbacks that were ready when it began, then the timers that became due; what a
callback schedules runs on the next iteration."""

import asyncio
import time


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
    loop.call_later(0.15, log, "timer 150ms")
    loop.call_later(0.05, log, "timer 50ms")
    loop.call_later(0.1, log, "timer 100ms")
    skipped = loop.call_later(0.075, log, "cancelled timer never runs")
    loop.call_later(0, log, "timer 0ms")
    loop.call_at(loop.time() + 0.125, log, "call_at 125ms")
    loop.call_soon(log, "call_soon runs before any timer")
    skipped.cancel()
    log("cancelled timer:", skipped.cancelled())
    loop.call_later(0.2, done.set_result, None)
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
    loop.call_later(0.01, done.set_result, None)
    await done


async def ready_before_due_timers():
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def timer_a():
        log("timer a (50ms): schedules a callback")
        loop.call_soon(log, "callback from timer a: after timer b, same iteration as b")

    def blocker():
        log("blocker: schedules a callback, then blocks 200ms so both timers fall due")
        loop.call_soon(log, "callback from blocker: before both due timers")
        time.sleep(0.2)

    loop.call_later(0.1, log, "timer b (100ms)")
    loop.call_later(0.05, timer_a)
    loop.call_soon(blocker)
    loop.call_later(0.3, done.set_result, None)
    await done


async def cancelled_while_queued():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    timers = {}

    def blocker():
        log("blocker: blocks 200ms so three timers fall due")
        loop.call_soon(cancel_a)
        time.sleep(0.2)

    def cancel_a():
        log("callback cancels timer a, already due and queued")
        timers["a"].cancel()

    def timer_b():
        log("timer b cancels timer c, queued after it")
        timers["c"].cancel()

    timers["a"] = loop.call_later(0.05, log, "never runs: timer a")
    timers["b"] = loop.call_later(0.1, timer_b)
    timers["c"] = loop.call_later(0.15, log, "never runs: timer c")
    loop.call_soon(blocker)
    loop.call_later(0.3, done.set_result, None)
    await done


async def main():
    for section in [call_soon_fifo, call_later_order, what_a_callback_schedules,
                    ready_before_due_timers, cancelled_while_queued]:
        log(f"== {section.__name__}")
        await section()
    log("== end")


asyncio.run(main())
