"""PriorityQueue and LifoQueue: smallest first with tuples compared element by element,
strings by code point, entries that tie on priority in heapq's order, a TypeError for items
that cannot be compared, last in first out."""

import asyncio
from dataclasses import dataclass, field


@dataclass(order=True)
class Job:
    priority: int
    name: str = field(compare=False)


def drain(queue):
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


async def tuples():
    queue = asyncio.PriorityQueue()
    for item in [(2, "b"), (1, "z"), (2, "a"), (0, "x"), (1, "a", 0), (1, "a")]:
        queue.put_nowait(item)
    print(drain(queue))


async def strings():
    queue = asyncio.PriorityQueue()
    for item in ["b", "B", "\uffff", "\U0001F600", "a", "ab", ""]:
        queue.put_nowait(item)
    print([hex(ord(s[0])) if s else "empty" for s in drain(queue)])


async def ties_in_heapq_order():
    queue = asyncio.PriorityQueue()
    priorities = [3, 1, 2, 1, 3, 2, 1, 3, 2, 2, 1, 3]
    for index, priority in enumerate(priorities):
        queue.put_nowait(Job(priority, f"job{index}"))
        if index % 4 == 3:
            print("took", queue.get_nowait().name)
    print([job.name for job in drain(queue)])


async def uncomparable():
    queue = asyncio.PriorityQueue()
    queue.put_nowait(1)
    queue.put_nowait(2)
    try:
        queue.put_nowait("three")
    except TypeError as error:
        print("put_nowait('three'):", type(error).__name__)


async def waiting_getters_take_smallest():
    queue = asyncio.PriorityQueue()
    getters = [asyncio.create_task(queue.get()) for _ in range(2)]
    await asyncio.sleep(0)
    queue.put_nowait(5)
    queue.put_nowait(1)
    queue.put_nowait(3)
    print("getters got", [await g for g in getters], "left", drain(queue))


async def lifo():
    queue = asyncio.LifoQueue(3)
    for item in (1, 2, 3):
        await queue.put(item)
    putter = asyncio.create_task(queue.put(4))
    await asyncio.sleep(0)
    print("full", queue.full(), "got", queue.get_nowait())
    await putter
    print(drain(queue))


async def main():
    for section in [
        tuples,
        strings,
        ties_in_heapq_order,
        uncomparable,
        waiting_getters_take_smallest,
        lifo,
    ]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
