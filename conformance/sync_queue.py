"""Queue: producer and consumer interleaving through a bounded queue, waiting putters and
getters served in order, the cancellation races (a getter cancelled as its item arrives, a
putter cancelled as its slot frees up), task_done()/join(), the nowait errors."""

import asyncio


async def producer_consumer():
    queue = asyncio.Queue(2)

    async def producer():
        for item in range(5):
            print(f"put {item} (qsize {queue.qsize()})")
            await queue.put(item)
        print("producer done")

    async def consumer():
        for _ in range(5):
            item = await queue.get()
            print(f"got {item} (qsize {queue.qsize()}, full {queue.full()})")
            await asyncio.sleep(0)

    await asyncio.gather(producer(), consumer())


async def waiting_in_order():
    queue = asyncio.Queue(1)
    puts = [asyncio.create_task(queue.put(name)) for name in "abc"]
    await asyncio.sleep(0)
    print("putters done", [p.done() for p in puts])
    print("got", [await queue.get() for _ in range(3)])
    queue = asyncio.Queue()
    getters = [asyncio.create_task(queue.get()) for _ in range(3)]
    await asyncio.sleep(0)
    for item in ("x", "y", "z"):
        queue.put_nowait(item)
    print("getters got", [await g for g in getters])


async def getter_cancelled_as_item_arrives():
    queue = asyncio.Queue()
    t1 = asyncio.create_task(queue.get())
    t2 = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    queue.put_nowait("item")
    t1.cancel()
    await asyncio.sleep(0)
    print("t1 cancelled", t1.cancelled(), "t2 got", await t2, "qsize", queue.qsize())
    lone = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    queue.put_nowait("kept")
    lone.cancel()
    await asyncio.sleep(0)
    print("lone cancelled", lone.cancelled(), "qsize", queue.qsize(), queue.get_nowait())


async def putter_cancelled_as_slot_frees():
    queue = asyncio.Queue(1)
    put_a = asyncio.create_task(queue.put("a"))
    put_b = asyncio.create_task(queue.put("b"))
    put_x = asyncio.create_task(queue.put("X"))
    await asyncio.sleep(0)
    put_x.cancel()
    await asyncio.sleep(0)
    print("got", queue.get_nowait())
    await asyncio.sleep(0)
    print("got", queue.get_nowait(), "X cancelled", put_x.cancelled(), "b done", put_b.done())
    queue.put_nowait("first")
    put_c = asyncio.create_task(queue.put("c"))
    put_d = asyncio.create_task(queue.put("d"))
    await asyncio.sleep(0)
    print("got", queue.get_nowait())
    put_c.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("c cancelled", put_c.cancelled(), "d done", put_d.done(), "got", queue.get_nowait())
    await put_a


async def get_timed_out():
    queue = asyncio.Queue()
    try:
        await asyncio.wait_for(queue.get(), 0.01)
    except TimeoutError as error:
        print("get:", type(error).__name__, "getters left", len(queue._getters))
    queue.put_nowait(1)
    print("qsize", queue.qsize())


async def task_done_and_join():
    queue = asyncio.Queue()
    for item in range(3):
        queue.put_nowait(item)

    async def worker(name):
        while True:
            item = await queue.get()
            await asyncio.sleep(0.01 * (item + 1))
            print(f"{name} done with {item}")
            queue.task_done()

    workers = [asyncio.create_task(worker(name)) for name in ("w1", "w2")]
    await queue.join()
    print("joined")
    for task in workers:
        task.cancel()
    try:
        queue.task_done()
    except ValueError as error:
        print("extra task_done:", type(error).__name__)


async def nowait_errors():
    queue = asyncio.Queue(1)
    try:
        queue.get_nowait()
    except asyncio.QueueEmpty as error:
        print("get_nowait on empty:", type(error).__name__)
    queue.put_nowait(1)
    try:
        queue.put_nowait(2)
    except asyncio.QueueFull as error:
        print("put_nowait on full:", type(error).__name__, "qsize", queue.qsize())
    print("maxsize", queue.maxsize, "empty", queue.empty(), "full", queue.full())
    unbounded = asyncio.Queue(0)
    for item in range(1000):
        unbounded.put_nowait(item)
    print("unbounded full", unbounded.full(), "qsize", unbounded.qsize())


async def main():
    for section in [
        producer_consumer,
        waiting_in_order,
        getter_cancelled_as_item_arrives,
        putter_cancelled_as_slot_frees,
        get_timed_out,
        task_done_and_join,
        nowait_errors,
    ]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
