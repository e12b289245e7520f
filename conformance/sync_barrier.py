"""Barrier: arrival indexes, rounds that refill, tasks arriving while a round drains, a
cancelled waiter leaving, reset() and abort() sending waiters away with BrokenBarrierError."""

import asyncio


async def outcome(task):
    try:
        return repr(await task)
    except asyncio.BrokenBarrierError as error:
        return type(error).__name__
    except asyncio.CancelledError:
        return "cancelled"


async def one_round():
    barrier = asyncio.Barrier(3)

    async def party(name, delay):
        await asyncio.sleep(delay)
        print(f"{name} arrives, n_waiting {barrier.n_waiting}")
        index = await barrier.wait()
        print(f"{name} leaves with index {index}")

    tasks = [
        asyncio.create_task(party(name, delay))
        for name, delay in (("a", 0.01), ("b", 0.03), ("c", 0.02))
    ]
    for task in tasks:
        await task
    print("n_waiting", barrier.n_waiting, "broken", barrier.broken)


async def two_rounds():
    barrier = asyncio.Barrier(2)
    log = []

    async def twice(name):
        for round_ in (1, 2):
            index = await barrier.wait()
            log.append(f"{name} round {round_} index {index}")

    tasks = [asyncio.create_task(twice(name)) for name in "xy"]
    for task in tasks:
        await task
    print(log)


async def draining_seen():
    barrier = asyncio.Barrier(3)
    seen = []

    async def party():
        async with barrier:
            seen.append(barrier.n_waiting)

    tasks = [asyncio.create_task(party()) for _ in range(3)]
    for task in tasks:
        await task
    print("n_waiting seen while draining", seen)


async def cancelled_waiter():
    barrier = asyncio.Barrier(3)
    t1 = asyncio.create_task(barrier.wait())
    await asyncio.sleep(0)
    t2 = asyncio.create_task(barrier.wait())
    await asyncio.sleep(0)
    t1.cancel()
    await asyncio.sleep(0)
    print("after cancel n_waiting", barrier.n_waiting)
    t3 = asyncio.create_task(barrier.wait())
    await asyncio.sleep(0)
    t4 = asyncio.create_task(barrier.wait())
    print("results", [await outcome(t) for t in (t1, t2, t3, t4)])


async def reset_and_abort():
    barrier = asyncio.Barrier(3)
    waiting = [asyncio.create_task(barrier.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    await barrier.reset()
    print("reset:", [await outcome(t) for t in waiting], "broken", barrier.broken)
    again = [asyncio.create_task(barrier.wait()) for _ in range(3)]
    print("next round:", [await outcome(t) for t in again])
    waiting = [asyncio.create_task(barrier.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    await barrier.abort()
    print("abort:", [await outcome(t) for t in waiting], "broken", barrier.broken)
    print("wait on broken:", await outcome(asyncio.create_task(barrier.wait())))
    await barrier.reset()
    print("reset after abort: broken", barrier.broken, "n_waiting", barrier.n_waiting)


async def failing_party_aborts():
    barrier = asyncio.Barrier(4)
    results = []

    async def party():
        try:
            async with barrier as index:
                if index == 2:
                    raise RuntimeError("party failed")
            async with barrier:
                results.append("passed")
        except asyncio.BrokenBarrierError:
            results.append("broken")
        except RuntimeError:
            results.append("aborting")
            await barrier.abort()

    tasks = [asyncio.create_task(party()) for _ in range(4)]
    for task in tasks:
        await task
    print(sorted(results), "broken", barrier.broken)
    try:
        asyncio.Barrier(0)
    except ValueError as error:
        print("parties 0:", type(error).__name__)


async def main():
    for section in [
        one_round,
        two_rounds,
        draining_seen,
        cancelled_waiter,
        reset_and_abort,
        failing_party_aborts,
    ]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
