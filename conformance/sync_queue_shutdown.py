"""Queue.shutdown() (3.13) on Queue, PriorityQueue and LifoQueue: waiting getters and putters
are released with QueueShutDown, gets drain what is left unless immediate, immediate shutdown
counts dropped items as done for join()."""

import asyncio


async def result_of(awaitable):
    try:
        return repr(await awaitable)
    except asyncio.QueueShutDown as error:
        return type(error).__name__


def nowait(call, *args):
    try:
        return repr(call(*args))
    except (asyncio.QueueShutDown, asyncio.QueueEmpty, asyncio.QueueFull) as error:
        return type(error).__name__


async def shutdown_empty(cls):
    queue = cls()
    getter = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    queue.shutdown()
    await queue.join()
    print("waiting get:", await result_of(getter))
    print("put:", await result_of(queue.put(1)), "put_nowait:", nowait(queue.put_nowait, 1))
    print("get:", await result_of(queue.get()), "get_nowait:", nowait(queue.get_nowait))


async def shutdown_drains(cls):
    queue = cls(maxsize=2)
    queue.put_nowait(3)
    queue.put_nowait(1)
    join_task = asyncio.create_task(queue.join())
    putter = asyncio.create_task(queue.put(2))
    await asyncio.sleep(0)
    queue.shutdown()
    print("waiting put:", await result_of(putter), "qsize", queue.qsize())
    print("drain:", await result_of(queue.get()), nowait(queue.get_nowait))
    print("then:", await result_of(queue.get()))
    await asyncio.sleep(0)
    print("join done before task_done:", join_task.done())
    queue.task_done()
    queue.task_done()
    await asyncio.sleep(0)
    print("join done after task_done:", join_task.done())


async def shutdown_immediate(cls):
    queue = cls()
    for item in (5, 4, 6):
        queue.put_nowait(item)
    print("got", queue.get_nowait())
    join_task = asyncio.create_task(queue.join())
    getter_queue = cls()
    getter = asyncio.create_task(getter_queue.get())
    await asyncio.sleep(0)
    queue.shutdown(immediate=True)
    getter_queue.shutdown(immediate=True)
    print("qsize", queue.qsize(), "waiting get:", await result_of(getter))
    await asyncio.sleep(0)
    print("join done with one unfinished:", join_task.done())
    queue.task_done()
    await asyncio.sleep(0)
    print("join done:", join_task.done())
    try:
        queue.task_done()
    except ValueError as error:
        print("extra task_done:", type(error).__name__)


async def main():
    for cls in (asyncio.Queue, asyncio.PriorityQueue, asyncio.LifoQueue):
        for section in (shutdown_empty, shutdown_drains, shutdown_immediate):
            print(f"== {cls.__name__} {section.__name__}")
            await section(cls)
    print("== end")


asyncio.run(main())
