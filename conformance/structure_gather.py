"""gather(): results in argument order, the first error, return_exceptions, cancelling the
gather (children cancelled, CancelledError out), a child cancelled from outside, the same
coroutine given twice, and gather() with nothing."""

import asyncio


async def work(name, delay, log, fail=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        raise
    if fail:
        log.append(f"{name} fails")
        raise ValueError(name)
    log.append(f"{name} done")
    return name.upper()


async def main():
    print("== order")
    log = []
    results = await asyncio.gather(work("a", 0.03, log), work("b", 0.01, log), work("c", 0.02, log))
    print(log, results)

    print("== first error")
    log = []
    slow = asyncio.create_task(work("slow", 0.05, log))
    try:
        await asyncio.gather(work("bad", 0.01, log, fail=True), slow)
    except ValueError as exc:
        print("gather raised ValueError", exc, "slow done:", slow.done())
    print("slow result:", await slow, log)

    print("== return_exceptions")
    log = []
    cancelled = asyncio.create_task(work("c", 1, log))
    cancelled.cancel()
    results = await asyncio.gather(
        work("ok", 0.02, log), work("bad", 0.01, log, fail=True), cancelled, return_exceptions=True
    )
    print([type(r).__name__ if isinstance(r, BaseException) else r for r in results], log)

    print("== cancel the gather")
    log = []
    outer = asyncio.gather(work("x", 1, log), work("y", 1, log))
    await asyncio.sleep(0.01)
    print("cancel() ->", outer.cancel())
    try:
        await outer
    except asyncio.CancelledError:
        print("gather raised CancelledError; cancelled():", outer.cancelled(), log)

    print("== cancel the waiting task")
    log = []

    async def waiting():
        return await asyncio.gather(work("p", 1, log), work("q", 1, log))

    waiter = asyncio.create_task(waiting())
    await asyncio.sleep(0.01)
    waiter.cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        print("waiter cancelled:", waiter.cancelled(), log)

    print("== child cancelled from outside")
    log = []
    child = asyncio.create_task(work("child", 1, log))
    other = asyncio.create_task(work("other", 0.3, log))
    outer = asyncio.gather(child, other)
    await asyncio.sleep(0.01)
    child.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("gather raised CancelledError; other cancelled:", other.cancelled())
    print("other:", await other, log)

    print("== same coroutine twice")
    log = []
    coro = work("once", 0.01, log)
    print(await asyncio.gather(coro, coro, work("two", 0.02, log)), log)

    print("== nothing")
    print(await asyncio.gather())


asyncio.run(main())
