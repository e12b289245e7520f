"""wait(): ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION and a timeout, never cancelling
anything; an empty list and coroutines are refused."""

import asyncio


async def work(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return name


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    print("== wait ALL_COMPLETED")
    tasks = [asyncio.create_task(work(n, d), name=n) for n, d in (("a", 0.02), ("b", 0.01))]
    done, pending = await asyncio.wait(tasks)
    print(names(done), names(pending))

    print("== wait FIRST_COMPLETED")
    tasks = [asyncio.create_task(work(n, d), name=n) for n, d in (("slow", 0.3), ("fast", 0.01))]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(names(done), names(pending), "slow cancelled:", tasks[0].cancelled())
    await tasks[0]

    print("== wait FIRST_EXCEPTION")
    tasks = [
        asyncio.create_task(work("ok", 0.01), name="ok"),
        asyncio.create_task(work("bad", 0.02, fail=True), name="bad"),
        asyncio.create_task(work("late", 0.3), name="late"),
    ]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print(names(done), names(pending), "error:", tasks[1].exception())
    await tasks[2]

    print("== wait with a timeout")
    tasks = [asyncio.create_task(work(n, d), name=n) for n, d in (("quick", 0.01), ("long", 0.3))]
    done, pending = await asyncio.wait(tasks, timeout=0.03)
    print(names(done), names(pending), "long cancelled:", tasks[1].cancelled())
    await tasks[1]

    print("== wait refuses")
    try:
        await asyncio.wait([])
    except ValueError:
        print("empty: ValueError")
    coro = work("c", 0)
    try:
        await asyncio.wait([coro])
    except TypeError:
        print("coroutine: TypeError")
    coro.close()


asyncio.run(main())
