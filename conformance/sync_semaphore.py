"""Semaphore and BoundedSemaphore: how many enter at once, asyncio 3.13's FIFO rules (no
waiter overtaken, a slot for a cancelled waiter passed on, one acquire waking every waiter
the free slots allow), locked(), over-release errors."""

import asyncio


async def limits_and_order():
    sem = asyncio.Semaphore(2)
    gates = {name: asyncio.Event() for name in "abcd"}

    async def worker(name):
        async with sem:
            print(f"{name} in, value {sem._value}")
            await gates[name].wait()
        print(f"{name} out")

    tasks = [asyncio.create_task(worker(name)) for name in "abcd"]
    for name in "acdb":
        await asyncio.sleep(0)
        print(f"open {name}, waiters {len(sem._waiters)}")
        gates[name].set()
        await asyncio.sleep(0)
    for task in tasks:
        await task


async def turns_in_order():
    sem = asyncio.Semaphore(1)
    result = []

    async def coro(tag):
        for round_ in (1, 2):
            await sem.acquire()
            result.append(f"{tag}_{round_}")
            await asyncio.sleep(0.01)
            sem.release()

    tasks = [asyncio.create_task(coro(tag)) for tag in ("c1", "c2", "c3")]
    for task in tasks:
        await task
    print(result)


async def release_reacquire_goes_behind():
    sem = asyncio.Semaphore(1)
    result = []

    async def c1():
        await sem.acquire()
        result.append(1)

    async def c2():
        await sem.acquire()
        result.append(2)
        sem.release()
        await sem.acquire()
        result.append(4)

    async def c3():
        await sem.acquire()
        result.append(3)

    tasks = [asyncio.create_task(c()) for c in (c1, c2, c3)]
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    for task in tasks:
        await task
    print(result)


async def cancelled_before_woken():
    sem = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(sem.acquire()) for _ in range(4)]
    await asyncio.sleep(0)
    tasks[0].cancel()
    tasks[1].cancel()
    sem.release()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("done", [t.done() for t in tasks], "cancelled", [t.cancelled() for t in tasks])
    print("value", sem._value, "locked", sem.locked())
    tasks[3].cancel()
    await asyncio.sleep(0)


async def woken_then_cancelled():
    sem = asyncio.Semaphore(0)
    t1 = asyncio.create_task(sem.acquire())
    t2 = asyncio.create_task(sem.acquire())
    await asyncio.sleep(0)
    sem.release()
    t1.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("t1 cancelled", t1.cancelled(), "t2 done", t2.done(), "locked", sem.locked())


async def one_acquire_wakes_many():
    sem = asyncio.Semaphore(0)
    result = []

    async def c1():
        await sem.acquire()
        print("c1 value", sem._value)
        result.append(1)

    async def c2():
        sem.release()
        sem.release()
        sem.release()
        print("c2 released 3: value", sem._value, "locked", sem.locked())
        await sem.acquire()
        result.append(2)

    async def c3():
        await sem.acquire()
        result.append(3)

    tasks = [asyncio.create_task(c()) for c in (c1, c2, c3)]
    await asyncio.sleep(0)
    print("waiters", len(sem._waiters))
    for task in tasks:
        await task
    print(result)


async def bounded():
    sem = asyncio.BoundedSemaphore(2)
    await sem.acquire()
    sem.release()
    try:
        sem.release()
    except ValueError as error:
        print("over-release:", type(error).__name__, "value", sem._value)
    try:
        asyncio.Semaphore(-1)
    except ValueError as error:
        print("negative value:", type(error).__name__)
    print("Semaphore(0) locked", asyncio.Semaphore(0).locked())


async def main():
    for section in [
        limits_and_order,
        turns_in_order,
        release_reacquire_goes_behind,
        cancelled_before_woken,
        woken_then_cancelled,
        one_acquire_wakes_many,
        bounded,
    ]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
