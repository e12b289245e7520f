"""Lock: FIFO hand-over, fairness to a woken waiter, the cancellation races (a waiter
cancelled as the lock passes to it, cancel and release in one callback), release errors and
the async context manager."""

import asyncio


async def holder(lock, name, hold):
    print(f"{name} wants")
    await lock.acquire()
    print(f"{name} got")
    try:
        await asyncio.sleep(hold)
    finally:
        print(f"{name} releases")
        lock.release()


async def fifo():
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(holder(lock, name, 0.01)) for name in "abc"]
    await asyncio.sleep(0)
    print("locked", lock.locked())
    for task in tasks:
        await task
    print("locked", lock.locked())


async def fairness():
    lock = asyncio.Lock()
    await lock.acquire()
    waiter = asyncio.create_task(holder(lock, "waiter", 0))
    await asyncio.sleep(0)
    lock.release()
    print("released; locked", lock.locked())
    print("main wants")
    await lock.acquire()
    print("main got")
    lock.release()
    await waiter


async def cancelled_while_waiting():
    lock = asyncio.Lock()
    await lock.acquire()
    task = asyncio.create_task(lock.acquire())
    asyncio.get_running_loop().call_soon(task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        print("waiter cancelled; locked", lock.locked())
    lock.release()
    print("after release; locked", lock.locked())


async def cancelled_as_lock_passes():
    lock = asyncio.Lock()
    go = asyncio.get_running_loop().create_future()

    async def first():
        await lock.acquire()
        await go
        print("first releases")
        lock.release()

    a = asyncio.create_task(first())
    await asyncio.sleep(0)
    b = asyncio.create_task(holder(lock, "b", 0))
    c = asyncio.create_task(holder(lock, "c", 0))
    await asyncio.sleep(0)
    go.set_result(None)
    await asyncio.sleep(0)
    print("first done", a.done())
    b.cancel()
    await c
    print("b cancelled", b.cancelled(), "locked", lock.locked())


async def cancel_and_release_together():
    lock = asyncio.Lock()
    taken = []

    async def lockit(name):
        await lock.acquire()
        taken.append(name)

    await lock.acquire()
    tasks = [asyncio.create_task(lockit(name)) for name in ("t1", "t2", "t3")]
    await asyncio.sleep(0)

    def trigger():
        tasks[0].cancel()
        lock.release()

    asyncio.get_running_loop().call_soon(trigger)
    try:
        await tasks[0]
    except asyncio.CancelledError:
        print("t1 cancelled")
    await asyncio.sleep(0)
    print("taken", taken)
    tasks[2].cancel()
    await asyncio.sleep(0)
    print("t3 cancelled", tasks[2].cancelled())


async def jump_past_cancelled():
    lock = asyncio.Lock()
    await lock.acquire()
    b = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    c = asyncio.create_task(lock.acquire())
    b.cancel()
    lock.release()
    await asyncio.sleep(0)
    print("locked", lock.locked(), "b cancelled", b.cancelled(), "c done", c.done())
    lock.release()


async def errors_and_context_manager():
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as error:
        print("release unlocked:", type(error).__name__)
    async with lock:
        print("inside: locked", lock.locked())
    print("after: locked", lock.locked())
    try:
        async with lock:
            raise ValueError("body failed")
    except ValueError as error:
        print("body error passed through:", error, "locked", lock.locked())


async def main():
    for section in [
        fifo,
        fairness,
        cancelled_while_waiting,
        cancelled_as_lock_passes,
        cancel_and_release_together,
        jump_past_cancelled,
        errors_and_context_manager,
    ]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
