"""as_completed() (3.13): the plain iterator gives awaitables of results in completion order,
errors in their turn; the async iterator gives the original tasks (and tasks made for
coroutines); a timeout makes the rest raise TimeoutError without cancelling them."""

import asyncio


async def work(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return name


async def main():
    print("== plain iteration")
    for next_done in asyncio.as_completed([work("c", 0.03), work("a", 0.01), work("b", 0.02)]):
        print(await next_done)

    print("== errors in their turn")
    for next_done in asyncio.as_completed([work("ok", 0.02), work("bad", 0.01, fail=True)]):
        try:
            print(await next_done)
        except ValueError as exc:
            print("ValueError", exc)

    print("== async iteration gives the tasks")
    slow = asyncio.create_task(work("slow", 0.02), name="slow")
    fast = asyncio.create_task(work("fast", 0.01), name="fast")
    async for task in asyncio.as_completed([slow, fast, work("coro", 0.03)]):
        if task is slow or task is fast:
            print("original task", task.get_name(), task.result())
        else:
            print("new task", isinstance(task, asyncio.Task), task.result())

    print("== timeout")
    long = asyncio.create_task(work("long", 0.3))
    for next_done in asyncio.as_completed([work("short", 0.01), long], timeout=0.03):
        try:
            print(await next_done)
        except TimeoutError:
            print("TimeoutError; long cancelled:", long.cancelled())
    print(await long)

    print("== async iteration timeout")
    long = asyncio.create_task(work("long", 0.3))
    try:
        async for task in asyncio.as_completed([long], timeout=0.01):
            print("never")
    except TimeoutError:
        print("TimeoutError")
    print(await long)


asyncio.run(main())
