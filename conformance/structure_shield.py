"""shield(): the waiter is cancelled, the shielded work runs on; the inner result, error and
cancellation pass through."""

import asyncio


async def work(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return name


async def main():
    print("== shield: the waiter is cancelled, the work is not")
    inner = asyncio.create_task(work("saved", 0.3))

    async def waiter():
        try:
            await asyncio.shield(inner)
        except asyncio.CancelledError:
            print("waiter got CancelledError; inner done:", inner.done())
            raise

    task = asyncio.create_task(waiter())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    print("inner result:", await inner)

    print("== shield passes results, errors and cancellation through")
    print(await asyncio.shield(work("value", 0.01)))
    try:
        await asyncio.shield(work("bad", 0.01, fail=True))
    except ValueError as exc:
        print("ValueError", exc)
    target = asyncio.create_task(work("target", 1))
    outer = asyncio.shield(target)
    await asyncio.sleep(0)
    target.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("outer cancelled:", outer.cancelled())


asyncio.run(main())
