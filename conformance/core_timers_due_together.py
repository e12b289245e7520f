"""One loop iteration runs the callbacks that were ready when it began, then the timers that
fell due, in deadline order; what they schedule waits for the next iteration, and a handle
cancelled while already queued is skipped. A callback blocks the loop so that several timers
fall due at once."""

import asyncio
import time


def log(*parts):
    print(*parts)


async def ready_before_due_timers():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    base = loop.time()

    def timer_a():
        log("timer a (50ms): schedules a callback")
        loop.call_soon(log, "callback from timer a: after timer b, same iteration as b")

    def blocker():
        log("blocker: schedules a callback, then blocks 200ms so both timers fall due")
        loop.call_soon(log, "callback from blocker: before both due timers")
        time.sleep(0.2)

    loop.call_at(base + 0.1, log, "timer b (100ms)")
    loop.call_at(base + 0.05, timer_a)
    loop.call_soon(blocker)
    loop.call_at(base + 0.3, done.set_result, None)
    await done


async def cancelled_while_queued():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    base = loop.time()
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

    timers["a"] = loop.call_at(base + 0.05, log, "never runs: timer a")
    timers["b"] = loop.call_at(base + 0.1, timer_b)
    timers["c"] = loop.call_at(base + 0.15, log, "never runs: timer c")
    loop.call_soon(blocker)
    loop.call_at(base + 0.3, done.set_result, None)
    await done


async def main():
    for section in [ready_before_due_timers, cancelled_while_queued]:
        log(f"== {section.__name__}")
        await section()
    log("== end")


asyncio.run(main())
