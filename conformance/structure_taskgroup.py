"""TaskGroup: waits for every child; the first error cancels the siblings and the body and
comes out in an ExceptionGroup; several errors and a body error together; an outside
cancellation stays CancelledError; a child failing while the parent is being cancelled;
create_task on a finished group; nested groups; cancelling() levels after the group."""

import asyncio


async def child(name, delay, log, fail=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        raise
    if fail:
        log.append(f"{name} fails")
        raise ValueError(name)
    log.append(f"{name} done")
    return name


def names(eg):
    return [type(e).__name__ + ":" + str(e) if not isinstance(e, BaseExceptionGroup)
            else "group" + str(names(e)) for e in eg.exceptions]


async def main():
    current = asyncio.current_task()

    print("== all finish")
    log = []
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(child("a", 0.02, log))
        b = tg.create_task(child("b", 0.01, log))
        log.append("body end")
    print(log, a.result(), b.result())

    print("== first error cancels the rest")
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("bad", 0.01, log, fail=True))
            tg.create_task(child("sibling", 1, log))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log.append("body cancelled")
                raise
    except ExceptionGroup as eg:
        print(type(eg).__name__, eg.message, names(eg))
    print(log, "cancelling:", current.cancelling())

    print("== several errors and the body's")
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("one", 0.01, log, fail=True))
            tg.create_task(child("two", 0.01, log, fail=True))
            try:
                await asyncio.sleep(1)
            finally:
                raise RuntimeError("body")
    except ExceptionGroup as eg:
        print(names(eg))
    print(log)

    print("== outside cancellation")
    log = []

    async def runner():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("x", 1, log))
            tg.create_task(child("y", 1, log))
            await asyncio.sleep(1)

    task = asyncio.create_task(runner())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        # The group cancels its children in no particular order: sort.
        print("runner raised CancelledError; cancelled():", task.cancelled(), sorted(log))

    print("== child fails while the parent is being cancelled")
    log = []
    gate = asyncio.get_running_loop().create_future()

    async def crash():
        await gate
        log.append("crash fails")
        raise ValueError("crash")

    async def slow_body():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(crash())
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log.append("body cancelled, cleaning up")
                await asyncio.sleep(0.05)
                raise

    task = asyncio.create_task(slow_body())
    await asyncio.sleep(0.01)
    task.cancel()
    gate.set_result(None)
    try:
        await task
    except ExceptionGroup as eg:
        print("runner raised", names(eg), "cancelling:", task.cancelling())
    print(log)

    print("== create_task on a finished group")
    tg = asyncio.TaskGroup()
    async with tg:
        pass
    coro = child("late", 0, log)
    try:
        tg.create_task(coro)
    except RuntimeError:
        print("RuntimeError")

    print("== nested groups")
    log = []
    try:
        async with asyncio.TaskGroup() as outer:
            outer.create_task(child("outer-child", 1, log))
            async with asyncio.TaskGroup() as inner:
                inner.create_task(child("inner-bad", 0.01, log, fail=True))
    except ExceptionGroup as eg:
        print(names(eg))
    print(log, "cancelling:", current.cancelling())

    print("== both groups cancel the parent")
    try:
        async with asyncio.TaskGroup() as outer:
            try:
                async with asyncio.TaskGroup() as inner:
                    inner.create_task(child("i", 0, [], fail=True))
                    outer.create_task(child("o", 0, [], fail=True))
            except ExceptionGroup as eg:
                print("inner", names(eg), "cancelling:", current.cancelling())
    except ExceptionGroup as eg:
        print("outer", names(eg), "cancelling:", current.cancelling())


asyncio.run(main())
